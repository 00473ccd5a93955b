"""The I/O effects a request flow asks for, and the two drivers that perform them.

Everything about a call (building, retrying, mapping errors, decoding) is written once as a
generator that yields effects; `run_sync` and `run_async` are the only places that differ.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

import httpx

from ._request import PreparedRequest

__all__ = [
    "AsyncSender",
    "Close",
    "Effect",
    "Flow",
    "Read",
    "Send",
    "Sleep",
    "SyncSender",
    "run_async",
    "run_sync",
]

T = TypeVar("T")


# Plain slotted classes rather than frozen dataclasses: one is made per request, and a frozen
# dataclass costs more to build (and more to define at import).
class Send:
    """Send a request; the flow receives the response or the transport exception."""

    __slots__ = ("request", "stream")

    def __init__(self, request: httpx.Request | PreparedRequest, stream: bool) -> None:
        self.request = request
        self.stream = stream


class Sleep:
    """Wait before the next attempt."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class _ResponseEffect:
    __slots__ = ("response",)

    def __init__(self, response: httpx.Response) -> None:
        self.response = response


class Read(_ResponseEffect):
    """Read a streamed response's body (needed before building an error from it)."""

    __slots__ = ()


class Close(_ResponseEffect):
    """Release a streamed response that will not be used."""

    __slots__ = ()


Effect = Send | Sleep | Read | Close
Flow = Generator[Effect, Any, T]
SyncSender = Callable[[PreparedRequest, bool], httpx.Response]
"""Sends a prepared request without making an `httpx.Request` (see `run_sync`)."""
AsyncSender = Callable[[PreparedRequest, bool], Awaitable[httpx.Response]]
"""Sends a prepared request without making an `httpx.Request` (see `run_async`)."""


class _Driver:
    """Feeds each effect's outcome (a value or an exception) back into the flow."""

    __slots__ = ("error", "flow", "result", "value")

    def __init__(self, flow: Flow[Any]) -> None:
        self.flow = flow
        self.value: Any = None
        self.error: Exception | None = None
        self.result: Any = None

    def next_effect(self) -> Effect | None:
        """The next effect to perform, or None once the flow has returned (see `result`)."""
        value, error = self.value, self.error
        self.value, self.error = None, None
        try:
            return self.flow.send(value) if error is None else self.flow.throw(error)
        except StopIteration as stop:
            self.result = stop.value
            return None


def run_sync(flow: Flow[T], http: httpx.Client, sender: SyncSender | None = None) -> T:
    """Drive `flow` with blocking I/O.

    `sender`, when given, sends every `PreparedRequest` in place of `http.send` (the SDK's own
    pool does, skipping httpx's request and client machinery); `http` still performs the rest.
    """
    driver = _Driver(flow)
    while (effect := driver.next_effect()) is not None:
        try:
            driver.value = _perform_sync(effect, http, sender)
        except Exception as exc:
            driver.error = exc
    result: T = driver.result
    return result


async def run_async(flow: Flow[T], http: httpx.AsyncClient, sender: AsyncSender | None = None) -> T:
    """Drive `flow` with async I/O (asyncio or trio, through anyio).

    `sender`, when given, sends every `PreparedRequest` in place of `http.send` (the SDK's own
    pool does, skipping httpx's request and client machinery); `http` still performs the rest.
    """
    driver = _Driver(flow)
    while (effect := driver.next_effect()) is not None:
        try:
            if sender is not None and type(effect) is Send:
                request = effect.request
                if isinstance(request, PreparedRequest):
                    # The common case, awaited here: no coroutine of its own per call.
                    driver.value = await sender(request, effect.stream)
                    continue
            driver.value = await _perform_async(effect, http)
        except Exception as exc:
            driver.error = exc
    result: T = driver.result
    return result


def _httpx_request(request: httpx.Request | PreparedRequest) -> httpx.Request:
    return request.httpx_request if isinstance(request, PreparedRequest) else request


def _perform_sync(
    effect: Effect, http: httpx.Client, sender: SyncSender | None
) -> httpx.Response | None:
    if isinstance(effect, Send):
        request = effect.request
        if sender is not None and isinstance(request, PreparedRequest):
            return sender(request, effect.stream)
        return http.send(_httpx_request(request), stream=effect.stream)
    if isinstance(effect, Sleep):
        time.sleep(effect.seconds)
    elif isinstance(effect, Read):
        effect.response.read()
    else:
        effect.response.close()
    return None


async def _perform_async(effect: Effect, http: httpx.AsyncClient) -> httpx.Response | None:
    if isinstance(effect, Send):
        return await http.send(_httpx_request(effect.request), stream=effect.stream)
    if isinstance(effect, Sleep):
        # Imported here: only retries sleep, and anyio would add to every `import` of an SDK.
        import anyio

        await anyio.sleep(effect.seconds)
    elif isinstance(effect, Read):
        await effect.response.aread()
    else:
        await effect.response.aclose()
    return None
