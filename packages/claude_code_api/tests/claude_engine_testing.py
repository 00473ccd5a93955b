"""Shared by the engine tests: running a request to its end, and looking at processes (Linux
/proc): is a process group, or anything running in a directory, gone?"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from claude_code_api.service.engines import Engine, EngineEvent, EngineRequest

WAIT_LIMIT = 20.0
"""Upper bound for waiting on something that happens in another process (never asserted)."""


def install_fake_claude(directory: Path) -> Path:
    """The fake CLI (`claude_fake_cli.py`) installed as `directory/bin/claude`, an executable run
    by the test's interpreter."""
    source = Path(__file__).with_name("claude_fake_cli.py").read_text()
    executable = directory / "bin" / "claude"
    executable.parent.mkdir()
    executable.write_text(f"#!{sys.executable}\n{source}")
    executable.chmod(0o755)
    return executable


async def collect(engine: Engine, request: EngineRequest) -> list[EngineEvent]:
    """Every event of one run."""
    return [event async for event in engine.run(request)]


def _running() -> list[tuple[int, int]]:
    """(pid, process group) of every process that is not a zombie (a zombie has finished)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _ppid, group = stat.rsplit(")", 1)[1].split()[:3]
        if state != "Z":
            found.append((int(entry.name), int(group)))
    return found


def live_group_members(pgid: int) -> list[int]:
    """The running processes of group `pgid`."""
    return [pid for pid, group in _running() if group == pgid]


def processes_in(directory: Path) -> list[int]:
    """The running processes whose working directory is `directory`."""
    found = []
    for pid, _group in _running():
        try:
            if os.readlink(f"/proc/{pid}/cwd") == str(directory):
                found.append(pid)
        except OSError:
            continue
    return found


def wait_until_empty(probe: Callable[[], list[int]]) -> list[int]:
    """`probe()` once it is empty, or what it still finds after `WAIT_LIMIT` seconds."""
    deadline = time.monotonic() + WAIT_LIMIT
    while (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return found
