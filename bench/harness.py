"""Timing: warm every contender up, then time them in interleaved rounds and keep medians."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Workload = Callable[[int], "float | None"]
"""Performs `n` requests (the argument); returns the seconds it measured itself (a worker in
another process), or None to be timed here."""


@dataclass(frozen=True)
class Settings:
    """What every suite is given: full size or quick, and when to stop starting rounds."""

    quick: bool = False
    deadline: float = math.inf
    """`time.monotonic()` after which no row starts another round (see `time_rounds`)."""

    def pick(self, full: int, quick: int) -> int:
        """A count for this run's size."""
        return quick if self.quick else full


def time_rounds(
    contenders: Mapping[str, Workload], *, n: int, rounds: int, warmup: int, deadline: float
) -> dict[str, list[float]]:
    """Wall seconds of `n` requests per contender per round, after `warmup` untimed requests.

    The order rotates every round (A B, B A, ...) so drift such as CPU frequency or server
    state spreads over every contender instead of favouring whoever runs first. A round that
    would end after `deadline` (`time.monotonic()`) is skipped; the first always runs.
    """
    for workload in contenders.values():
        workload(warmup)
    names = list(contenders)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    first_round = time.monotonic()
    for round_ in range(rounds):
        now = time.monotonic()
        if round_ and now + (now - first_round) / round_ > deadline:
            break
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            # Garbage left by the previous contender must not be collected on this one's clock.
            gc.collect()
            started = time.perf_counter()
            measured = contenders[name](n)
            elapsed = time.perf_counter() - started
            seconds[name].append(elapsed if measured is None else measured)
    return seconds


@dataclass(frozen=True)
class Row:
    """One SDK-vs-baseline comparison of the same workload."""

    benchmark: str
    requests: int
    sdk: str
    baseline: str
    sdk_rounds: list[float]
    baseline_rounds: list[float]
    target: float | None = None
    """The ratio the SDK should stay at or under, if there is one."""

    @property
    def sdk_seconds(self) -> float:
        """Median wall time of the SDK."""
        return statistics.median(self.sdk_rounds)

    @property
    def baseline_seconds(self) -> float:
        """Median wall time of the baseline."""
        return statistics.median(self.baseline_rounds)

    @property
    def ratio(self) -> float:
        """SDK time / baseline time; above 1 means the SDK is slower."""
        return self.sdk_seconds / self.baseline_seconds

    @property
    def paired_ratio(self) -> float:
        """Median of the per-round ratios: contenders of one round ran back to back, so this
        cancels drift between rounds that the ratio of medians only averages out."""
        pairs = zip(self.sdk_rounds, self.baseline_rounds, strict=True)
        return statistics.median(sdk / baseline for sdk, baseline in pairs)

    @property
    def spread(self) -> tuple[float, float]:
        """The lowest and highest per-round ratio."""
        pairs = zip(self.sdk_rounds, self.baseline_rounds, strict=True)
        ratios = [sdk / base for sdk, base in pairs]
        return min(ratios), max(ratios)

    @property
    def met(self) -> bool | None:
        """Whether the median per-round ratio is within the target (None: no target)."""
        return None if self.target is None else self.paired_ratio <= self.target

    def rps(self, seconds: float) -> float:
        """Requests per second for a wall time of this workload."""
        return self.requests / seconds

    def to_dict(self) -> dict[str, Any]:
        """The row with its derived figures, for results.json."""
        return {
            "benchmark": self.benchmark,
            "requests": self.requests,
            "sdk": self.sdk,
            "baseline": self.baseline,
            "sdk_median_s": self.sdk_seconds,
            "baseline_median_s": self.baseline_seconds,
            "sdk_rps": self.rps(self.sdk_seconds),
            "baseline_rps": self.rps(self.baseline_seconds),
            "ratio": self.ratio,
            "paired_ratio": self.paired_ratio,
            "ratio_spread": list(self.spread),
            "target": self.target,
            "target_met": self.met,
            "sdk_rounds_s": self.sdk_rounds,
            "baseline_rounds_s": self.baseline_rounds,
        }


@dataclass(frozen=True)
class Plan:
    """How one comparison is timed; see `time_rounds`."""

    n: int
    rounds: int
    warmup: int
    deadline: float


def compare(
    benchmark: str,
    contenders: Mapping[str, Workload],
    plan: Plan,
    *,
    sdk: str,
    baselines: Sequence[str],
    targets: Mapping[str, float] | None = None,
) -> list[Row]:
    """Time all contenders together and return one row per baseline, against `sdk`; `targets`
    maps a baseline to the ratio the SDK should stay within."""
    seconds = time_rounds(
        contenders, n=plan.n, rounds=plan.rounds, warmup=plan.warmup, deadline=plan.deadline
    )
    targets = targets or {}
    return [
        Row(
            benchmark,
            plan.n,
            sdk,
            baseline,
            seconds[sdk],
            seconds[baseline],
            targets.get(baseline),
        )
        for baseline in baselines
    ]


@dataclass
class Section:
    """What one suite reports: comparison rows, and any other table, under a title."""

    title: str
    rows: list[Row] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    cells: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    """Extra figures for results.json."""


Suite = Callable[[Settings], list[Section]]
"""A suite runs its own servers and contenders and returns its sections."""
