"""The call lifecycle as pure data: status from stored times, hang-up, event parsing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clawops.emulator import EmulatorConfig
from clawops.emulator._lifecycle import (
    DEFAULT_EVENTS,
    HANGUP_SQL,
    STATUS_SQL,
    call_duration,
    parse_events,
    plan_call,
)
from clawops.emulator._store import SCHEMA
from sdkcore.emulator import Database

CONFIG = EmulatorConfig(
    api_keys={"k": ["AC"]}, ring_after=1.0, answer_after=2.0, call_duration=10.0
)


@pytest.fixture
def db() -> Iterator[Database]:
    with Database(schema=SCHEMA) as database:
        yield database


def _insert(db: Database, created: float, *, reachable: bool = True) -> None:
    plan = plan_call(created, CONFIG, reachable=reachable)
    db.execute(
        "INSERT INTO calls VALUES ('CA1', 'AC', '010', '070', 'outbound', 'u', NULL, '',"
        " ?, ?, ?, ?, ?, 3)",
        (plan.outcome, created, plan.ring_at, plan.answer_at, plan.end_at),
    )


def _status(db: Database, now: float) -> str:
    return str(db.scalar(f"SELECT {STATUS_SQL} FROM calls", {"now": now}))


def _row(db: Database) -> dict[str, object]:
    row = db.query_one("SELECT * FROM calls")
    assert row is not None
    return row


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (100.0, "queued"),
        (100.9, "queued"),
        (101.0, "ringing"),
        (102.9, "ringing"),
        (103.0, "in-progress"),
        (112.9, "in-progress"),
        (113.0, "completed"),
        (500.0, "completed"),
    ],
)
def test_status_follows_the_schedule(db: Database, now: float, status: str) -> None:
    _insert(db, 100.0)
    assert _status(db, now) == status


def test_completed_duration_counts_time_in_progress(db: Database) -> None:
    _insert(db, 100.0)
    assert call_duration(_row(db)) == 10


def test_unreachable_callee_fails_when_it_would_ring(db: Database) -> None:
    _insert(db, 100.0, reachable=False)
    assert _status(db, 100.5) == "queued"
    assert _status(db, 101.0) == "failed"
    assert call_duration(_row(db)) == 0


def test_hangup_in_progress_keeps_answer_time(db: Database) -> None:
    _insert(db, 100.0)
    assert db.execute(HANGUP_SQL, {"now": 105.4, "id": "CA1"}) == 1
    assert _status(db, 105.4) == "completed"
    row = _row(db)
    assert row["answer_at"] == 103.0
    assert call_duration(row) == 2


def test_hangup_before_answer_forgets_later_stages(db: Database) -> None:
    _insert(db, 100.0)
    db.execute(HANGUP_SQL, {"now": 100.5, "id": "CA1"})
    row = _row(db)
    assert (row["ring_at"], row["answer_at"], row["end_at"]) == (None, None, 100.5)
    assert _status(db, 100.5) == "completed"
    assert call_duration(row) == 0


def test_hangup_of_an_ended_call_changes_nothing(db: Database) -> None:
    _insert(db, 100.0)
    assert db.execute(HANGUP_SQL, {"now": 200.0, "id": "CA1"}) == 0
    assert _row(db)["end_at"] == 113.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, DEFAULT_EVENTS),
        ("completed", "completed"),
        ("completed  initiated", "initiated completed"),
        ("answered ringing answered", "ringing answered"),
        ("", None),
        ("hangup", None),
        ("initiated,completed", None),
    ],
)
def test_parse_events(value: str | None, expected: str | None) -> None:
    assert parse_events(value) == expected


def test_config_rejects_impossible_settings() -> None:
    with pytest.raises(ValueError, match="API key"):
        EmulatorConfig(api_keys={})
    with pytest.raises(ValueError, match="ring_after"):
        EmulatorConfig(api_keys={"k": ["AC"]}, ring_after=-1)
    with pytest.raises(ValueError, match="callback_retries"):
        EmulatorConfig(api_keys={"k": ["AC"]}, callback_retries=-1)
