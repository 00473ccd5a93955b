"""The `claude-cli` engine driving the real `claude` CLI (when it is on PATH: `npm install -g
@anthropic-ai/claude-code`), which talks to the fake Messages API (`claude_fake_messages_api`)
through `ANTHROPIC_BASE_URL`: no account, no network, no cost. It shows that the real CLI
accepts the engine's command line and that its real stream-json output parses."""

from __future__ import annotations

import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from claude_engine_testing import collect, processes_in, wait_until_empty
from claude_fake_messages_api import API_KEY, FakeMessagesAPI, HTTPFailure, served

from claude_code_api.service.engines import (
    EngineFailure,
    EngineRequest,
    FinalResult,
    TextDelta,
    ToolUse,
)
from claude_code_api.service.engines.claude_cli import ClaudeCLIEngine

CLAUDE = shutil.which("claude")

pytestmark = pytest.mark.skipif(CLAUDE is None, reason="the claude CLI is not on PATH")


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
            "ANTHROPIC_BASE_URL": fake_api.base_url,
            "ANTHROPIC_API_KEY": API_KEY,
            "CLAUDE_CODE_MAX_RETRIES": "0",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
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
