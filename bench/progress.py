"""A progress bar per suite while ``make bench`` runs, with the time it has left.

A suite's length is what it took in the previous run of the same size (``suite_seconds`` in
bench/results.json); a suite without one shows its elapsed time and a pulsing bar. The
overall line counts down to the run's deadline, after which rows stop starting rounds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress_bar import ProgressBar
from rich.text import Text

__all__ = ["SuiteProgress", "previous_seconds"]


def previous_seconds(results: Path, *, quick: bool) -> dict[str, float]:
    """How long each suite took in the last run of this size (empty without one)."""
    try:
        data = json.loads(results.read_text())
    except (OSError, ValueError):
        return {}
    if data.get("quick", False) != quick:
        return {}
    seconds = data.get("suite_seconds", {})
    return {str(name): float(value) for name, value in seconds.items()}


def _clock(seconds: float) -> str:
    minutes, rest = divmod(max(0, round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


class _ElapsedBar(BarColumn):
    """A bar filled by elapsed time against the expected length (pulsing without one)."""

    def render(self, task: Task) -> ProgressBar:
        if task.total is not None and task.started and not task.finished:
            task.completed = min(task.elapsed or 0.0, task.total)
        return super().render(task)


class _TimeLeft(ProgressColumn):
    def render(self, task: Task) -> Text:
        deadline = task.fields.get("deadline")
        if deadline is not None:
            left = deadline - time.monotonic()
            return Text(f"{_clock(left)} left" if left > 0 else "past it: one round per row")
        if task.finished:
            return Text("done", style="green")
        if task.total is None or not task.started:
            return Text("")
        left = task.total - (task.elapsed or 0.0)
        return Text(f"~{_clock(left)} left" if left > 0 else "overrunning", style="cyan")


class SuiteProgress:
    """One bar per suite and a countdown to the run's deadline."""

    def __init__(
        self, names: Sequence[str], expected: dict[str, float], deadline: float, console: Console
    ) -> None:
        """Bars for ``names`` (in order), sized by ``expected`` seconds where known."""
        self._progress = Progress(
            TextColumn("{task.description:<22}"),
            _ElapsedBar(bar_width=30),
            TimeElapsedColumn(),
            _TimeLeft(),
            console=console,
            refresh_per_second=2,
        )
        self._progress.add_task("budget for rounds", total=None, deadline=deadline)
        self._tasks: dict[str, TaskID] = {
            name: self._progress.add_task(name, total=expected.get(name), start=False)
            for name in names
        }
        self.seconds: dict[str, float] = {}

    @contextmanager
    def shown(self) -> Iterator[SuiteProgress]:
        """Display the bars (output printed meanwhile appears above them)."""
        with self._progress:
            yield self

    @contextmanager
    def running(self, name: str) -> Iterator[None]:
        """Mark suite ``name`` as running for the block; record how long it took."""
        task = self._tasks[name]
        self._progress.start_task(task)
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = time.monotonic() - started
            self._progress.update(task, total=1, completed=1)
            self._progress.stop_task(task)
