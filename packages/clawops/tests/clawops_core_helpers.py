"""Helpers of the 0.70.0-resource tests: calls driven to their end, on either face."""

from __future__ import annotations

import asyncio
import time

from clawops import AsyncClawOps, ClawOps
from clawops.types import Call

FROM = "07052358010"


def finished_call(client: ClawOps, *, status_callback: str | None = None) -> Call:
    """Place a call and wait (the test emulator's calls last well under a second) until it
    has ended, answered, so that it has a recording."""
    call = client.calls.create(
        to="01012345678",
        from_=FROM,
        url="https://my-app.com/twiml",
        status_callback=status_callback,
    )
    deadline = time.monotonic() + 10
    while (current := client.calls.get(call.call_id)).status != "completed":
        assert time.monotonic() < deadline, "the call did not end in time"
        time.sleep(0.05)
    return current


async def afinished_call(client: AsyncClawOps) -> Call:
    """`finished_call` for the async client."""
    call = await client.calls.create(to="01012345678", from_=FROM, url="https://my-app.com/twiml")
    deadline = time.monotonic() + 10
    while (current := await client.calls.get(call.call_id)).status != "completed":
        assert time.monotonic() < deadline, "the call did not end in time"
        await asyncio.sleep(0.05)
    return current
