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
        deadline = time.monotonic() + self.request.timeout
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.status = "timeout"
                    return
                try:
                    event = await asyncio.wait_for(anext(iterator), remaining)
                except StopAsyncIteration:
                    break
                except asyncio.TimeoutError:
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
            closer = getattr(iterator, "aclose", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()

    async def finish(self) -> Run:
        """Run to the end without looking at the events."""
        async for _ in self.events():
            pass
        return self
