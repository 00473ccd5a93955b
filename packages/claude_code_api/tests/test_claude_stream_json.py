"""The stream-json line parser on its own: the cases a fake process has no reason to produce."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claude_code_api.service.engines import EngineFailure, FinalResult, TextDelta, ToolUse, Usage
from claude_code_api.service.engines._pricing import PRICES, cost_usd
from claude_code_api.service.engines._stream_json import StreamJsonError, StreamJsonParser


def line(**fields: Any) -> str:
    return json.dumps(fields)


def assistant(content: list[dict[str, Any]], parent: str | None = None, **message: Any) -> str:
    return line(
        type="assistant", message={"content": content, **message}, parent_tool_use_id=parent
    )


def test_subagent_text_is_not_the_answer_but_its_tools_and_tokens_count() -> None:
    parser = StreamJsonParser("haiku")
    tool = {"type": "tool_use", "id": "toolu_9", "name": "Grep", "input": {"pattern": "x"}}
    usage = {"input_tokens": 1_000_000, "output_tokens": 0}

    events = parser.feed(
        assistant([{"type": "text", "text": "inner"}, tool], parent="toolu_1", id="m1", usage=usage)
    )

    assert events == [ToolUse("Grep", {"pattern": "x"}, "toolu_9"), Usage(1_000_000, 0, 0.25)]
    assert parser.feed(assistant([tool], id="m2")) == []  # a tool use is logged once


def test_result_without_cost_or_usage_falls_back_to_the_running_totals() -> None:
    parser = StreamJsonParser("opus")
    parser.feed(assistant([{"type": "text", "text": "Hi"}], id="m1", usage={"output_tokens": 10}))

    assert parser.feed(line(type="result", subtype="success", is_error=False)) == []

    assert parser.outcome == [Usage(0, 10, cost_usd("opus", 0, 10)), FinalResult("Hi", "opus")]


def test_streamed_text_is_not_repeated_by_the_assistant_line() -> None:
    parser = StreamJsonParser("sonnet")
    parser.feed(line(type="stream_event", event={"type": "message_start", "message": {"id": "m1"}}))
    delta = {"type": "content_block_delta", "delta": {"type": "text_delta", "text": "Hel"}}

    assert parser.feed(line(type="stream_event", event=delta)) == [TextDelta("Hel")]
    assert parser.feed(assistant([{"type": "text", "text": "Hel"}], id="m1")) == []
    assert parser.feed(assistant([{"type": "text", "text": "Next turn"}], id="m2")) == [
        TextDelta("Next turn")
    ]


def test_an_api_error_decides_the_failure_of_the_result() -> None:
    parser = StreamJsonParser("sonnet")
    parser.feed(
        line(
            type="assistant",
            error="overloaded",
            message={"model": "<synthetic>", "content": [{"type": "text", "text": "busy"}]},
        )
    )
    parser.feed(line(type="result", subtype="success", is_error=True, result="busy"))

    assert parser.model == "sonnet"
    assert parser.outcome is not None
    assert parser.outcome[-1] == EngineFailure(
        "overloaded", "claude CLI: API error overloaded: busy"
    )


def test_the_api_status_of_a_failed_result_decides_its_category() -> None:
    parser = StreamJsonParser("sonnet")
    text = [{"type": "text", "text": "API Error: 529 busy"}]
    parser.feed(line(type="assistant", error="server_error", message={"content": text}))
    parser.feed(line(type="result", is_error=True, api_error_status=529, result="busy"))

    assert parser.outcome is not None
    assert parser.outcome[-1] == EngineFailure(
        "overloaded", "claude CLI: API error server_error: API Error: 529 busy"
    )


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '"a string"', "{broken"])
def test_a_line_that_is_not_an_object_is_an_error(text: str) -> None:
    with pytest.raises(StreamJsonError):
        StreamJsonParser("haiku").feed(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=10,
)
line_types = st.sampled_from(["system", "assistant", "user", "stream_event", "result", "new_kind"])


@settings(max_examples=50, deadline=None)
@given(kind=line_types, fields=st.dictionaries(st.text(max_size=12), json_values, max_size=5))
def test_any_object_with_unexpected_fields_is_tolerated(kind: str, fields: dict[str, Any]) -> None:
    parser = StreamJsonParser("sonnet")

    events = parser.feed(json.dumps({**fields, "type": kind}))

    assert all(isinstance(event, (TextDelta, ToolUse, Usage)) for event in events)


def test_the_price_table_is_the_specs() -> None:
    assert {alias: (p.input_per_million, p.output_per_million) for alias, p in PRICES.items()} == {
        "haiku": (0.25, 1.25),
        "sonnet": (3.0, 15.0),
        "opus": (15.0, 75.0),
    }
    assert cost_usd("sonnet", 1_000_000, 1_000_000) == 18.0
