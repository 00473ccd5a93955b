"""The simulated call lifecycle, derived from each call's stored schedule.

A call stores when it rings (``ring_at``), is answered (``answer_at``) and ends
(``end_at``); its status at any moment follows from those times alone, so the lifecycle
keeps advancing correctly across emulator restarts without a writer ticking it along.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._config import EmulatorConfig

__all__ = [
    "CALL_STATUSES",
    "DEFAULT_EVENTS",
    "FINAL_STAGE",
    "HANGUP_SQL",
    "STAGES",
    "STATUS_SQL",
    "Schedule",
    "call_duration",
    "parse_events",
    "plan_call",
    "reached_stages",
    "stage_status",
    "stage_time",
]

CALL_STATUSES = ("queued", "ringing", "in-progress", "completed", "failed")

STAGES = ("initiated", "ringing", "answered", "completed")
"""Status-callback event names, in lifecycle order; a call's stage is an index into it."""

FINAL_STAGE = len(STAGES) - 1

# The column holding when each stage is reached (NULL: never reached).
STAGE_COLUMNS = ("created_at", "ring_at", "answer_at", "end_at")

DEFAULT_EVENTS = " ".join(STAGES)

# SQL's NULL comparisons are never true, so stages that were skipped fall through.
STATUS_SQL = (
    "CASE WHEN end_at <= :now THEN outcome"
    " WHEN answer_at <= :now THEN 'in-progress'"
    " WHEN ring_at <= :now THEN 'ringing'"
    " ELSE 'queued' END"
)

HANGUP_SQL = (
    "UPDATE calls SET end_at = :now, outcome = 'completed',"
    " ring_at = CASE WHEN ring_at <= :now THEN ring_at END,"
    " answer_at = CASE WHEN answer_at <= :now THEN answer_at END"
    " WHERE id = :id AND end_at > :now"
)
"""Ends call ``:id`` at ``:now``, forgetting the stages it had not reached yet."""


@dataclass(frozen=True)
class Schedule:
    """When a new call will reach each stage, and how it ends."""

    ring_at: float | None
    answer_at: float | None
    end_at: float
    outcome: str


def plan_call(created_at: float, config: EmulatorConfig, *, reachable: bool) -> Schedule:
    """Schedule a call created at ``created_at``.

    An unreachable callee fails the call when it would have started ringing.
    """
    ring_at = created_at + config.ring_after
    if not reachable:
        return Schedule(ring_at=None, answer_at=None, end_at=ring_at, outcome="failed")
    answer_at = ring_at + config.answer_after
    return Schedule(ring_at, answer_at, answer_at + config.call_duration, "completed")


def stage_status(stage: int, call: Mapping[str, Any]) -> str:
    """Return the ``CallStatus`` reported for lifecycle ``stage`` of ``call``."""
    return ("queued", "ringing", "in-progress", call["outcome"])[stage]


def reached_stages(call: Mapping[str, Any], now: float) -> list[int]:
    """Return the stages ``call`` has reached by ``now``, in order."""
    reached = []
    for stage, column in enumerate(STAGE_COLUMNS):
        at = call[column]
        if at is not None and at <= now:
            reached.append(stage)
    return reached


def stage_time(stage: int, call: Mapping[str, Any]) -> float | None:
    """Return when ``call`` reaches ``stage`` (None if it never does)."""
    value = call[STAGE_COLUMNS[stage]]
    return None if value is None else float(value)


def call_duration(call: Mapping[str, Any]) -> int:
    """Return the whole seconds an ended ``call`` was in progress (0 if never answered)."""
    answered = call["answer_at"]
    if answered is None:
        return 0
    return int(call["end_at"] - answered + 0.5)


def parse_events(value: str | None) -> str | None:
    """Normalise a space-separated ``StatusCallbackEvent``; None if a name is unknown.

    An absent value means every event.
    """
    if value is None:
        return DEFAULT_EVENTS
    names = value.split()
    if not names or any(name not in STAGES for name in names):
        return None
    return " ".join(stage for stage in STAGES if stage in names)
