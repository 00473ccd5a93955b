"""Background workers: enrollment activation and the recurrent-request scheduler.

Both poll the database every ``config.tick`` seconds while the app is served, so with
``--db`` a restart picks up where the previous run stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from datetime import datetime, timezone
from typing import Any

from sdkcore.emulator import isoformat

from ._deps import EmulatorState
from ._exchange import run_buffered
from ._gateway import Forwarded
from ._schedule import next_run
from ._store import dumps, loads, new_uuid, now

__all__ = ["activate_due", "run_recurrent", "run_workers"]


def activate_due(state: EmulatorState) -> int:
    """Activate the pending enrollments that are due (incomplete when a required parameter is
    missing); returns how many changed."""
    changed = 0
    rows = state.db.query(
        "SELECT e.*, s.required_parameters FROM enrollments e JOIN services s ON s.id = "
        "e.service_id "
        "WHERE e.status = 'pending' AND e.activate_at <= ?",
        (time.time(),),
    )
    for row in rows:
        parameters = loads(row["parameters"]) or {}
        missing = [p for p in loads(row["required_parameters"]) or [] if p not in parameters]
        status = "incomplete" if missing else "active"
        changed += state.db.execute(
            "UPDATE enrollments SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
            (status, now(), row["id"]),
        )
    return changed


async def run_recurrent(state: EmulatorState, row: dict[str, Any], trigger: str) -> dict[str, Any]:
    """Fire one run of a recurrent request through the gateway and record it."""
    headers = {k.lower(): v for k, v in (loads(row["request_headers"]) or {}).items()}
    body = loads(row["body_template"])
    content = b"" if body is None else json.dumps(body).encode()
    if body is not None:
        headers.setdefault("content-type", "application/json")
    fwd = Forwarded(
        customer=row["customer_id"],
        method=row["http_method"],
        path=row["request_path"],
        body=content,
        headers=headers,
        query=[],
        recurrent_request_id=row["id"],
    )
    started = now()
    status = await run_buffered(state, fwd)
    run = {
        "id": new_uuid(),
        "request_id": row["id"],
        "started_at": started,
        "status_code": status,
        "error": None if fwd.error is None else fwd.error[2],
        "trigger": trigger,
    }
    with state.db.transaction():
        state.db.execute(
            "INSERT INTO recurrent_runs (id, request_id, started_at, status_code, error, trigger) "
            "VALUES (:id, :request_id, :started_at, :status_code, :error, :trigger)",
            run,
        )
        current = state.db.query_one("SELECT * FROM recurrent_requests WHERE id = ?", (row["id"],))
        if current is not None:
            run_state = loads(current["state"]) or {}
            run_state.update(
                run_count=int(run_state.get("run_count", 0)) + 1,
                last_run_at=started,
                last_status_code=status,
                last_error=run["error"],
            )
            if current["next_run"] is not None:
                run_state["next_run_at"] = isoformat(
                    datetime.fromtimestamp(current["next_run"], tz=timezone.utc)
                )
            state.db.execute(
                "UPDATE recurrent_requests SET state = ? WHERE id = ?",
                (dumps(run_state), row["id"]),
            )
    return run


async def _run_due(state: EmulatorState) -> None:
    current = time.time()
    due = state.db.query(
        "SELECT * FROM recurrent_requests WHERE status = 'active' AND next_run IS NOT NULL AND "
        "next_run <= ?",
        (current,),
    )
    for row in due:
        schedule = loads(row["schedule"])
        # Advance first, so a run that takes longer than the interval is not fired twice.
        state.db.execute(
            "UPDATE recurrent_requests SET next_run = ? WHERE id = ?",
            (next_run(schedule, max(current, row["next_run"])), row["id"]),
        )
        await run_recurrent(state, row, "schedule")


async def run_workers(state: EmulatorState) -> None:
    """Run both workers until cancelled; one failing tick does not stop them."""
    while True:
        with contextlib.suppress(Exception):
            activate_due(state)
            await _run_due(state)
        await asyncio.sleep(state.config.tick)
