"""The I/O effects a request flow asks for, and the two drivers that perform them.

Everything about a call (building, retrying, mapping errors, decoding) is written once as a
generator that yields effects; `run_sync` and `run_async` are the only places that differ.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
import httpx

__all__ = ["Close", "Effect", "Flow", "Read", "Send", "Sleep", "run_async", "run_sync"]

T = TypeVar("T")


@dataclass(frozen=True)
class Send:
    """Send a request; the flow receives the response or the transport exception."""

    request: httpx.Request
    stream: bool


@dataclass(frozen=True)
class Sleep:
    """Wait before the next attempt."""

    seconds: float


@dataclass(frozen=True)
class Read:
    """Read a streamed response's body (needed before building an error from it)."""

    response: httpx.Response


@dataclass(frozen=True)
class Close:
    """Release a streamed response that will not be used."""

    response: httpx.Response


Effect = Send | Sleep | Read | Close
Flow = Generator[Effect, Any, T]


def run_sync(flow: Flow[T], http: httpx.Client) -> T:
    """Drive `flow` with blocking I/O."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            if isinstance(effect, Send):
                value = http.send(effect.request, stream=effect.stream)
            elif isinstance(effect, Sleep):
                time.sleep(effect.seconds)
            elif isinstance(effect, Read):
                effect.response.read()
            else:
                effect.response.close()
        except Exception as exc:
            error = exc


async def run_async(flow: Flow[T], http: httpx.AsyncClient) -> T:
    """Drive `flow` with async I/O (asyncio or trio, through anyio)."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            if isinstance(effect, Send):
                value = await http.send(effect.request, stream=effect.stream)
            elif isinstance(effect, Sleep):
                await anyio.sleep(effect.seconds)
            elif isinstance(effect, Read):
                await effect.response.aread()
            else:
                await effect.response.aclose()
        except Exception as exc:
            error = exc
