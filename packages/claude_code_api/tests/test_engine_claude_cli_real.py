"""The `claude-cli` engine driving the real `claude` CLI: the one on PATH, else the pinned one
`.ci/run` installs into `.cache/claude-cli` (`npm install --prefix .cache/claude-cli
@anthropic-ai/claude-code@2.1.332`). With `ANTHROPIC_BASE_URL` it talks to the fake Messages API
(`claude_fake_messages_api`): no account, no network, no cost; it shows that the real CLI
accepts the engine's command line and that its real stream-json output parses. Without any
credentials it answers "Not logged in", which the engine and the service must report cleanly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from claude_engine_testing import collect, processes_in, wait_until_empty
from claude_fake_messages_api import API_KEY, FakeMessagesAPI, HTTPFailure, served

from claude_code_api import ClaudeClient, UpstreamError
from claude_code_api.service import ClaudeService
from claude_code_api.service.engines import (
    EngineFailure,
    EngineRequest,
    FinalResult,
    TextDelta,
    ToolUse,
)
from claude_code_api.service.engines._cli_auth import NOT_LOGGED_IN
from claude_code_api.service.engines._stream_json import StreamJsonParser
from claude_code_api.service.engines.claude_cli import ClaudeCLIEngine

_PINNED = Path(__file__).resolve().parents[3] / ".cache/claude-cli/node_modules/.bin/claude"
CLAUDE = shutil.which("claude") or (str(_PINNED) if _PINNED.exists() else None)
QUIET = {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_AUTOUPDATER": "1"}

pytestmark = pytest.mark.skipif(
    CLAUDE is None, reason="no claude CLI on PATH nor in .cache/claude-cli (.ci/run installs it)"
)


@pytest.fixture
def fake_api() -> Iterator[FakeMessagesAPI]:
    with served(FakeMessagesAPI()) as fake:
        yield fake


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """The task's working directory (the CLI's home is elsewhere)."""
    return tmp_path


@pytest.fixture
async def engine(
    fake_api: FakeMessagesAPI,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[ClaudeCLIEngine]:
    """The real CLI, with a fresh home, pointed at the fake API, retrying nothing itself."""
    for name in ("ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_MODEL"):
        monkeypatch.delenv(name, raising=False)
    assert CLAUDE is not None
    engine = ClaudeCLIEngine(
        CLAUDE,
        env={
            "HOME": str(tmp_path_factory.mktemp("home")),
            # The CLI keeps sockets and scratch files in its temp dir: one the test removes.
            "TMPDIR": str(tmp_path_factory.mktemp("cli-tmp")),
            "ANTHROPIC_BASE_URL": fake_api.base_url,
            "ANTHROPIC_API_KEY": API_KEY,
            "CLAUDE_CODE_MAX_RETRIES": "0",
            **QUIET,
        },
    )
    yield engine
    await engine.aclose()


async def test_the_real_cli_streams_an_answer(
    engine: ClaudeCLIEngine, fake_api: FakeMessagesAPI, workdir: Path
) -> None:
    fake_api.gate = threading.Event()
    stream = engine.run(EngineRequest("say hi", "haiku", timeout=120, working_directory=workdir))

    first = await anext(stream)
    while not isinstance(first, TextDelta):
        first = await anext(stream)
    # The fake API holds the rest of the answer until the gate opens.
    assert processes_in(workdir) != []
    fake_api.gate.set()
    rest = [event async for event in stream]

    assert first == TextDelta("Echo: ")
    assert isinstance(rest[-1], FinalResult)
    assert rest[-1].text == "Echo: say hi"


async def test_a_prompt_that_looks_like_an_option_reaches_the_model_as_text(
    engine: ClaudeCLIEngine, workdir: Path
) -> None:
    events = await collect(
        engine, EngineRequest("--version", "haiku", timeout=120, working_directory=workdir)
    )

    assert isinstance(events[-1], FinalResult)
    assert events[-1].text == "Echo: --version"


@pytest.mark.parametrize(("tools", "allowed"), [(("Write",), True), (("*",), True), ((), False)])
async def test_the_real_cli_writes_a_file_only_when_allowed(
    engine: ClaudeCLIEngine,
    fake_api: FakeMessagesAPI,
    workdir: Path,
    tools: tuple[str, ...],
    allowed: bool,
) -> None:
    target = workdir / "hello.txt"
    fake_api.tool_call = ("Write", {"file_path": str(target), "content": "hello\n"})
    request = EngineRequest(
        "write hello.txt",
        "sonnet",
        kind="task",
        allowed_tools=tools,
        timeout=120,
        working_directory=workdir,
    )

    events = await collect(engine, request)

    uses = [event for event in events if isinstance(event, ToolUse)]
    assert [(use.name, dict(use.input)) for use in uses] == [
        ("Write", {"file_path": str(target), "content": "hello\n"})
    ]
    assert target.exists() is allowed
    assert isinstance(events[-1], FinalResult)
    assert events[-1].text.startswith("Done: ")


@pytest.mark.parametrize(
    ("status", "error_type", "category"),
    [(429, "rate_limit_error", "rate_limited"), (529, "overloaded_error", "overloaded")],
)
async def test_the_real_cli_reports_api_errors(
    engine: ClaudeCLIEngine,
    fake_api: FakeMessagesAPI,
    workdir: Path,
    status: int,
    error_type: str,
    category: str,
) -> None:
    fake_api.failure = HTTPFailure(status, error_type, "busy now", {"retry-after": "1"})

    events = await collect(engine, EngineRequest("hi", "sonnet", working_directory=workdir))

    assert isinstance(events[-1], EngineFailure)
    assert events[-1].category == category
    assert "busy now" in events[-1].message


async def test_the_real_cli_is_killed_on_timeout(
    engine: ClaudeCLIEngine, fake_api: FakeMessagesAPI, workdir: Path
) -> None:
    # Never opened: the fake API holds the answer after its first words (for 20 s at most).
    fake_api.gate = threading.Event()

    events = await collect(
        engine, EngineRequest("hi", "sonnet", timeout=10, working_directory=workdir)
    )

    assert events[-1] == EngineFailure("timeout", "the claude CLI did not finish within 10 s")
    assert wait_until_empty(lambda: processes_in(workdir)) == []


@pytest.fixture
def logged_out(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The environment of a CLI that has never logged in: a fresh home, no credentials."""
    for name in (
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_BASE_URL",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "ANTHROPIC_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)
    return {
        "HOME": str(tmp_path_factory.mktemp("home")),
        "TMPDIR": str(tmp_path_factory.mktemp("cli-tmp")),
        **QUIET,
    }


def test_the_real_cli_logged_out_writes_init_then_an_error_result(
    logged_out: dict[str, str], workdir: Path
) -> None:
    assert CLAUDE is not None
    engine = ClaudeCLIEngine(CLAUDE, env=logged_out)
    finished = subprocess.run(
        engine.command(EngineRequest("hi", "haiku")),
        cwd=workdir,
        env=engine.child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    lines = [json.loads(line) for line in finished.stdout.splitlines() if line.strip()]
    init = lines[0]
    assert (init["type"], init["subtype"]) == ("system", "init")
    assert init["session_id"]
    assert "haiku" in init["model"]
    assert "Write" in init["tools"]
    assert lines[-1]["type"] == "result"
    assert lines[-1]["is_error"] is True

    parser = StreamJsonParser("haiku")
    for line in finished.stdout.decode().splitlines():
        assert parser.feed(line) == []
    assert parser.model == init["model"]  # from init: the assistant line is "<synthetic>"
    assert parser.outcome is not None
    failure = parser.outcome[-1]
    assert isinstance(failure, EngineFailure)
    assert failure.category == "upstream"
    assert "Not logged in" in failure.message


async def test_the_real_cli_logged_out_is_an_upstream_failure_and_not_ready(
    logged_out: dict[str, str], workdir: Path
) -> None:
    assert CLAUDE is not None
    engine = ClaudeCLIEngine(CLAUDE, env=logged_out)
    try:
        events = await collect(
            engine, EngineRequest("hi", "haiku", timeout=120, working_directory=workdir)
        )
        problem = await engine.readiness()
    finally:
        await engine.aclose()

    assert isinstance(events[-1], EngineFailure)
    assert events[-1].category == "upstream"
    assert "Not logged in" in events[-1].message
    assert problem == NOT_LOGGED_IN
    assert wait_until_empty(lambda: processes_in(workdir)) == []


async def test_the_real_cli_with_a_key_is_ready(engine: ClaudeCLIEngine) -> None:
    assert await engine.readiness() is None


def test_the_service_on_a_logged_out_cli_answers_502_and_reports_not_ready(
    logged_out: dict[str, str],
) -> None:
    options = {"executable": CLAUDE, "env": logged_out}
    with ClaudeService(engine="claude-cli", engine_options=options) as service:
        key = service.create_key("cli")
        with ClaudeClient(**service.client_kwargs(key), max_retries=0, timeout=180) as client:
            with pytest.raises(UpstreamError) as completion:
                client.complete("hi", model="haiku")
            with pytest.raises(UpstreamError) as stream:
                list(client.stream("hi", model="haiku"))
            health = httpx.get(f"{service.url}/health", timeout=120).json()

    assert completion.value.status_code == 502
    assert "Not logged in" in completion.value.message
    assert "Not logged in" in str(stream.value)
    assert health["status"] == "degraded"
    assert health["services"]["engine"] == {
        "status": "not_ready",
        "name": "claude-cli",
        "detail": NOT_LOGGED_IN,
    }
