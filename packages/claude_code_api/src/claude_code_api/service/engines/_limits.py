"""The per-request limits every engine enforces: the deadline and `max_cost`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from ._base import EngineEvent, EngineFailure, EngineRequest, Usage

_T = TypeVar("_T")


class Deadline:
    """The moment a request's `timeout` runs out, measured on the monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._at - time.monotonic())

    async def wait(self, awaitable: Awaitable[_T]) -> _T:
        """The awaitable's result; `TimeoutError` (and the awaitable cancelled) when the deadline
        passes first."""
        try:
            return await asyncio.wait_for(awaitable, self.remaining())
        except asyncio.TimeoutError:
            # Python 3.10's asyncio.TimeoutError is not the builtin one.
            raise TimeoutError from None

    def failure(self, what: str) -> EngineFailure:
        """The failure reported when the deadline passes while waiting for `what`."""
        return EngineFailure("timeout", f"{what} did not finish within {self.seconds:g} s")


def _max_cost_failure(request: EngineRequest, usage: Usage) -> EngineFailure | None:
    """The failure to report when `usage` costs more than the request's `max_cost`, else None."""
    if request.max_cost is None or usage.cost_usd is None or usage.cost_usd <= request.max_cost:
        return None
    return EngineFailure(
        "cost_exceeded",
        f"max_cost exceeded: the run cost ${usage.cost_usd:.4f}, "
        f"more than max_cost ${request.max_cost:.4f}",
    )


def cap_cost(request: EngineRequest, events: Iterable[EngineEvent]) -> list[EngineEvent]:
    """`events`, cut after the first `Usage` over the request's `max_cost` and its failure."""
    capped: list[EngineEvent] = []
    for event in events:
        capped.append(event)
        if isinstance(event, Usage) and (failure := _max_cost_failure(request, event)):
            capped.append(failure)
            break
    return capped
