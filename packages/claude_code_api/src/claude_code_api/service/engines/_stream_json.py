"""The `claude` CLI's stream-json output (`--output-format stream-json --verbose`), line by line.

Each stdout line is one JSON object with a `type` (see the spec, "The stream-json format").
Unknown types and fields are ignored, since the CLI adds them over time; a line that is not a
JSON object is an error. Only the main conversation speaks for the answer: the text of
subagents (lines with a `parent_tool_use_id`) is left out, their tool uses and tokens count.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from ._base import (
    EngineEvent,
    EngineFailure,
    FailureCategory,
    FinalResult,
    ModelAlias,
    TextDelta,
    ToolUse,
    Usage,
)
from ._pricing import cost_usd
from ._statuses import STATUS_CATEGORIES

_API_ERRORS: Mapping[str, FailureCategory] = {
    "rate_limit": "rate_limited",
    "overloaded": "overloaded",
    "invalid_request": "bad_request",
}
"""The assistant line's `error` values that are not a plain upstream failure."""


class StreamJsonError(Exception):
    """A stdout line that is not a stream-json object."""


class StreamJsonParser:
    """Turns stream-json lines into engine events as they arrive.

    `feed` returns the events a line produces at once (text, tool uses, running usage); the
    result line's events (final `Usage`, then `FinalResult` or `EngineFailure`) are kept in
    `outcome`, to be released once the process has exited. `outcome` stays None when no result
    line came: a failed run.
    """

    def __init__(self, model: ModelAlias) -> None:
        self._alias: ModelAlias = model
        self.model: str = model
        """The model id the CLI reports (the requested alias until it does)."""
        self.outcome: list[EngineEvent] | None = None
        self.api_error: EngineFailure | None = None
        """The failure an assistant line's `error` reported, if any."""
        self._text: list[str] = []
        self._current: dict[str | None, str | None] = {}
        self._streamed: set[str | None] = set()
        self._tool_ids: set[str] = set()
        self._usage: dict[str | None, tuple[int, int]] = {}
        self._handlers: Mapping[str, Callable[[dict[str, Any]], list[EngineEvent]]] = {
            "system": self._system,
            "assistant": self._assistant,
            "stream_event": self._stream_event,
            "result": self._result,
        }

    def feed(self, line: str) -> list[EngineEvent]:
        """The events of one stdout line; raises `StreamJsonError` for a malformed line."""
        if not line.strip():
            return []
        try:
            data = json.loads(line)
        except ValueError:
            raise StreamJsonError(f"malformed stream-json line: {_excerpt(line)}") from None
        if not isinstance(data, dict):
            raise StreamJsonError(f"stream-json line is not an object: {_excerpt(line)}")
        handler = self._handlers.get(data.get("type"))  # type: ignore[arg-type]
        return handler(data) if handler else []

    def _system(self, data: dict[str, Any]) -> list[EngineEvent]:
        self._note_model(data.get("model"))
        return []

    def _assistant(self, data: dict[str, Any]) -> list[EngineEvent]:
        message = _object(data, "message")
        blocks = [block for block in _list(message, "content") if isinstance(block, dict)]
        error = data.get("error")
        if isinstance(error, str):
            detail = " ".join(_texts(blocks)) or "no details"
            category = _API_ERRORS.get(error, "upstream")
            self.api_error = EngineFailure(category, f"claude CLI: API error {error}: {detail}")
            return []
        top_level = data.get("parent_tool_use_id") is None
        if top_level:
            self._note_model(message.get("model"))
        message_id = _str(message, "id")
        events: list[EngineEvent] = []
        if top_level and not self._was_streamed(message_id):
            for text in _texts(blocks):
                self._text.append(text)
                events.append(TextDelta(text))
        events.extend(self._tool_uses(blocks))
        events.extend(self._count(message_id, message.get("usage")))
        return events

    def _stream_event(self, data: dict[str, Any]) -> list[EngineEvent]:
        event = _object(data, "event")
        parent = _str(data, "parent_tool_use_id")
        kind = event.get("type")
        if kind == "message_start":
            message = _object(event, "message")
            self._current[parent] = _str(message, "id")
            return self._count(self._current[parent], message.get("usage"))
        if kind == "message_delta":
            return self._count(self._current.get(parent), event.get("usage"))
        if kind != "content_block_delta" or parent is not None:
            return []
        delta = _object(event, "delta")
        text = delta.get("text")
        if delta.get("type") != "text_delta" or not isinstance(text, str) or not text:
            return []
        self._streamed.add(self._current.get(parent))
        self._text.append(text)
        return [TextDelta(text)]

    def _result(self, data: dict[str, Any]) -> list[EngineEvent]:
        input_tokens, output_tokens = self._totals()
        if isinstance(data.get("usage"), dict):
            input_tokens, output_tokens = _tokens(data["usage"])
        cost = data.get("total_cost_usd")
        if not isinstance(cost, (int, float)) or isinstance(cost, bool):
            cost = cost_usd(self._alias, input_tokens, output_tokens)
        outcome: list[EngineEvent] = [Usage(input_tokens, output_tokens, float(cost))]
        subtype = data.get("subtype", "success")
        result = data.get("result")
        if data.get("is_error") is True or subtype != "success":
            failure = self.api_error or _result_failure(subtype, result, data.get("errors"))
            # The CLI names some API errors only vaguely ("server_error" for a 529).
            status = data.get("api_error_status")
            if isinstance(status, int) and status in STATUS_CATEGORIES:
                failure = replace(failure, category=STATUS_CATEGORIES[status])
            outcome.append(failure)
        else:
            text = result if isinstance(result, str) else "".join(self._text)
            outcome.append(FinalResult(text, self.model))
        self.outcome = outcome
        return []

    def _note_model(self, model: object) -> None:
        # The CLI labels the messages it makes up itself (e.g. API errors) "<synthetic>".
        if isinstance(model, str) and model and not model.startswith("<"):
            self.model = model

    def _was_streamed(self, message_id: str | None) -> bool:
        return message_id in self._streamed or None in self._streamed

    def _tool_uses(self, blocks: list[dict[str, Any]]) -> list[ToolUse]:
        uses: list[ToolUse] = []
        for block in blocks:
            name, tool_id = block.get("name"), _str(block, "id")
            if block.get("type") != "tool_use" or not isinstance(name, str):
                continue
            if tool_id is not None:
                if tool_id in self._tool_ids:
                    continue
                self._tool_ids.add(tool_id)
            uses.append(ToolUse(name, _object(block, "input"), tool_id))
        return uses

    def _count(self, message_id: str | None, usage: object) -> list[EngineEvent]:
        """Record a message's usage (fields only grow within a message); the running total when
        it changed."""
        if not isinstance(usage, dict):
            return []
        before = self._totals()
        seen_in, seen_out = self._usage.get(message_id, (0, 0))
        new_in, new_out = _tokens(usage)
        self._usage[message_id] = (max(seen_in, new_in), max(seen_out, new_out))
        after = self._totals()
        if after == before:
            return []
        return [Usage(after[0], after[1], cost_usd(self._alias, *after))]

    def _totals(self) -> tuple[int, int]:
        return (
            sum(tokens[0] for tokens in self._usage.values()),
            sum(tokens[1] for tokens in self._usage.values()),
        )


def _result_failure(subtype: object, result: object, errors: object) -> EngineFailure:
    details = [result] if isinstance(result, str) and result else []
    if isinstance(errors, list):
        details.extend(error for error in errors if isinstance(error, str))
    reason = f"claude CLI run failed ({subtype})"
    return EngineFailure("upstream", f"{reason}: {'; '.join(details)}" if details else reason)


def _tokens(usage: dict[str, Any]) -> tuple[int, int]:
    """(input, output) tokens of a usage object; cached input tokens count as input."""
    input_keys = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
    return sum(_int(usage, key) for key in input_keys), _int(usage, "output_tokens")


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    texts = (block.get("text") for block in blocks if block.get("type") == "text")
    return [text for text in texts if isinstance(text, str) and text]


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _excerpt(line: str, limit: int = 200) -> str:
    line = line.strip()
    return line if len(line) <= limit else f"{line[:limit]}…"
