"""The official anthropic SDK, unmodified, against the service started by `claude-api service
start`, with keys made by `claude-api keys create`: each outcome is the SDK's own object or
exception class. Engine failures use a service (in-process, on loopback) whose offline engine
fails on purpose."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import anthropic
import pytest
from claude_cli_service import CliService, cli_service

from claude_code_api.service import ClaudeService

__all__ = ["cli_service"]

HIGH_RATE = "100000"
HELLO: list[anthropic.types.MessageParam] = [{"role": "user", "content": "Hello"}]


@pytest.fixture(scope="module")
def key(cli_service: CliService) -> str:
    """A key of project `anthropic-sdk`."""
    return cli_service.create_key("anthropic-sdk", "--rate-limit", HIGH_RATE)


@pytest.fixture
def client(cli_service: CliService, key: str) -> Iterator[anthropic.Anthropic]:
    """`anthropic.Anthropic(base_url=<service>)` without retries."""
    with anthropic.Anthropic(base_url=cli_service.url, api_key=key, max_retries=0) as c:
        yield c


def test_create_answers_a_message(client: anthropic.Anthropic) -> None:
    message = client.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=200,
        system=[{"type": "text", "text": "Answer briefly."}],
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "Name three colours"}]},
            {"role": "assistant", "content": "Red, green and"},
            {"role": "user", "content": "Go on"},
        ],
        metadata={"user_id": "someone"},
    )
    assert message.id.startswith("msg_")
    assert (message.type, message.role, message.model) == (
        "message",
        "assistant",
        "claude-sonnet-4-6",
    )
    assert message.content[0].type == "text"
    assert message.content[0].text
    assert message.stop_reason == "end_turn"
    assert message.stop_sequence is None
    assert message.usage.input_tokens > 0
    assert message.usage.output_tokens > 0


def test_stop_sequences_and_max_tokens(client: anthropic.Anthropic) -> None:
    whole = client.messages.create(model="haiku", max_tokens=500, messages=HELLO)
    text = whole.content[0].text  # type: ignore[union-attr]
    stop = text.split()[2]
    cut = client.messages.create(
        model="haiku", max_tokens=500, messages=HELLO, stop_sequences=["zzz", stop]
    )
    assert cut.content[0].text == text[: text.index(stop)]  # type: ignore[union-attr]
    assert (cut.stop_reason, cut.stop_sequence) == ("stop_sequence", stop)
    short = client.messages.create(model="haiku", max_tokens=2, messages=HELLO)
    assert short.stop_reason == "max_tokens"


def test_stream_has_the_messages_event_sequence(client: anthropic.Anthropic) -> None:
    whole = client.messages.create(model="claude-haiku-4-5", max_tokens=500, messages=HELLO)
    events = list(
        client.messages.create(
            model="claude-haiku-4-5", max_tokens=500, messages=HELLO, stream=True
        )
    )
    kinds = [event.type for event in events]
    assert kinds[:2] == ["message_start", "content_block_start"]
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(kinds[2:-3]) == {"content_block_delta"}
    text = "".join(
        e.delta.text
        for e in events
        if e.type == "content_block_delta" and e.delta.type == "text_delta"
    )
    assert text == whole.content[0].text  # type: ignore[union-attr]
    delta = events[-2]
    assert delta.type == "message_delta"
    assert delta.delta.stop_reason == "end_turn"
    assert delta.usage.output_tokens == whole.usage.output_tokens


def test_stream_helper_accumulates_the_message(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model="claude-haiku-4-5-20251001", max_tokens=500, messages=HELLO
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == final.content[0].text  # type: ignore[union-attr]
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens > 0


def test_count_tokens(client: anthropic.Anthropic) -> None:
    short = client.messages.count_tokens(model="claude-haiku-4-5", messages=HELLO)
    longer = client.messages.count_tokens(
        model="claude-haiku-4-5", system="Be careful and thorough.", messages=HELLO
    )
    assert 0 < short.input_tokens < longer.input_tokens


def test_bearer_token_is_accepted(cli_service: CliService, key: str) -> None:
    with anthropic.Anthropic(base_url=cli_service.url, auth_token=key, max_retries=0) as bearer:
        assert bearer.messages.create(model="haiku", max_tokens=50, messages=HELLO).content


def test_wrong_key_is_authentication_error(cli_service: CliService) -> None:
    bad = anthropic.Anthropic(base_url=cli_service.url, api_key="cc_" + "0" * 40, max_retries=0)
    with bad, pytest.raises(anthropic.AuthenticationError) as caught:
        bad.messages.create(model="haiku", max_tokens=50, messages=HELLO)
    assert caught.value.body == {
        "type": "error",
        "error": {"type": "authentication_error", "message": "Invalid or revoked API key"},
    }


def test_unsupported_and_malformed_requests_are_bad_request(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError, match="tools"):
        client.messages.create(
            model="haiku",
            max_tokens=50,
            messages=HELLO,
            tools=[{"name": "f", "input_schema": {"type": "object"}}],
        )
    with pytest.raises(anthropic.BadRequestError, match="model"):
        client.messages.create(model="gpt-4o", max_tokens=50, messages=HELLO)


def test_budget_exhausted_is_402(cli_service: CliService) -> None:
    key = cli_service.create_key("anthropic-broke", "--rate-limit", HIGH_RATE)
    cli_service.claude_api("budget", "set", "anthropic-broke", "0")
    with anthropic.Anthropic(base_url=cli_service.url, api_key=key, max_retries=0) as broke:
        with pytest.raises(anthropic.APIStatusError) as caught:
            broke.messages.create(model="haiku", max_tokens=50, messages=HELLO)
        assert caught.value.status_code == 402
        assert caught.value.body["error"]["type"] == "billing_error"  # type: ignore[index]
        once = {"Idempotency-Key": "anthropic-broke-1"}
        for replayed in ("", "true"):
            with pytest.raises(anthropic.APIStatusError) as again:
                broke.messages.create(
                    model="haiku", max_tokens=50, messages=HELLO, extra_headers=once
                )
            assert again.value.body == caught.value.body
            assert again.value.response.headers.get("Idempotent-Replayed", "") == replayed
        with (
            pytest.raises(anthropic.APIStatusError) as streamed,
            broke.messages.stream(model="haiku", max_tokens=50, messages=HELLO),
        ):
            pass
        assert streamed.value.status_code == 402


def test_rate_limit_is_rate_limit_error(cli_service: CliService) -> None:
    key = cli_service.create_key("anthropic-slow", "--rate-limit", "1")
    with anthropic.Anthropic(base_url=cli_service.url, api_key=key, max_retries=0) as slow:
        slow.messages.count_tokens(model="haiku", messages=HELLO)
        with pytest.raises(anthropic.RateLimitError) as caught:
            slow.messages.create(model="haiku", max_tokens=50, messages=HELLO)
    assert 0 < int(caught.value.response.headers["Retry-After"]) <= 60


async def test_async_client_streams(cli_service: CliService, key: str) -> None:
    async with (
        anthropic.AsyncAnthropic(base_url=cli_service.url, api_key=key, max_retries=0) as client,
        client.messages.stream(model="opus", max_tokens=100, messages=HELLO) as stream,
    ):
        text = "".join([chunk async for chunk in stream.text_stream])
        final = await stream.get_final_message()
    assert text == final.content[0].text  # type: ignore[union-attr]


def test_engine_failure_maps_to_the_sdk_errors(start_service: Callable[..., ClaudeService]) -> None:
    svc = start_service(engine_options={"fail_after": 3})
    with anthropic.Anthropic(base_url=svc.url, api_key=svc.create_key(), max_retries=0) as sdk:
        with pytest.raises(anthropic.InternalServerError) as plain:
            sdk.messages.create(model="haiku", max_tokens=50, messages=HELLO)
        assert plain.value.status_code == 502
        received: list[str] = []
        with (
            pytest.raises(anthropic.APIStatusError, match="simulated failure"),
            sdk.messages.stream(model="haiku", max_tokens=50, messages=HELLO) as stream,
        ):
            received.extend(stream.text_stream)
        assert len(received) == 3
