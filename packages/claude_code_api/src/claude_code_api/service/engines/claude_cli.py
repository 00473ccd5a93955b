"""The `claude-cli` engine: runs the `claude` executable (Claude Code) once per request.

`claude -p --model M --output-format stream-json --verbose --include-partial-messages
[--allowedTools RULE...] -- PROMPT`, started as an argument list (never through a shell), stdin
closed, in the request's working directory (a fresh empty one when the request names none), in a
process group of its own. Its stdout is parsed line by line as it arrives (`_stream_json`), so
the first text reaches the caller while the model is still writing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Mapping, Sequence
from pathlib import Path

from ._base import EngineEvent, EngineFailure, EngineRequest
from ._cli_auth import AuthStatus
from ._limits import Deadline, cap_cost
from ._process import GroupProcess
from ._stream_json import StreamJsonError, StreamJsonParser

STRIPPED_ENV: tuple[str, ...] = ("CLAUDECODE", "CLAUDE_CODE_SESSION")
"""Removed from the child's environment: set, they make the CLI believe it runs inside a Claude
Code session."""

ALL_TOOLS: tuple[str, ...] = (
    "Bash",
    "Edit",
    "Glob",
    "Grep",
    "NotebookEdit",
    "Read",
    "Skill",
    "Task",
    "TodoWrite",
    "WebFetch",
    "WebSearch",
    "Write",
)
"""What `*` in `allowed_tools` stands for: Claude Code's built-in tools, each allowed whole (the
CLI reads a literal `*` as the name of no tool)."""

SERVICE_ENV_PREFIX = "CLAUDE_API_"
"""The service's own settings (its key, its database URL): none of the child's business."""


class ClaudeCLIEngine:
    """Runs each request with the `claude` CLI and streams its answer.

    `executable` is the command (looked up on PATH) or a path; `extra_args` go before the
    prompt (e.g. `("--max-turns", "8")`); `env` adds variables to the child's environment, which
    is otherwise the service's own minus `STRIPPED_ENV` and `CLAUDE_API_*`.
    `partial_messages=False` drops `--include-partial-messages` (text then arrives one whole
    turn at a time). `line_limit` bounds one stdout line in bytes. `exit_grace` is how long the
    CLI may take to exit after its result line before its group is killed.
    """

    name = "claude-cli"

    def __init__(
        self,
        executable: str = "claude",
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        *,
        partial_messages: bool = True,
        line_limit: int = 16 * 1024 * 1024,
        exit_grace: float = 5.0,
    ) -> None:
        if not executable:
            raise ValueError("executable: must name the claude CLI (e.g. 'claude')")
        if line_limit <= 0:
            raise ValueError(f"line_limit: must be positive, got {line_limit}")
        if exit_grace < 0:
            raise ValueError(f"exit_grace: must not be negative, got {exit_grace}")
        self.executable = executable
        self.extra_args = tuple(extra_args)
        self.env = dict(env or {})
        self.partial_messages = partial_messages
        self.line_limit = line_limit
        self.exit_grace = exit_grace
        self._running: set[GroupProcess] = set()
        self._auth = AuthStatus()

    def __repr__(self) -> str:
        # `env` may carry a key: show only the names.
        return (
            f"{type(self).__name__}(executable={self.executable!r}, "
            f"extra_args={self.extra_args!r}, env_names={sorted(self.env)!r})"
        )

    def command(self, request: EngineRequest) -> list[str]:
        """The argument list that runs `request` (the prompt is the last argument, after `--`)."""
        argv = [self.executable, "-p", "--model", request.model]
        argv += ["--output-format", "stream-json", "--verbose"]
        if self.partial_messages:
            argv.append("--include-partial-messages")
        argv += self.extra_args
        rules = permission_rules(request)
        if rules:
            argv += ["--allowedTools", *rules]
        # `--allowedTools` takes several values: `--` keeps the prompt from becoming one.
        return [*argv, "--", request.prompt]

    def child_env(self) -> dict[str, str]:
        """The environment the CLI runs with."""
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in STRIPPED_ENV and not name.startswith(SERVICE_ENV_PREFIX)
        }
        env.update(self.env)
        return env

    async def run(self, request: EngineRequest) -> AsyncIterator[EngineEvent]:
        """Run the CLI for `request`; see `Engine.run`."""
        workdir = request.working_directory
        if workdir is not None and not workdir.is_dir():
            yield EngineFailure("bad_request", f"working_directory: {workdir} is not a directory")
            return
        with tempfile.TemporaryDirectory(prefix="claude-cli-") as scratch:
            # aclosing: closing this generator must close the inner one (and kill its process)
            # now, not whenever the garbage collector gets to it.
            async with contextlib.aclosing(self._run_in(request, workdir or Path(scratch))) as run:
                async for event in run:
                    yield event

    async def _run_in(self, request: EngineRequest, cwd: Path) -> AsyncGenerator[EngineEvent, None]:
        deadline = Deadline(request.timeout)
        try:
            process = await GroupProcess.start(
                self.command(request), cwd=cwd, env=self.child_env(), line_limit=self.line_limit
            )
        except OSError as exc:
            yield EngineFailure(
                "upstream", f"cannot start the claude CLI {self.executable!r}: {exc.strerror}"
            )
            return
        self._running.add(process)
        # Whatever ends this generator (the end, a failure, the caller closing it or being
        # cancelled), the group is killed and reaped here.
        try:
            parser = StreamJsonParser(request.model)
            while parser.outcome is None:
                try:
                    line = await deadline.wait(process.readline())
                except TimeoutError:
                    yield deadline.failure("the claude CLI")
                    return
                except ValueError:
                    yield EngineFailure(
                        "upstream", f"claude CLI wrote a line over {self.line_limit} bytes"
                    )
                    return
                if not line:
                    break
                try:
                    events = parser.feed(line.decode(errors="replace"))
                except StreamJsonError as exc:
                    yield EngineFailure("upstream", f"claude CLI: {exc}")
                    return
                for event in cap_cost(request, events):
                    yield event
                    if isinstance(event, EngineFailure):
                        return
            if parser.outcome is not None:
                # The answer is complete: let the CLI finish writing its session, but not for
                # long (the group is killed below either way).
                with contextlib.suppress(TimeoutError):
                    await Deadline(min(self.exit_grace, deadline.remaining())).wait(process.wait())
                outcome = parser.outcome
            else:
                try:
                    code = await deadline.wait(process.wait())
                except TimeoutError:
                    yield deadline.failure("the claude CLI")
                    return
                outcome = [parser.api_error or _exit_failure(code, await process.stderr_tail())]
            for event in cap_cost(request, outcome):
                yield event
        finally:
            self._running.discard(process)
            await process.close()

    async def readiness(self) -> str | None:
        """Why the CLI cannot answer now (not installed, not logged in), or None; see
        `Engine` (`/health`)."""
        return await self._auth.problem(self.executable, self.child_env())

    async def aclose(self) -> None:
        """Kill every CLI process group still running."""
        for process in list(self._running):
            await process.close()


def permission_rules(request: EngineRequest) -> list[str]:
    """The `--allowedTools` rules of a request: its tools as named (`*`: `ALL_TOOLS`), its agents
    as `Task(name)` (subagents run through the Task tool), its skills as `Skill(name)` (`*`
    allows every agent or skill)."""
    rules: list[str] = []
    for tool in request.allowed_tools:
        rules += ALL_TOOLS if tool == "*" else [tool]
    rules += _scoped("Task", request.allowed_agents)
    rules += _scoped("Skill", request.allowed_skills)
    return list(dict.fromkeys(rules))


def _scoped(tool: str, names: Iterable[str]) -> list[str]:
    return [tool if name == "*" else f"{tool}({name})" for name in names]


def _exit_failure(code: int, stderr: str) -> EngineFailure:
    if code < 0:
        what = f"the claude CLI was killed by signal {-code}"
    elif code:
        what = f"the claude CLI exited with status {code}"
    else:
        what = "the claude CLI exited without a result line"
    return EngineFailure("upstream", f"{what}: {stderr}" if stderr else what)
