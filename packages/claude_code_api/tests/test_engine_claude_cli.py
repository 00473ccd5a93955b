"""The `claude-cli` engine against a fake `claude` executable (`claude_fake_cli.py`) that writes
the real stream-json format line by line, uses tools and fails in every way the engine handles."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from claude_engine_testing import (
    WAIT_LIMIT,
    collect,
    install_fake_claude,
    live_group_members,
    wait_until_empty,
)

from claude_code_api.service.engines import (
    EngineEvent,
    EngineFailure,
    EngineRequest,
    FinalResult,
    TextDelta,
    ToolUse,
    Usage,
    build_engine,
)
from claude_code_api.service.engines.claude_cli import ClaudeCLIEngine

MakeEngine = Callable[..., ClaudeCLIEngine]


@pytest.fixture
def fake_claude(tmp_path: Path) -> Path:
    """The fake CLI installed as an executable `claude` run by the test's interpreter."""
    return install_fake_claude(tmp_path)


@pytest.fixture
def record(tmp_path: Path) -> Path:
    """Where the fake records how it was started."""
    return tmp_path / "record.json"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty working directory for a task."""
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
async def make_engine(fake_claude: Path, record: Path) -> AsyncIterator[MakeEngine]:
    """Engines running the fake in a scenario (extra env vars by keyword); closed after the test."""
    engines: list[ClaudeCLIEngine] = []

    def make(
        scenario: str = "answer", partial_messages: bool = True, **env: str
    ) -> ClaudeCLIEngine:
        variables = {"FAKE_CLAUDE_SCENARIO": scenario, "FAKE_CLAUDE_RECORD": str(record), **env}
        engine = ClaudeCLIEngine(str(fake_claude), env=variables, partial_messages=partial_messages)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        await engine.aclose()


def texts(events: list[EngineEvent]) -> list[str]:
    return [event.text for event in events if isinstance(event, TextDelta)]


def wait_for_record(record: Path, key: str = "pid") -> dict[str, Any]:
    """The fake's record once it holds a non-empty `key`."""
    deadline = time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline:
        if record.exists():
            facts: dict[str, Any] = json.loads(record.read_text())
            if facts.get(key):
                return facts
        time.sleep(0.01)
    raise AssertionError(f"the fake never recorded {key!r}")


def exists(path: Path) -> bool:
    return path.exists()


def assert_group_gone(pgid: int) -> None:
    assert wait_until_empty(lambda: live_group_members(pgid)) == []


async def test_first_text_arrives_while_the_cli_is_still_running(
    make_engine: MakeEngine, record: Path, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"
    engine = make_engine("answer", FAKE_CLAUDE_GATE=str(gate))
    stream = engine.run(EngineRequest("Write a story", "sonnet"))

    first = await anext(stream)
    while not isinstance(first, TextDelta):
        first = await anext(stream)
    # The fake writes nothing more until the gate opens: the first chunk came mid-run.
    facts = wait_for_record(record)
    assert first == TextDelta("You ")
    assert live_group_members(facts["pid"]) != []
    gate.touch()
    rest = [event async for event in stream]

    events = [first, *rest]
    assert "".join(texts(events)) == "You said: Write a story"
    assert texts(events) == ["You ", "said: ", "Write a story"]
    assert rest[-2:] == [
        Usage(input_tokens=45, output_tokens=42, cost_usd=0.0123),
        FinalResult("You said: Write a story", "claude-sonnet-fake"),
    ]
    assert_group_gone(facts["pid"])


async def test_runs_an_argument_list_in_a_clean_environment(
    make_engine: MakeEngine,
    record: Path,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "CLAUDECODE": "1",
        "CLAUDE_CODE_SESSION": "outer-session",
        "CLAUDE_API_KEY": "cc_" + "0" * 40,
        "CLAUDE_API_DB": "postgresql://user:secret@db/claude",
        "KEPT_FOR_THE_CLI": "yes",
    }.items():
        monkeypatch.setenv(name, value)
    prompt = "--help; rm -rf / && echo $HOME `id` 'quoted' \"double\"\nsecond line"
    request = EngineRequest(
        prompt,
        "haiku",
        kind="task",
        allowed_tools=("Read", "Bash(git diff:*)"),
        allowed_agents=("code-reviewer",),
        allowed_skills=("*",),
        working_directory=workdir,
    )

    events = await collect(make_engine("answer"), request)

    facts = wait_for_record(record)
    assert events[-1] == FinalResult(f"You said: {prompt}", "claude-haiku-fake")
    assert facts["prompt"] == prompt
    assert facts["allowed_tools"] == ["Read", "Bash(git diff:*)", "Task(code-reviewer)", "Skill"]
    assert facts["argv"][:7] == ["-p", "--model", "haiku", "--output-format", "stream-json",
                                 "--verbose", "--include-partial-messages"]  # fmt: skip
    assert facts["cwd"] == str(workdir)
    assert facts["stdin_is_devnull"] is True
    assert facts["pgid"] == facts["pid"] != os.getpgid(0)
    names = set(facts["env_names"])
    assert "KEPT_FOR_THE_CLI" in names
    assert "FAKE_CLAUDE_SCENARIO" in names
    assert names.isdisjoint(
        {"CLAUDECODE", "CLAUDE_CODE_SESSION", "CLAUDE_API_KEY", "CLAUDE_API_DB"}
    )


async def test_without_a_working_directory_runs_in_a_fresh_one_removed_after(
    make_engine: MakeEngine, record: Path
) -> None:
    events = await collect(make_engine("answer"), EngineRequest("hi", "sonnet"))

    cwd = Path(wait_for_record(record)["cwd"])
    assert isinstance(events[-1], FinalResult)
    assert cwd != Path.cwd()
    assert not exists(cwd)


async def test_tool_use_writes_into_the_working_directory(
    make_engine: MakeEngine, workdir: Path
) -> None:
    request = EngineRequest(
        "Write hello.txt",
        "sonnet",
        kind="task",
        allowed_tools=("Write",),
        working_directory=workdir,
    )

    events = await collect(make_engine("tool"), request)

    write = {"file_path": "hello.txt", "content": "hello from the fake\n"}
    assert [event for event in events if isinstance(event, ToolUse)] == [
        ToolUse("Write", write, "toolu_1")
    ]
    assert (workdir / "hello.txt").read_text() == "hello from the fake\n"
    assert "".join(texts(events)) == "I'll write the file.Done: hello.txt written."
    assert events[-1] == FinalResult("Done: hello.txt written.", "claude-sonnet-fake")


async def test_a_star_allows_every_built_in_tool(make_engine: MakeEngine, workdir: Path) -> None:
    request = EngineRequest(
        "Write hello.txt", "sonnet", kind="task", allowed_tools=("*",), working_directory=workdir
    )

    events = await collect(make_engine("tool"), request)

    assert (workdir / "hello.txt").read_text() == "hello from the fake\n"
    assert events[-1] == FinalResult("Done: hello.txt written.", "claude-sonnet-fake")


async def test_a_tool_outside_allowed_tools_is_denied(
    make_engine: MakeEngine, workdir: Path
) -> None:
    request = EngineRequest("Write hello.txt", "sonnet", kind="task", working_directory=workdir)

    events = await collect(make_engine("tool"), request)

    assert not (workdir / "hello.txt").exists()
    assert events[-1] == FinalResult("I could not write it.", "claude-sonnet-fake")


async def test_without_partial_messages_text_comes_a_turn_at_a_time(
    make_engine: MakeEngine, record: Path
) -> None:
    events = await collect(
        make_engine("answer", partial_messages=False), EngineRequest("hi", "opus")
    )

    assert texts(events) == ["You said: hi"]
    assert events[-1] == FinalResult("You said: hi", "claude-opus-fake")
    assert "--include-partial-messages" not in wait_for_record(record)["argv"]


@pytest.mark.parametrize(
    ("scenario", "category", "fragments"),
    [
        ("exit_nonzero", "upstream", ["exited with status 3", "the fake claude broke down"]),
        ("malformed", "upstream", ["malformed stream-json line", "this is {not json"]),
        ("no_result", "upstream", ["exited without a result line"]),
        ("error_result", "upstream", ["error_during_execution", "tool crashed"]),
        ("rate_limit", "rate_limited", ["rate_limit", "Rate limit reached"]),
    ],
)
async def test_a_failed_run_ends_with_one_clear_failure(
    make_engine: MakeEngine, record: Path, scenario: str, category: str, fragments: list[str]
) -> None:
    events = await collect(make_engine(scenario), EngineRequest("hi", "sonnet"))

    failures = [event for event in events if isinstance(event, EngineFailure)]
    assert failures == [events[-1]]
    assert failures[0].category == category
    for fragment in fragments:
        assert fragment in failures[0].message
    assert not any(isinstance(event, FinalResult) for event in events)
    assert_group_gone(wait_for_record(record)["pid"])


async def test_a_cli_lingering_after_its_result_is_killed_and_the_answer_kept(
    fake_claude: Path, record: Path
) -> None:
    variables = {"FAKE_CLAUDE_SCENARIO": "linger_after_result", "FAKE_CLAUDE_RECORD": str(record)}
    engine = ClaudeCLIEngine(str(fake_claude), env=variables, exit_grace=0.2)

    events = await collect(engine, EngineRequest("hi", "sonnet", timeout=60))

    assert events[-1] == FinalResult("You said: hi", "claude-sonnet-fake")
    assert_group_gone(wait_for_record(record)["pid"])


async def test_a_line_over_the_limit_is_an_upstream_failure(
    fake_claude: Path, record: Path
) -> None:
    engine = ClaudeCLIEngine(
        str(fake_claude), env={"FAKE_CLAUDE_RECORD": str(record)}, line_limit=4096
    )

    events = await collect(engine, EngineRequest("x" * 5000, "sonnet"))

    assert events[-1] == EngineFailure("upstream", "claude CLI wrote a line over 4096 bytes")
    assert_group_gone(wait_for_record(record)["pid"])


async def test_a_missing_binary_is_an_upstream_failure(tmp_path: Path) -> None:
    for executable in (str(tmp_path / "no-such-claude"), "claude-not-installed-here"):
        engine = ClaudeCLIEngine(executable)
        events = await collect(engine, EngineRequest("hi", "sonnet"))
        assert len(events) == 1
        assert isinstance(events[0], EngineFailure)
        assert events[0].category == "upstream"
        assert f"cannot start the claude CLI {executable!r}" in events[0].message


async def test_a_missing_working_directory_is_a_bad_request(
    make_engine: MakeEngine, tmp_path: Path, record: Path
) -> None:
    request = EngineRequest("hi", "sonnet", working_directory=tmp_path / "missing")

    events = await collect(make_engine("answer"), request)

    assert events == [
        EngineFailure(
            "bad_request", f"working_directory: {tmp_path / 'missing'} is not a directory"
        )
    ]
    assert not exists(record)


async def test_timeout_kills_the_whole_process_group(make_engine: MakeEngine, record: Path) -> None:
    stream = make_engine("hang").run(EngineRequest("hi", "sonnet", timeout=1.0))
    assert await anext(stream) == TextDelta("Thinking")
    facts = wait_for_record(record, "children")

    rest = [event async for event in stream]

    assert rest == [EngineFailure("timeout", "the claude CLI did not finish within 1 s")]
    assert_group_gone(facts["pid"])


async def test_closing_the_stream_kills_the_whole_process_group(
    make_engine: MakeEngine, record: Path
) -> None:
    stream = make_engine("hang").run(EngineRequest("hi", "sonnet", timeout=60))
    await anext(stream)
    facts = wait_for_record(record, "children")
    assert live_group_members(facts["pid"]) != []

    await stream.aclose()  # type: ignore[attr-defined]

    assert_group_gone(facts["pid"])


async def test_cancelling_the_consumer_kills_the_whole_process_group(
    make_engine: MakeEngine, record: Path
) -> None:
    engine = make_engine("hang")
    started = asyncio.Event()

    async def consume() -> None:
        async for _event in engine.run(EngineRequest("hi", "sonnet", timeout=60)):
            started.set()

    task = asyncio.create_task(consume())
    await started.wait()
    facts = await asyncio.to_thread(wait_for_record, record, "children")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert_group_gone(facts["pid"])


async def test_engine_aclose_kills_running_processes(make_engine: MakeEngine, record: Path) -> None:
    engine = make_engine("hang")
    stream = engine.run(EngineRequest("hi", "sonnet", timeout=60))
    await anext(stream)
    facts = wait_for_record(record, "children")

    await engine.aclose()
    rest = [event async for event in stream]

    assert_group_gone(facts["pid"])
    assert rest == [EngineFailure("upstream", "the claude CLI was killed by signal 9")]


async def test_max_cost_exceeded_stops_the_run(make_engine: MakeEngine, record: Path) -> None:
    request = EngineRequest("refactor everything", "sonnet", kind="task", max_cost=1.0)

    events = await collect(make_engine("expensive"), request)

    usages = [event for event in events if isinstance(event, Usage)]
    failure = events[-1]
    assert isinstance(failure, EngineFailure)
    assert failure.category == "cost_exceeded"
    assert failure.message.startswith("max_cost exceeded")
    # Two turns of 50,000 output tokens on sonnet: $1.50 and change, over the $1.00 limit.
    assert usages[-1].cost_usd is not None
    assert usages[-1].cost_usd > 1.0
    assert usages[-1].output_tokens == 100_000
    assert_group_gone(wait_for_record(record)["pid"])


async def test_a_flood_on_stderr_does_not_block_the_run(make_engine: MakeEngine) -> None:
    events = await collect(make_engine("stderr_flood"), EngineRequest("hi", "sonnet"))

    assert events[-1] == FinalResult("You said: hi", "claude-sonnet-fake")


async def test_unknown_line_types_and_fields_are_ignored(make_engine: MakeEngine) -> None:
    events = await collect(make_engine("unknown_lines"), EngineRequest("hi", "sonnet"))

    assert texts(events) == ["Fine"]
    assert events[-1] == FinalResult("Fine", "claude-sonnet-fake")


async def test_build_engine_and_repr_hide_environment_values(fake_claude: Path) -> None:
    engine = build_engine(
        "claude-cli", executable=str(fake_claude), env={"ANTHROPIC_API_KEY": "sk-x"}
    )

    assert isinstance(engine, ClaudeCLIEngine)
    assert engine.name == "claude-cli"
    assert "sk-x" not in repr(engine)
    assert "ANTHROPIC_API_KEY" in repr(engine)
    await engine.aclose()


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="executable"):
        ClaudeCLIEngine("")
    with pytest.raises(ValueError, match="line_limit"):
        ClaudeCLIEngine(line_limit=0)
    with pytest.raises(ValueError, match="exit_grace"):
        ClaudeCLIEngine(exit_grace=-1)
