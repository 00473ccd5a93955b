"""Status callbacks: signed, form-encoded POSTs for each call transition, with retries.

Transitions become rows of ``callback_deliveries`` first and are sent afterwards, so a
restart neither loses a pending callback nor sends a delivered one again. Deliveries of
one call go out one at a time, in order, so a receiver never sees ``completed`` before a
still-retrying ``ringing``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from sdkcore.emulator import Database

from .._signature import compute_signature
from ._config import EmulatorConfig
from ._lifecycle import (
    FINAL_STAGE,
    STAGES,
    call_duration,
    reached_stages,
    stage_status,
    stage_time,
)
from ._store import now, timestamp

__all__ = ["CallbackDispatcher", "list_deliveries"]

_log = logging.getLogger("clawops.emulator")

# Upper bound on one idle wait: a safety net should a wake-up ever be missed.
_MAX_WAIT = 1.0

_USER_AGENT = "ClawOps-Emulator/1.0"


class CallbackDispatcher:
    """Records call transitions as status-callback deliveries and sends them.

    `run` is the background task started by the app's lifespan; request handlers call
    `wake` after changing a call so its callbacks go out without waiting for a poll.
    """

    def __init__(self, config: EmulatorConfig, db: Database) -> None:
        """Deliver callbacks of the calls in ``db`` under the settings of ``config``."""
        self._config = config
        self._db = db
        self._wakeup: asyncio.Event | None = None

    def wake(self) -> None:
        """Have the running dispatcher look for new work now (call from its event loop)."""
        if self._wakeup is not None:
            self._wakeup.set()

    async def run(self) -> None:
        """Record and deliver callbacks until cancelled."""
        self._wakeup = asyncio.Event()
        self._release_claims()
        tasks: set[asyncio.Task[None]] = set()
        try:
            async with httpx.AsyncClient(timeout=self._config.callback_timeout) as client:
                while True:
                    self._wakeup.clear()
                    delay = self._step(client, tasks)
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._wakeup.wait(), delay)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._wakeup = None
            self._release_claims()

    def _step(self, client: httpx.AsyncClient, tasks: set[asyncio.Task[None]]) -> float:
        # One failing pass (say, a locked database file) must not end callbacks for good.
        try:
            current = now()
            self.record_transitions(current)
            for delivery in self._claim_due(current):
                task = asyncio.create_task(self._deliver(client, delivery))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            return self._next_wait(now())
        except Exception:
            _log.exception("status callback dispatcher failed; retrying")
            return _MAX_WAIT

    def record_transitions(self, current: float) -> None:
        """Queue a delivery for every subscribed stage calls have reached by ``current``."""
        with self._db.transaction():
            calls = self._db.query("SELECT * FROM calls WHERE callback_stage < ?", (FINAL_STAGE,))
            for call in calls:
                reached = [s for s in reached_stages(call, current) if s > call["callback_stage"]]
                if not reached:
                    continue
                subscribed = call["callback_events"].split()
                for stage in reached:
                    if STAGES[stage] in subscribed:
                        self._queue(call, stage, current)
                self._db.execute(
                    "UPDATE calls SET callback_stage = ? WHERE id = ?", (reached[-1], call["id"])
                )

    def _queue(self, call: Mapping[str, Any], stage: int, current: float) -> None:
        reached_at = stage_time(stage, call)
        params = {
            "CallId": call["id"],
            "CallStatus": stage_status(stage, call),
            "From": call["from_number"],
            "To": call["to_number"],
            "Direction": call["direction"],
            "AccountId": call["account_id"],
            "Timestamp": timestamp(current if reached_at is None else reached_at),
        }
        if stage == FINAL_STAGE:
            params["CallDuration"] = str(call_duration(call))
        url = call["status_callback"]
        signature = compute_signature(url, params, self._config.signing_key(call["account_id"]))
        self._db.execute(
            "INSERT INTO callback_deliveries (call_id, account_id, event, url, params,"
            " signature, status, attempts, next_attempt_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
            (
                call["id"],
                call["account_id"],
                STAGES[stage],
                url,
                json.dumps(params),
                signature,
                current,
                current,
            ),
        )

    def _claim_due(self, current: float) -> list[dict[str, Any]]:
        # Only the oldest unfinished delivery of each call is eligible: that keeps each
        # call's callbacks in lifecycle order even while one of them is being retried.
        with self._db.transaction():
            due = self._db.query(
                "SELECT * FROM callback_deliveries AS d"
                " WHERE d.status = 'pending' AND d.next_attempt_at <= ?"
                " AND NOT EXISTS (SELECT 1 FROM callback_deliveries AS e"
                "  WHERE e.call_id = d.call_id AND e.id < d.id"
                "  AND e.status IN ('pending', 'sending'))"
                " ORDER BY d.id",
                (current,),
            )
            for delivery in due:
                self._db.execute(
                    "UPDATE callback_deliveries SET status = 'sending' WHERE id = ?",
                    (delivery["id"],),
                )
        return due

    def _release_claims(self) -> None:
        # Deliveries interrupted by a shutdown are sent again by the next run.
        self._db.execute(
            "UPDATE callback_deliveries SET status = 'pending' WHERE status = 'sending'"
        )

    def _next_wait(self, current: float) -> float:
        next_delivery = self._db.scalar(
            "SELECT MIN(next_attempt_at) FROM callback_deliveries WHERE status = 'pending'"
        )
        # Stage times only grow (ring <= answer <= end), so the first future one is next.
        next_transition = self._db.scalar(
            "SELECT MIN(CASE WHEN ring_at > :now THEN ring_at"
            " WHEN answer_at > :now THEN answer_at ELSE end_at END)"
            " FROM calls WHERE callback_stage < :final",
            {"now": current, "final": FINAL_STAGE},
        )
        times = [float(t) for t in (next_delivery, next_transition) if t is not None]
        if not times:
            return _MAX_WAIT
        return min(max(min(times) - current, 0.0), _MAX_WAIT)

    async def _deliver(self, client: httpx.AsyncClient, delivery: Mapping[str, Any]) -> None:
        error: str | None
        status_code: int | None = None
        try:
            response = await client.post(
                delivery["url"],
                data=json.loads(delivery["params"]),
                headers={"X-Signature": delivery["signature"], "User-Agent": _USER_AGENT},
            )
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            status_code = response.status_code
            error = None if response.is_success else f"HTTP {status_code}"
        self._settle(delivery, status_code, error)
        self.wake()

    def _settle(
        self, delivery: Mapping[str, Any], status_code: int | None, error: str | None
    ) -> None:
        attempts = delivery["attempts"] + 1
        finished = now()
        if error is None:
            status, next_attempt = "delivered", finished
        elif attempts > self._config.callback_retries:
            status, next_attempt = "failed", finished
        else:
            backoff = self._config.callback_backoff * 2 ** (attempts - 1)
            status, next_attempt = "pending", finished + backoff
        self._db.execute(
            "UPDATE callback_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,"
            " response_status = ?, last_error = ?,"
            " delivered_at = CASE WHEN ? = 'delivered' THEN ? END WHERE id = ?",
            (status, attempts, next_attempt, status_code, error, status, finished, delivery["id"]),
        )


def list_deliveries(db: Database, call_id: str | None = None) -> list[dict[str, Any]]:
    """Return the recorded status-callback deliveries (of ``call_id`` only, if given).

    Each is a dict with ``id``, ``call_id``, ``account_id``, ``event``, ``url``, ``params``
    (the form fields sent), ``signature`` (the ``X-Signature`` header), ``status``
    (``pending``, ``sending``, ``delivered`` or ``failed``), ``attempts``,
    ``response_status`` and ``last_error`` of the latest attempt, ``created_at`` and
    ``delivered_at`` (ISO timestamps or None); oldest first.
    """
    where, params = ("WHERE call_id = ?", (call_id,)) if call_id else ("", ())
    rows = db.query(f"SELECT * FROM callback_deliveries {where} ORDER BY id", params)
    return [
        {
            "id": row["id"],
            "call_id": row["call_id"],
            "account_id": row["account_id"],
            "event": row["event"],
            "url": row["url"],
            "params": json.loads(row["params"]),
            "signature": row["signature"],
            "status": row["status"],
            "attempts": row["attempts"],
            "response_status": row["response_status"],
            "last_error": row["last_error"],
            "created_at": timestamp(row["created_at"]),
            "delivered_at": None if row["delivered_at"] is None else timestamp(row["delivered_at"]),
        }
        for row in rows
    ]
