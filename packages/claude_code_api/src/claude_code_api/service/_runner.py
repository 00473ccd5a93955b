"""One engine run, watched: the request's timeout and `max_cost` are enforced here for every
consumer (plain responses, SSE, WebSocket, batch, tasks), and the run's text, tool uses, tokens
and cost are collected as they arrive."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ._pricing import cost_nanos, usd_to_nanos
from .engines import (
    Engine,
    EngineEvent,
    EngineFailure,
    EngineRequest,
    FinalResult,
    TextDelta,
    ToolUse,
    Usage,
)

__all__ = ["Run", "RunStatus"]

RunStatus = Literal["running", "completed", "failed", "timeout", "max_cost_exceeded"]


class _Expired(Exception):
    """The run's deadline passed while the engine was working."""


class _Deadline:
    """One timer per run rather than a `wait_for` (a task) per event, which cost more than
    the offline engine's whole answer. When the deadline passes while the engine is being
    awaited, the awaiting task is cancelled there and `next_of` raises `_Expired`; when it
    passes while the consumer holds an event, the next `next_of` raises at once. The
    cancellation is only ever delivered inside the engine's `anext`: the task is awaiting it
    when the timer fires, and does not run again before the cancellation is thrown into it."""

    def __init__(self, seconds: float) -> None:
        self._loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None, "a run is iterated by an asyncio task"
        self._task = task
        self._expired = False
        self._awaiting = False
        self._cancelled = False
        self._timer = self._loop.call_later(max(0.0, seconds), self._expire)

    def _expire(self) -> None:
        self._expired = True
        if self._awaiting:
            self._cancelled = True
            self._task.cancel()

    async def next_of(self, iterator: AsyncIterator[EngineEvent]) -> EngineEvent:
        """The next event of `iterator`, or `_Expired` when the deadline passes first."""
        if self._expired:
            raise _Expired
        self._awaiting = True
        try:
            event = await anext(iterator)
        except asyncio.CancelledError:
            if not self._cancelled:
                raise
            self._uncancel()
            raise _Expired from None
        except StopAsyncIteration:
            if self._cancelled:  # an engine that swallowed the cancellation
                self._uncancel()
                raise _Expired from None
            raise
        finally:
            self._awaiting = False
        if self._cancelled:
            self._uncancel()
            raise _Expired
        return event

    def _uncancel(self) -> None:
        self._cancelled = False
        uncancel = getattr(self._task, "uncancel", None)
        if uncancel is not None:  # Python >= 3.11 counts cancellations
            uncancel()

    def cancel(self) -> None:
        """Stop the timer (the run ended)."""
        self._timer.cancel()


@dataclass
class Run:
    """A run of `request` on `engine`; iterate `events()` once, then read the outcome."""

    engine: Engine
    request: EngineRequest
    max_cost_nanos: int | None = None
    status: RunStatus = "running"
    text_parts: list[str] = field(default_factory=list)
    tool_log: list[dict[str, Any]] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    cost_nanos: int = 0
    engine_model: str | None = None
    failure: EngineFailure | None = None

    @property
    def text(self) -> str:
        """The answer so far (the engine's final text once completed)."""
        return "".join(self.text_parts)

    @property
    def model(self) -> str:
        """`<engine>:<model>`, e.g. `offline:haiku`: which engine answered is always visible."""
        return f"{self.engine.name}:{self.engine_model or self.request.model}"

    def _account(self, usage: Usage) -> None:
        self.input_tokens = usage.input_tokens
        self.output_tokens = usage.output_tokens
        self.cost_nanos = (
            usd_to_nanos(usage.cost_usd)
            if usage.cost_usd is not None
            else cost_nanos(self.request.model, usage.input_tokens, usage.output_tokens)
        )

    async def events(self) -> AsyncIterator[EngineEvent]:
        """The engine's events, stopped at the timeout or when the cost passes `max_cost`."""
        iterator = self.engine.run(self.request)
        deadline = _Deadline(self.request.timeout)
        try:
            while True:
                try:
                    event = await deadline.next_of(iterator)
                except StopAsyncIteration:
                    break
                except _Expired:
                    self.status = "timeout"
                    return
                if isinstance(event, TextDelta):
                    self.text_parts.append(event.text)
                elif isinstance(event, ToolUse):
                    self.tool_log.append(
                        {
                            "type": "tool_use",
                            "tool": event.name,
                            "input": dict(event.input),
                            "id": event.id,
                            "at": time.time(),
                        }
                    )
                elif isinstance(event, Usage):
                    self._account(event)
                    if self.max_cost_nanos is not None and self.cost_nanos > self.max_cost_nanos:
                        self.status = "max_cost_exceeded"
                        return
                elif isinstance(event, FinalResult):
                    self.text_parts = [event.text]
                    self.engine_model = event.model
                    self.status = "completed"
                elif isinstance(event, EngineFailure):
                    self.failure = event
                    # The engine's own max_cost check ends the run as the runner's would.
                    self.status = (
                        "max_cost_exceeded" if event.category == "cost_exceeded" else "failed"
                    )
                yield event
                if self.status != "running":
                    return
            self.failure = EngineFailure("upstream", "engine stopped without a result")
            self.status = "failed"
        finally:
            deadline.cancel()
            closer = getattr(iterator, "aclose", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()

    async def finish(self) -> Run:
        """Run to the end without looking at the events."""
        async for _ in self.events():
            pass
        return self
