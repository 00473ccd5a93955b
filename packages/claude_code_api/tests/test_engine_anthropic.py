"""The `anthropic` engine against a local fake of the Messages API (`claude_fake_messages_api`),
reached by the real `anthropic` client over loopback HTTP."""

from __future__ import annotations

import socket
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from claude_engine_testing import collect
from claude_fake_messages_api import (
    API_KEY,
    FakeMessagesAPI,
    HTTPFailure,
    connection_dropping_api,
    served,
)

from claude_code_api.service.engines import (
    EngineEvent,
    EngineFailure,
    EngineRequest,
    FinalResult,
    TextDelta,
    Usage,
    build_engine,
)
from claude_code_api.service.engines.anthropic import AnthropicEngine, retry_after

WAIT_LIMIT = 20.0


@pytest.fixture
def fake_api() -> Iterator[FakeMessagesAPI]:
    """The fake Messages API, serving on 127.0.0.1 for one test."""
    with served(FakeMessagesAPI()) as fake:
        yield fake


@pytest.fixture
async def engine(fake_api: FakeMessagesAPI) -> AsyncIterator[AnthropicEngine]:
    engine = AnthropicEngine(api_key=API_KEY, base_url=fake_api.base_url)
    yield engine
    await engine.aclose()


async def run_once(request: EngineRequest, **options: Any) -> list[EngineEvent]:
    """The events of `request` on an engine of its own (API key: the fake's unless given)."""
    engine = AnthropicEngine(**{"api_key": API_KEY, **options})
    try:
        return await collect(engine, request)
    finally:
        await engine.aclose()


def only_failure(events: list[EngineEvent]) -> EngineFailure:
    failures = [event for event in events if isinstance(event, EngineFailure)]
    assert failures == [events[-1]]
    return failures[0]


async def test_streams_text_before_the_answer_is_complete(
    engine: AnthropicEngine, fake_api: FakeMessagesAPI
) -> None:
    fake_api.gate = threading.Event()
    stream = engine.run(EngineRequest("Write a story", "sonnet"))

    # The fake holds the rest of its answer until the gate opens.
    first = await anext(stream)
    fake_api.gate.set()
    rest = [event async for event in stream]

    assert first == TextDelta("Echo: ")
    assert rest == [
        TextDelta("Write a story"),
        Usage(1000, 2000, (1000 * 3.0 + 2000 * 15.0) / 1_000_000),
        FinalResult("Echo: Write a story", "claude-sonnet-5-5"),
    ]
    [sent] = fake_api.requests
    assert sent["body"] == {
        "model": "claude-sonnet-5-5",
        "max_tokens": 4096,
        "messages": [{"role": "user", "content": "Write a story"}],
        "stream": True,
    }
    # Older clients send `x-api-key`, newer ones a bearer token.
    credentials = {sent["headers"].get("x-api-key"), sent["headers"].get("authorization")}
    assert credentials & {API_KEY, f"Bearer {API_KEY}"}
    assert "anthropic-version" in sent["headers"]


async def test_aliases_map_to_configured_model_ids(fake_api: FakeMessagesAPI) -> None:
    events = await run_once(
        EngineRequest("Count to 5", "haiku", max_tokens=50),
        base_url=fake_api.base_url,
        models={"haiku": "claude-3-haiku-20240307"},
    )

    assert events[-2:] == [
        Usage(1000, 2000, (1000 * 0.25 + 2000 * 1.25) / 1_000_000),
        FinalResult("Echo: Count to 5", "claude-3-haiku-20240307"),
    ]
    assert fake_api.requests[0]["body"]["max_tokens"] == 50


@pytest.mark.parametrize(
    ("status", "error_type", "category", "retry_header", "retry"),
    [
        (429, "rate_limit_error", "rate_limited", "7", 7.0),
        (529, "overloaded_error", "overloaded", "3", 3.0),
        (503, "api_error", "overloaded", None, None),
        (500, "api_error", "upstream", None, None),
        (400, "invalid_request_error", "bad_request", None, None),
        (404, "not_found_error", "upstream", None, None),
    ],
)
async def test_api_errors_map_to_categories_without_retrying(
    engine: AnthropicEngine,
    fake_api: FakeMessagesAPI,
    status: int,
    error_type: str,
    category: str,
    retry_header: str | None,
    retry: float | None,
) -> None:
    headers = {"retry-after": retry_header} if retry_header else {}
    fake_api.failure = HTTPFailure(status, error_type, f"{error_type} happened", headers)

    events = await collect(engine, EngineRequest("hi", "opus"))

    assert events == [
        EngineFailure(
            category,  # type: ignore[arg-type]
            f"the Anthropic API answered {status} {error_type}: {error_type} happened",
            retry_after=retry,
        )
    ]
    assert len(fake_api.requests) == 1  # the service's retry policy decides, not the client


async def test_a_rejected_key_is_an_upstream_failure_that_hides_the_key(
    fake_api: FakeMessagesAPI,
) -> None:
    engine = AnthropicEngine(api_key="sk-ant-wrong-secret", base_url=fake_api.base_url)
    await engine.aclose()
    request = EngineRequest("hi", "sonnet")

    failure = only_failure(
        await run_once(request, api_key="sk-ant-wrong-secret", base_url=fake_api.base_url)
    )

    assert failure.category == "upstream"
    assert "401 authentication_error" in failure.message
    assert "sk-ant-wrong-secret" not in failure.message
    assert "sk-ant-wrong-secret" not in repr(engine)


async def test_an_error_event_inside_the_stream(
    engine: AnthropicEngine, fake_api: FakeMessagesAPI
) -> None:
    fake_api.stream_error = "overloaded_error"

    events = await collect(engine, EngineRequest("hi", "sonnet"))

    assert events[0] == TextDelta("Echo: ")
    failure = only_failure(events)
    assert failure.category == "overloaded"
    assert "overloaded_error mid-stream" in failure.message


async def test_a_stream_cut_short_is_an_upstream_failure(
    engine: AnthropicEngine, fake_api: FakeMessagesAPI
) -> None:
    fake_api.truncate = True

    events = await collect(engine, EngineRequest("hi", "sonnet"))

    assert events[0] == TextDelta("Echo: ")
    failure = only_failure(events)
    assert failure.category == "upstream"
    assert not any(isinstance(event, FinalResult) for event in events)


async def test_a_connection_dropped_mid_stream_is_an_upstream_failure() -> None:
    async with connection_dropping_api() as base_url:
        failure = only_failure(await run_once(EngineRequest("hi", "sonnet"), base_url=base_url))

    assert failure.category == "upstream"
    assert failure.message.startswith("the Anthropic API connection broke")


async def test_an_unreachable_api_is_an_upstream_failure() -> None:
    # Bound but not listening for the whole test: refused, and no other process can take it.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        failure = only_failure(await run_once(EngineRequest("hi", "sonnet"), base_url=base_url))

    assert failure.category == "upstream"
    assert failure.message.startswith("cannot reach the Anthropic API")


async def test_timeout_while_streaming(engine: AnthropicEngine, fake_api: FakeMessagesAPI) -> None:
    fake_api.gate = threading.Event()  # never opened

    events = await collect(engine, EngineRequest("hi", "sonnet", timeout=0.5))

    assert events == [
        TextDelta("Echo: "),
        EngineFailure("timeout", "the Anthropic API did not finish within 0.5 s"),
    ]
    assert fake_api.disconnected.wait(WAIT_LIMIT)


async def test_closing_the_stream_drops_the_upstream_request(
    engine: AnthropicEngine, fake_api: FakeMessagesAPI
) -> None:
    fake_api.gate = threading.Event()
    stream = engine.run(EngineRequest("hi", "sonnet", timeout=60))
    await anext(stream)

    await stream.aclose()  # type: ignore[attr-defined]

    assert fake_api.disconnected.wait(WAIT_LIMIT)


async def test_max_cost_bounds_max_tokens_and_is_checked_on_the_usage(
    engine: AnthropicEngine, fake_api: FakeMessagesAPI
) -> None:
    events = await collect(engine, EngineRequest("hi", "sonnet", max_cost=0.01))

    # $0.01 buys 666 sonnet output tokens; the fake answers with more anyway.
    assert fake_api.requests[0]["body"]["max_tokens"] == 666
    failure = only_failure(events)
    assert failure.category == "cost_exceeded"
    assert failure.message.startswith("max_cost exceeded")
    assert isinstance(events[-2], Usage)


async def test_tools_agents_and_skills_are_refused_before_any_call(
    engine: AnthropicEngine, fake_api: FakeMessagesAPI
) -> None:
    request = EngineRequest(
        "fix it", "sonnet", kind="task", allowed_tools=("Read",), allowed_agents=("reviewer",)
    )

    failure = only_failure(await collect(engine, request))

    assert failure.category == "bad_request"
    assert "tools Read; agents reviewer" in failure.message
    assert fake_api.requests == []


async def test_the_key_comes_from_the_environment(
    fake_api: FakeMessagesAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
    engine = build_engine("anthropic", base_url=fake_api.base_url)
    try:
        events = [event async for event in engine.run(EngineRequest("hi", "sonnet"))]
    finally:
        await engine.aclose()

    assert engine.name == "anthropic"
    assert events[-1] == FinalResult("Echo: hi", "claude-sonnet-5-5")
    assert API_KEY not in repr(engine)


def test_bad_options_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ValueError, match="api_key"):
        AnthropicEngine()
    with pytest.raises(ValueError, match="models: unknown alias 'gpt'"):
        AnthropicEngine(api_key=API_KEY, models={"gpt": "x"})
    with pytest.raises(ValueError, match="max_tokens"):
        AnthropicEngine(api_key=API_KEY, max_tokens=0)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    later = datetime.now(timezone.utc) + timedelta(seconds=120)

    assert retry_after("2.5") == 2.5
    assert retry_after(None) is None
    assert retry_after("soon") is None
    seconds = retry_after(format_datetime(later, usegmt=True))
    assert seconds is not None
    assert 60 < seconds <= 120
