"""A byte progress bar (bytes, rate, time left) for ``usvc files``, on stderr and only when
stderr is a terminal: piped or captured output stays quiet."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..files import Progress as Report

__all__ = ["progress_bar"]


@contextlib.contextmanager
def progress_bar(label: str, console: Console | None = None) -> Iterator[Report | None]:
    """Yield ``report(done_bytes, total_bytes)`` driving a bar, or None off a terminal."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(label, total=None)

        def report(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield report
