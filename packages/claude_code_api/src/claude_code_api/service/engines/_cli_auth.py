"""Whether the `claude` CLI can answer at all, for `/health`: `claude auth status` prints JSON
with `loggedIn`, costs no API call, and takes a second or more (the CLI is a large program), so
its answer is kept for a minute."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from ._limits import Deadline
from ._process import GroupProcess

__all__ = ["NOT_LOGGED_IN", "AuthStatus"]

NOT_LOGGED_IN = (
    "the claude CLI is not logged in (run `claude auth login`, or give it ANTHROPIC_API_KEY)"
)
_KEEP_SECONDS = 60.0
_TIMEOUT = 30.0
_OUTPUT_LIMIT = 1024 * 1024


class AuthStatus:
    """The last answer of `claude auth status`, asked again once it is a minute old."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._asked_at = -_KEEP_SECONDS
        self._problem: str | None = None

    async def problem(self, executable: str, env: Mapping[str, str]) -> str | None:
        """Why the CLI cannot answer (not installed, not logged in, no answer), or None."""
        async with self._lock:
            if time.monotonic() - self._asked_at >= _KEEP_SECONDS:
                self._problem = await _ask(executable, env)
                self._asked_at = time.monotonic()
            return self._problem


async def _ask(executable: str, env: Mapping[str, str]) -> str | None:
    with tempfile.TemporaryDirectory(prefix="claude-auth-") as cwd:
        try:
            process = await GroupProcess.start(
                [executable, "auth", "status"], cwd=Path(cwd), env=env, line_limit=_OUTPUT_LIMIT
            )
        except OSError as exc:
            return f"cannot start the claude CLI {executable!r}: {exc.strerror}"
        try:
            output = await Deadline(_TIMEOUT).wait(_read_all(process))
        except TimeoutError:
            return f"the claude CLI did not answer `auth status` within {_TIMEOUT:g} s"
        finally:
            await process.close()
    try:
        status = json.loads(output)
    except ValueError:
        return None  # a CLI without `auth status`: nothing known against it
    if isinstance(status, dict) and status.get("loggedIn") is False:
        return NOT_LOGGED_IN
    return None


async def _read_all(process: GroupProcess) -> bytes:
    lines = []
    while line := await process.readline():
        lines.append(line)
    return b"".join(lines)
