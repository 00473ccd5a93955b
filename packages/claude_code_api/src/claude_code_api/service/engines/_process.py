"""A child process in its own process group, read line by line and always killed as a group.

The `claude` CLI starts children of its own (tool commands, MCP servers); killing only the CLI
would leave them running, so the engine kills the whole group it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Mapping, Sequence
from pathlib import Path

_STDERR_TAIL = 4096
"""Bytes of stderr kept for failure messages; the rest is read and dropped."""


class GroupProcess:
    """A started child process, leader of a new process group, with stdin closed."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._stderr = bytearray()
        self._drain = asyncio.ensure_future(self._drain_stderr())

    @classmethod
    async def start(
        cls, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], line_limit: int
    ) -> GroupProcess:
        """Start `argv` (no shell); `OSError` when it cannot start (e.g. no such executable).

        `line_limit` bounds one stdout line in bytes.
        """
        process = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=dict(env),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
            limit=line_limit,
        )
        return cls(process)

    @property
    def pid(self) -> int:
        """The leader's pid, which is also the group's id."""
        return self._process.pid

    async def readline(self) -> bytes:
        """The next stdout line; b"" at the end. `ValueError` for a line over the limit."""
        assert self._process.stdout is not None
        return await self._process.stdout.readline()

    async def wait(self) -> int:
        """Wait for the leader to exit; its return code (negative: killed by that signal)."""
        return await self._process.wait()

    async def stderr_tail(self) -> str:
        """The end of what the process wrote to stderr (complete once it has exited)."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._drain), 1.0)
        return self._stderr.decode(errors="replace").strip()

    async def close(self) -> None:
        """Kill the whole group (whatever still runs in it) and reap the leader."""
        self.kill_group()
        with contextlib.suppress(ProcessLookupError):
            await self._process.wait()
        self._drain.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._drain

    def kill_group(self) -> None:
        """SIGKILL every process of the group, without waiting."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)

    async def _drain_stderr(self) -> None:
        # A child blocked on a full stderr pipe would never finish: read it all, keep the end.
        assert self._process.stderr is not None
        while chunk := await self._process.stderr.read(65536):
            self._stderr += chunk
            del self._stderr[:-_STDERR_TAIL]
