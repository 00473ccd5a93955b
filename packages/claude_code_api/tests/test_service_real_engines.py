"""The service end to end on its real engines: `claude-cli` running the fake `claude` executable
(`claude_fake_cli.py`) and `anthropic` calling the fake Messages API (`claude_fake_messages_api`),
driven through `ClaudeClient` / `AsyncClaudeClient` over loopback HTTP."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from claude_engine_testing import install_fake_claude
from claude_fake_messages_api import API_KEY, FakeMessagesAPI, HTTPFailure, served

from claude_code_api import (
    AsyncClaudeClient,
    BudgetExceededError,
    ClaudeClient,
    RateLimitError,
    ServiceUnavailableError,
    TaskTimeoutError,
    TimeoutError,
    UpstreamError,
)
from claude_code_api.service import ClaudeService

# Imported here, not first in the service's startup: the `anthropic` package takes a while to
# import, and a loaded machine could push that past the server's start timeout.
from claude_code_api.service.engines.anthropic import DEFAULT_MODELS

StartCLI = Callable[..., ClaudeClient]
HIGH_RATE = 100_000


@pytest.fixture
def fake_claude(tmp_path: Path) -> Path:
    """The fake CLI installed as an executable `claude` run by the test's interpreter."""
    return install_fake_claude(tmp_path)


def _client_kwargs(service: ClaudeService) -> dict[str, Any]:
    # No client retries: each failure must reach the test as the status the service chose.
    key = service.create_key("test", rate_limit=HIGH_RATE)
    return {**service.client_kwargs(key), "max_retries": 0}


@pytest.fixture
def cli_service(
    fake_claude: Path, tmp_path: Path, start_service: Callable[..., ClaudeService]
) -> Callable[..., ClaudeService]:
    """`cli_service(scenario, **env)`: a service on the `claude-cli` engine running the fake."""

    def start(scenario: str = "answer", **env: str) -> ClaudeService:
        variables = {"FAKE_CLAUDE_SCENARIO": scenario, "FAKE_CLAUDE_DELAY": "0.005", **env}
        return start_service(
            engine="claude-cli",
            engine_options={"executable": str(fake_claude), "env": variables},
            workspace_root=tmp_path / "tasks",
        )

    return start


@pytest.fixture
def cli_client(cli_service: Callable[..., ClaudeService]) -> Iterator[StartCLI]:
    """`cli_client(scenario, **env)`: a blocking client of a fresh `claude-cli` service."""
    clients: list[ClaudeClient] = []

    def make(scenario: str = "answer", **env: str) -> ClaudeClient:
        clients.append(ClaudeClient(**_client_kwargs(cli_service(scenario, **env))))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeMessagesAPI]:
    """The fake Messages API (one per module; each test resets its behaviour)."""
    with served(FakeMessagesAPI()) as fake:
        yield fake


@pytest.fixture(scope="module")
def anthropic_service(fake_api: FakeMessagesAPI) -> Iterator[ClaudeService]:
    """A service on the `anthropic` engine pointed at the fake Messages API."""
    options = {"api_key": API_KEY, "base_url": fake_api.base_url}
    with ClaudeService(engine="anthropic", engine_options=options) as service:
        yield service


@pytest.fixture
def api(fake_api: FakeMessagesAPI) -> Iterator[FakeMessagesAPI]:
    """The fake Messages API, answering normally unless the test says otherwise."""
    fake_api.failure = None
    fake_api.gate = None
    yield fake_api
    _release(fake_api)


def _release(fake: FakeMessagesAPI) -> None:
    """Let a stream the test held go on (its client may be gone)."""
    if fake.gate is not None:
        fake.gate.set()


@pytest.fixture
def anthropic_client(anthropic_service: ClaudeService) -> Iterator[ClaudeClient]:
    with ClaudeClient(**_client_kwargs(anthropic_service)) as client:
        yield client


def assert_stopped_at_max_cost(error: BudgetExceededError) -> None:
    """The task was stopped for passing its `max_cost` (402, status `max_cost_exceeded`)."""
    assert error.status_code == 402
    body = error.body
    assert isinstance(body, dict)
    assert body["status"] == "max_cost_exceeded"


# -- claude-cli --------------------------------------------------------------------------------


def test_cli_complete_names_the_engine_and_reports_usage(cli_client: StartCLI) -> None:
    client = cli_client()

    response = client.complete("hello there", model="haiku")

    assert response.content == "You said: hello there"
    assert response.model == "claude-cli:claude-haiku-fake"
    assert response.usage.input_tokens > 0
    assert response.usage.output_tokens > 0
    assert response.cost == pytest.approx(0.0123)
    assert client.health().engine == "claude-cli"


def test_cli_stream_delivers_the_first_chunk_while_the_fake_is_held(
    cli_client: StartCLI, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"
    client = cli_client(FAKE_CLAUDE_GATE=str(gate))

    chunks = client.stream("a story", model="sonnet")
    first = next(chunks)
    # The fake waits for the gate file after its first delta: the chunk came before the end.
    gate.touch()
    rest = list(chunks)

    assert first == "You "
    assert "".join([first, *rest]) == "You said: a story"


def test_cli_task_returns_the_written_file_and_the_tool_use(cli_client: StartCLI) -> None:
    client = cli_client("tool")

    result = client.agentic_task("write hello.txt", allow_tools=["Write"], model="sonnet")

    assert result.status == "completed"
    assert [artifact.path for artifact in result.artifacts] == ["hello.txt"]
    assert [(entry["tool"], entry["input"]["file_path"]) for entry in result.execution_log] == [
        ("Write", "hello.txt")
    ]
    assert result.model is not None
    assert result.model.startswith("claude-cli:")


@pytest.mark.parametrize(
    ("scenario", "error"),
    [
        ("rate_limit", RateLimitError),
        ("exit_nonzero", UpstreamError),
        ("malformed", UpstreamError),
    ],
)
def test_cli_failures_map_to_the_spec_statuses(
    cli_client: StartCLI, scenario: str, error: type[Exception]
) -> None:
    client = cli_client(scenario)

    with pytest.raises(error) as caught:
        client.complete("hi", model="haiku")

    assert "claude" in str(caught.value).lower()


def test_cli_hang_times_out_with_504(cli_client: StartCLI) -> None:
    client = cli_client("hang")

    with pytest.raises(TaskTimeoutError) as caught:
        client.complete("hi", model="haiku", timeout=1)

    assert caught.value.status_code == 504
    assert isinstance(caught.value, TimeoutError)


def test_cli_task_over_max_cost_stops_with_402(cli_client: StartCLI) -> None:
    client = cli_client("expensive")

    with pytest.raises(BudgetExceededError) as caught:
        client.agentic_task("spend", model="opus", max_cost=0.5)

    assert_stopped_at_max_cost(caught.value)


def test_cli_engine_reported_max_cost_breach_is_402_too(cli_client: StartCLI) -> None:
    client = cli_client()
    # The fake's run costs $0.0123: a hair over this limit in USD, equal to it in the service's
    # nano-dollars, so the engine's own check (not the service's) is the one that stops it.
    limit = 0.0123 - 1e-12

    with pytest.raises(BudgetExceededError) as caught:
        client.agentic_task("spend a little", model="haiku", max_cost=limit)

    assert_stopped_at_max_cost(caught.value)
    assert caught.value.estimated_cost == pytest.approx(0.0123)


async def test_cli_async_client_completes_and_streams(
    cli_service: Callable[..., ClaudeService],
) -> None:
    service = cli_service()
    async with AsyncClaudeClient(**_client_kwargs(service)) as client:
        response = await client.complete("async hello", model="haiku")
        chunks = [chunk async for chunk in client.stream("async stream", model="haiku")]
        health = await client.health()

    assert response.content == "You said: async hello"
    assert response.model.startswith("claude-cli:")
    assert len(chunks) > 1
    assert "".join(chunks) == "You said: async stream"
    assert health.engine == "claude-cli"


# -- anthropic ---------------------------------------------------------------------------------


def test_anthropic_complete_names_the_engine_and_reports_usage(
    anthropic_client: ClaudeClient, api: FakeMessagesAPI
) -> None:
    response = anthropic_client.complete("hello there", model="sonnet")

    assert response.content == "Echo: hello there"
    assert response.model == f"anthropic:{DEFAULT_MODELS['sonnet']}"
    assert (response.usage.input_tokens, response.usage.output_tokens) == (1000, 2000)
    assert response.cost == pytest.approx((1000 * 3.0 + 2000 * 15.0) / 1_000_000)
    assert anthropic_client.health().engine == "anthropic"


def test_anthropic_stream_delivers_the_first_chunk_while_the_fake_is_held(
    anthropic_client: ClaudeClient, api: FakeMessagesAPI
) -> None:
    gate = api.gate = threading.Event()

    chunks = anthropic_client.stream("a story", model="haiku")
    first = next(chunks)
    gate.set()
    rest = list(chunks)

    assert first == "Echo: "
    assert rest == ["a story"]


async def test_anthropic_async_client_completes_and_streams(
    anthropic_service: ClaudeService, api: FakeMessagesAPI
) -> None:
    async with AsyncClaudeClient(**_client_kwargs(anthropic_service)) as client:
        response = await client.complete("async hello", model="haiku")
        chunks = [chunk async for chunk in client.stream("async stream", model="haiku")]

    assert response.content == "Echo: async hello"
    assert response.model == f"anthropic:{DEFAULT_MODELS['haiku']}"
    assert chunks == ["Echo: ", "async stream"]


def test_anthropic_rate_limit_passes_retry_after_through(
    anthropic_client: ClaudeClient, api: FakeMessagesAPI
) -> None:
    api.failure = HTTPFailure(429, "rate_limit_error", "slow down", {"retry-after": "7"})

    with pytest.raises(RateLimitError) as caught:
        anthropic_client.complete("hi", model="haiku")

    assert caught.value.status_code == 429
    assert caught.value.retry_after == 7


@pytest.mark.parametrize(
    ("failure", "error", "status"),
    [
        (HTTPFailure(529, "overloaded_error", "Overloaded"), ServiceUnavailableError, 503),
        (HTTPFailure(500, "api_error", "Internal server error"), UpstreamError, 502),
    ],
)
def test_anthropic_failures_map_to_the_spec_statuses(
    anthropic_client: ClaudeClient,
    api: FakeMessagesAPI,
    failure: HTTPFailure,
    error: type[Exception],
    status: int,
) -> None:
    api.failure = failure

    with pytest.raises(error) as caught:
        anthropic_client.complete("hi", model="haiku")

    assert getattr(caught.value, "status_code", None) == status
    assert failure.message in str(caught.value)


def test_anthropic_held_stream_times_out_with_504(
    anthropic_client: ClaudeClient, api: FakeMessagesAPI
) -> None:
    api.gate = threading.Event()

    with pytest.raises(TimeoutError) as caught:
        anthropic_client.complete("hi", model="haiku", timeout=1)

    assert isinstance(caught.value, TaskTimeoutError)
    assert caught.value.status_code == 504


def test_anthropic_task_over_max_cost_stops_with_402(
    anthropic_client: ClaudeClient, api: FakeMessagesAPI
) -> None:
    with pytest.raises(BudgetExceededError) as caught:
        anthropic_client.agentic_task("summarise", model="opus", max_cost=0.001)

    assert_stopped_at_max_cost(caught.value)


def test_anthropic_failure_in_a_stream_raises_with_retry_after(
    anthropic_client: ClaudeClient, api: FakeMessagesAPI
) -> None:
    api.failure = HTTPFailure(429, "rate_limit_error", "slow down", {"retry-after": "3"})

    with pytest.raises(RateLimitError) as caught:
        list(anthropic_client.stream("hi", model="haiku"))

    assert caught.value.retry_after == 3


async def test_cli_failure_in_an_async_stream_raises_upstream_error(
    cli_service: Callable[..., ClaudeService],
) -> None:
    service = cli_service("exit_nonzero")
    async with AsyncClaudeClient(**_client_kwargs(service)) as client:
        with pytest.raises(UpstreamError) as caught:
            _ = [chunk async for chunk in client.stream("hi", model="haiku")]

    assert caught.value.status_code == 502
    assert "exited with status 3" in str(caught.value)
