"""The offline engine: deterministic answers computed locally, for tests, demos and benchmarks.

It never contacts a model. A chat answer is built from the prompt's SHA-256, so the same prompt
and model always give the same text and token counts. A task really works in its working
directory with the tools it was allowed: `Glob` lists files, `Read` reads them, `Grep` counts
matches of the description's words, `Write` writes `SUMMARY.md`; each use is a `ToolUse` event.
`Bash` is recorded but not executed (the offline engine runs no commands).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import random
from collections.abc import AsyncIterator
from pathlib import Path

from ._base import (
    EngineEvent,
    EngineFailure,
    EngineRequest,
    FailureCategory,
    FinalResult,
    TextDelta,
    ToolUse,
    Usage,
)

__all__ = ["OfflineEngine"]

_WORDS = (
    "the",
    "answer",
    "considers",
    "clear",
    "steps",
    "small",
    "parts",
    "careful",
    "checks",
    "simple",
    "code",
    "useful",
    "notes",
    "tests",
    "data",
    "model",
    "service",
    "client",
    "request",
    "result",
    "value",
    "context",
    "detail",
    "example",
    "option",
    "approach",
    "summary",
    "point",
    "idea",
    "review",
    "plan",
    "structure",
    "pattern",
)
_LENGTH = {"haiku": 24, "sonnet": 40, "opus": 64}
_MAX_FILES = 200
_READ_LIMIT = 3


def _tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


class OfflineEngine:
    """Deterministic local engine, named `offline` in `/health` and every response's `model`.

    Args:
        chunk_delay: Seconds to wait before each text chunk and tool use (simulates a model's
            pace; 0 by default).
        fail_after: Fail every run after this many text chunks (simulates a model that breaks
            down, for tests and demos of failure handling); None never fails.
        failure: The failure's category (`upstream`, `rate_limited`, `overloaded`, ...).
        retry_after: Seconds the failure asks to wait (for `rate_limited` / `overloaded`).
    """

    name = "offline"

    def __init__(
        self,
        chunk_delay: float = 0.0,
        fail_after: int | None = None,
        failure: FailureCategory = "upstream",
        retry_after: float | None = None,
    ) -> None:
        if chunk_delay < 0:
            raise ValueError(f"chunk_delay must be >= 0, got {chunk_delay!r}")
        if fail_after is not None and fail_after < 0:
            raise ValueError(f"fail_after must be >= 0, got {fail_after!r}")
        self.chunk_delay = float(chunk_delay)
        self.fail_after = fail_after
        self.failure: FailureCategory = failure
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"OfflineEngine(chunk_delay={self.chunk_delay!r}, fail_after={self.fail_after!r})"

    def answer(self, request: EngineRequest) -> list[str]:
        """The chunks of the chat answer to `request` (deterministic)."""
        digest = hashlib.sha256(f"{request.model}\n{request.prompt}".encode()).digest()
        count = _LENGTH[request.model]
        if request.max_tokens is not None:
            count = max(1, min(count, request.max_tokens))
        words = random.Random(int.from_bytes(digest, "big")).choices(_WORDS, k=count)
        words[0] = words[0].capitalize()
        return [f"{word} " for word in words[:-1]] + [f"{words[-1]}."]

    async def _pause(self) -> None:
        # Without a delay there is nothing to wait for: yielding to the event loop anyway cost
        # the service more per completion (every suspension resumes its whole call stack)
        # than the answer itself.
        if self.chunk_delay:
            await asyncio.sleep(self.chunk_delay)

    async def run(self, request: EngineRequest) -> AsyncIterator[EngineEvent]:
        """Yield text deltas (and, for a task, tool uses), cumulative usage, then the result."""
        input_tokens = _tokens(request.prompt)
        output_tokens = 0
        parts: list[str] = []
        if request.kind == "task":
            async for event in self._work(request):
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                    output_tokens += _tokens(event.text)
                    yield event
                    yield Usage(input_tokens, output_tokens)
                else:
                    yield event
        for index, chunk in enumerate(self.answer(request)):
            if index == self.fail_after:
                yield EngineFailure(self.failure, "simulated failure", self.retry_after)
                return
            await self._pause()
            parts.append(chunk)
            output_tokens += _tokens(chunk)
            yield TextDelta(chunk)
            yield Usage(input_tokens, output_tokens)
        yield FinalResult("".join(parts), request.model)

    async def _work(self, request: EngineRequest) -> AsyncIterator[EngineEvent]:
        root = request.working_directory
        tools = set(request.allowed_tools)
        if root is None:
            return
        files: list[Path] = []
        if "Glob" in tools or "Bash" in tools:
            await self._pause()
            tool = "Glob" if "Glob" in tools else "Bash"
            yield ToolUse(tool, {"pattern": "**/*"} if tool == "Glob" else {"command": "ls -R"})
            files = sorted(p for p in root.rglob("*") if p.is_file())[:_MAX_FILES]
            python = sum(1 for p in files if p.suffix == ".py")
            yield TextDelta(f"Found {len(files)} files ({python} Python). ")
        if "Read" in tools:
            for path in files[:_READ_LIMIT]:
                await self._pause()
                relative = path.relative_to(root).as_posix()
                yield ToolUse("Read", {"file_path": relative})
                lines = path.read_text(errors="replace").count("\n")
                yield TextDelta(f"{relative}: {lines} lines. ")
        if "Grep" in tools:
            await self._pause()
            needle = request.prompt.split()[0].lower() if request.prompt.split() else ""
            yield ToolUse("Grep", {"pattern": needle})
            hits = sum(p.read_text(errors="replace").lower().count(needle) for p in files)
            yield TextDelta(f"'{needle}' occurs {hits} times. ")
        if "Write" in tools:
            await self._pause()
            yield ToolUse("Write", {"file_path": "SUMMARY.md"})
            summary = f"# Summary\n\nTask: {request.prompt}\n\nFiles seen: {len(files)}\n"
            (root / "SUMMARY.md").write_text(summary)
            yield TextDelta("Wrote SUMMARY.md. ")

    async def aclose(self) -> None:
        """Nothing to release."""
