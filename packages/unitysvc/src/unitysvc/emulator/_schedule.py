"""Recurrence specs: validation and the next due time (interval, or cron via croniter)."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter  # type: ignore[import-untyped]

from sdkcore.emulator import EmulatorError

__all__ = ["check_schedule", "next_run"]


def check_schedule(schedule: Any) -> None:
    """422 unless ``schedule`` is a valid interval or cron spec."""
    if not isinstance(schedule, dict):
        raise EmulatorError(422, "schedule must be an object")
    kind = schedule.get("schedule_type")
    if kind == "interval":
        seconds = schedule.get("interval_seconds")
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, (int, float))
            or not 0 < seconds <= 31_536_000
        ):
            raise EmulatorError(422, "interval_seconds must be a positive number of seconds")
    elif kind == "cron":
        expression = schedule.get("cron_expression")
        if not isinstance(expression, str) or not croniter.is_valid(expression):
            raise EmulatorError(422, "cron_expression is not a valid cron expression")
        _zone(schedule)
    else:
        raise EmulatorError(422, "schedule_type must be 'interval' or 'cron'")


def _zone(schedule: dict[str, Any]) -> ZoneInfo:
    name = schedule.get("timezone") or "UTC"
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise EmulatorError(422, f"unknown timezone {name!r}") from None


def next_run(schedule: dict[str, Any], after: float | None = None) -> float:
    """The next due time (epoch seconds) of a valid schedule, strictly after ``after``."""
    start = time.time() if after is None else after
    if schedule["schedule_type"] == "interval":
        return start + float(schedule["interval_seconds"])
    base = datetime.fromtimestamp(start, tz=timezone.utc).astimezone(_zone(schedule))
    due: datetime = croniter(schedule["cron_expression"], base).get_next(datetime)
    return due.timestamp()
