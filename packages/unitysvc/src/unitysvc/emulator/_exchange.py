"""Gateway dispatches without a waiting client: the scheduler's runs, a broadcast's targets
and a chain's steps. The response is read to the end (they need the whole body), and the log
row is written as for any dispatch."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from sdkcore.emulator import EmulatorError

from ._deps import EmulatorState
from ._gateway import _PREVIEW, Forwarded, _response_headers, forward, record_log
from ._routing import split_wrappers

__all__ = ["exchange", "run_buffered"]


async def exchange(
    state: EmulatorState, fwd: Forwarded, *, timeout: float | None = None
) -> tuple[dict[str, str], bytes]:
    """Dispatch ``fwd`` to completion without a client (the scheduler, broadcast targets,
    chain steps): fills in its status, error and log row, and returns the response headers
    and body. A gateway error is answered as its ``{"detail": ...}`` body; ``timeout``
    (seconds) bounds the whole exchange, body included, and is a 504."""
    letters, target = split_wrappers(fwd.path)
    fwd.letters |= letters
    headers = {"content-type": "application/json"}
    body = b""

    async def run() -> tuple[httpx.Response, bytes]:
        response = await forward(state, fwd, target)
        try:
            return response, await response.aread()
        finally:
            await response.aclose()

    try:
        response, body = await asyncio.wait_for(run(), timeout)
        fwd.status = response.status_code
        headers = _response_headers(response)
        if response.status_code >= 400:
            fwd.error = ("upstream", f"http_{response.status_code}", response.reason_phrase)
    except EmulatorError as exc:
        fwd.status = exc.status_code
        body = json.dumps({"detail": exc.message}).encode()
        if fwd.error is None:
            fwd.error = ("gateway", "routing_error", exc.message)
    except asyncio.TimeoutError:
        fwd.status = 504
        body = b'{"detail": "Upstream service timed out"}'
        fwd.error = ("upstream", "timeout", "the target did not answer in time")
    except httpx.HTTPError as exc:
        fwd.status = 502
        body = b'{"detail": "Upstream response was cut"}'
        fwd.error = ("upstream", "stream_interrupted", str(exc))
    fwd.elapsed_ms = (time.monotonic() - fwd.started) * 1000
    fwd.preview += body[:_PREVIEW]
    record_log(state, fwd, force="l" in fwd.letters)
    return headers, body


async def run_buffered(state: EmulatorState, fwd: Forwarded) -> int:
    """Dispatch ``fwd`` to completion without a client (the scheduler); returns the status."""
    await exchange(state, fwd)
    assert fwd.status is not None
    return fwd.status
