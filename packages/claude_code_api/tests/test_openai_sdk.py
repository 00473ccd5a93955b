"""The official openai SDK, unmodified, against the service started by `claude-api service
start`, with keys made by `claude-api keys create`: each outcome is the SDK's own object or
exception class. Engine failures use a service (in-process, on loopback) whose offline engine
fails on purpose."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import openai
import pytest
from claude_cli_service import CliService, cli_service

from claude_code_api import ClaudeClient
from claude_code_api.service import ClaudeService

__all__ = ["cli_service"]

HIGH_RATE = "100000"


@pytest.fixture(scope="module")
def key(cli_service: CliService) -> str:
    """A key of project `openai-sdk`."""
    return cli_service.create_key("openai-sdk", "--rate-limit", HIGH_RATE)


@pytest.fixture
def client(cli_service: CliService, key: str) -> Iterator[openai.OpenAI]:
    """`openai.OpenAI(base_url=<service>/v1)` without retries (refusals surface at once)."""
    with openai.OpenAI(base_url=f"{cli_service.url}/v1", api_key=key, max_retries=0) as c:
        yield c


def test_create_answers_the_openai_object(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="claude-sonnet-4-5",
        messages=[
            {"role": "developer", "content": "Answer briefly."},
            {"role": "user", "content": [{"type": "text", "text": "Name three colours"}]},
        ],
        temperature=0.2,
        top_p=0.9,
        user="someone",
        n=1,
    )
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl_")
    assert completion.model == "offline:sonnet"
    choice = completion.choices[0]
    assert choice.index == 0
    assert choice.message.role == "assistant"
    assert choice.message.content
    assert choice.finish_reason == "stop"
    usage = completion.usage
    assert usage is not None
    assert usage.prompt_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    # The seed's fields ride along on the same answer.
    extra = completion.model_extra or {}
    assert extra["content"] == choice.message.content
    assert extra["cost"] > 0
    assert extra["project_id"] == "openai-sdk"


def test_model_ids_map_to_the_service_models(client: openai.OpenAI) -> None:
    for model, served in [
        ("claude-haiku-4-5", "offline:haiku"),
        ("claude-opus-4-1", "offline:opus"),
        ("claude-sonnet-4-5-20250929", "offline:sonnet"),
        ("claude-3-5-haiku-20241022", "offline:haiku"),
        ("opus", "offline:opus"),
    ]:
        answer = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "Hello"}]
        )
        assert answer.model == served
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
    assert caught.value.param == "model"


def test_stream_matches_the_completion(client: openai.OpenAI) -> None:
    messages: list[openai.types.chat.ChatCompletionMessageParam] = [
        {"role": "user", "content": "Explain streaming in a few words"}
    ]
    whole = client.chat.completions.create(model="haiku", messages=messages)
    chunks = list(
        client.chat.completions.create(
            model="haiku",
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == whole.choices[0].message.content
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    assert finishes.count("stop") == 1
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert whole.usage is not None
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens


def test_stop_and_max_tokens(client: openai.OpenAI) -> None:
    messages: list[openai.types.chat.ChatCompletionMessageParam] = [
        {"role": "user", "content": "Say a sentence"}
    ]
    whole = client.chat.completions.create(model="haiku", messages=messages)
    text = whole.choices[0].message.content or ""
    stop = text.split()[3]
    cut = client.chat.completions.create(model="haiku", messages=messages, stop=[stop, "zzz"])
    assert cut.choices[0].message.content == text[: text.index(stop)]
    assert cut.choices[0].finish_reason == "stop"
    streamed = client.chat.completions.create(
        model="haiku", messages=messages, stop=stop, stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == text[: text.index(stop)]
    # The offline engine streams word by word: this stop sequence spans two chunks.
    space = text.index(" ", len(text) // 2)
    split = text[space - 2 : space + 3]
    spanning = client.chat.completions.create(
        model="haiku", messages=messages, stop=split, stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in spanning) == text[: text.index(split)]
    short = client.chat.completions.create(
        model="haiku", messages=messages, max_completion_tokens=3
    )
    assert short.choices[0].finish_reason == "length"
    assert len(short.choices[0].message.content or "") < len(text)


def test_models(client: openai.OpenAI) -> None:
    listed = [model.id for model in client.models.list()]
    assert listed[:4] == ["auto", "haiku", "sonnet", "opus"]
    model = client.models.retrieve("claude-opus-4-1")
    assert (model.id, model.object, model.owned_by) == ("claude-opus-4-1", "model", "offline")
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-4o")


@pytest.mark.parametrize(
    ("options", "param"),
    [
        ({"n": 2}, "n"),
        ({"logprobs": True}, "logprobs"),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]},
            "tools",
        ),
    ],
)
def test_unsupported_parameters_are_400_naming_them(
    client: openai.OpenAI, options: dict[str, object], param: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="haiku", messages=[{"role": "user", "content": "Hello"}], **options
        )
    assert caught.value.param == param
    assert param in caught.value.message


def test_wrong_key_is_authentication_error(cli_service: CliService) -> None:
    bad = openai.OpenAI(base_url=f"{cli_service.url}/v1", api_key="cc_" + "0" * 40, max_retries=0)
    with bad, pytest.raises(openai.AuthenticationError) as caught:
        bad.chat.completions.create(model="haiku", messages=[{"role": "user", "content": "x"}])
    assert caught.value.code == "invalid_api_key"
    assert caught.value.response.headers["WWW-Authenticate"] == "Bearer"


def test_budget_exhausted_is_402(cli_service: CliService) -> None:
    key = cli_service.create_key("openai-broke", "--rate-limit", HIGH_RATE)
    cli_service.claude_api("budget", "set", "openai-broke", "0")
    with openai.OpenAI(base_url=f"{cli_service.url}/v1", api_key=key, max_retries=0) as broke:
        with pytest.raises(openai.APIStatusError) as caught:
            broke.chat.completions.create(
                model="haiku", messages=[{"role": "user", "content": "x"}]
            )
        assert caught.value.status_code == 402
        assert caught.value.code == "budget_exceeded"
        assert caught.value.type == "insufficient_quota"
        with pytest.raises(openai.APIStatusError) as streamed:
            broke.chat.completions.create(
                model="haiku", messages=[{"role": "user", "content": "x"}], stream=True
            )
        assert streamed.value.status_code == 402


def test_rate_limit_is_rate_limit_error(cli_service: CliService) -> None:
    key = cli_service.create_key("openai-slow", "--rate-limit", "1")
    with openai.OpenAI(base_url=f"{cli_service.url}/v1", api_key=key, max_retries=0) as slow:
        slow.models.list()
        with pytest.raises(openai.RateLimitError) as caught:
            slow.chat.completions.create(model="haiku", messages=[{"role": "user", "content": "x"}])
    assert caught.value.code == "rate_limit_exceeded"
    assert 0 < int(caught.value.response.headers["Retry-After"]) <= 60


async def test_async_client_streams(cli_service: CliService, key: str) -> None:
    async with openai.AsyncOpenAI(
        base_url=f"{cli_service.url}/v1", api_key=key, max_retries=0
    ) as client:
        stream = await client.chat.completions.create(
            model="claude-haiku-4-5", messages=[{"role": "user", "content": "Hi"}], stream=True
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream])
    assert text


def test_seed_client_and_openai_share_the_path_and_the_books(
    cli_service: CliService, client: openai.OpenAI
) -> None:
    key = cli_service.create_key("shared-books", "--rate-limit", HIGH_RATE)
    with openai.OpenAI(base_url=f"{cli_service.url}/v1", api_key=key, max_retries=0) as sdk:
        answer = sdk.chat.completions.create(
            model="haiku", messages=[{"role": "user", "content": "Hello"}]
        )
    with ClaudeClient(base_url=cli_service.url, api_key=key) as seed:
        response = seed.complete("Hello", model="haiku")
        usage = seed.get_usage()
    assert response.content == answer.choices[0].message.content
    assert usage.total_requests == 2
    assert answer.usage is not None
    assert usage.total_tokens == answer.usage.total_tokens + response.usage.total_tokens
    booked = json.loads(cli_service.claude_api("usage", "-p", "shared-books", "--json"))
    assert booked["by_model"]["offline:haiku"]["requests"] == 2


def test_missing_key_is_401_with_a_challenge(cli_service: CliService) -> None:
    response = httpx.get(f"{cli_service.url}/v1/models")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["type"] == "authentication_error"


def test_engine_failure_maps_to_the_sdk_errors(start_service: Callable[..., ClaudeService]) -> None:
    svc = start_service(engine_options={"fail_after": 3})
    with openai.OpenAI(base_url=f"{svc.url}/v1", api_key=svc.create_key(), max_retries=0) as sdk:
        with pytest.raises(openai.InternalServerError) as plain:
            sdk.chat.completions.create(model="haiku", messages=[{"role": "user", "content": "x"}])
        assert plain.value.status_code == 502
        assert plain.value.code == "upstream"
        received: list[str] = []
        stream = sdk.chat.completions.create(
            model="haiku", messages=[{"role": "user", "content": "x"}], stream=True
        )
        with pytest.raises(openai.APIError, match="simulated failure"):
            received.extend(c.choices[0].delta.content or "" for c in stream)
        assert len([text for text in received if text]) == 3
