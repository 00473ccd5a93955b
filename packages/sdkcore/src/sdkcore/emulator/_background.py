"""`background_task`: work an emulator app runs while it is served (from its lifespan)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

__all__ = ["background_task"]

T = TypeVar("T")


@contextlib.asynccontextmanager
async def background_task(
    work: Coroutine[Any, Any, T], *, name: str
) -> AsyncIterator[asyncio.Task[T]]:
    """Run ``work`` as a task named ``name`` for the length of the block, e.g. an app's
    lifespan; when the block ends the task is cancelled and awaited, so no work outlives it.
    """
    task = asyncio.create_task(work, name=name)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
