"""Everything the service keeps, with every limit enforced by single atomic statements in the
database so that it holds across worker processes: keys (hashes only), rate windows, budgets,
usage and idempotency records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Literal

from sqlalchemy import BigInteger, and_, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ._database import READ_ONLY
from ._pricing import nanos_to_usd
from ._profiles import PROFILES
from ._tables import api_keys, budget_ledger, budgets, idempotency, rate_windows, usage_records

__all__ = [
    "KEY_PREFIX",
    "BudgetReservation",
    "IdempotencyState",
    "KeyRecord",
    "Store",
    "generate_key",
    "hash_key",
    "mask_key",
    "month_of",
    "period_start",
]

KEY_PREFIX = "cc_"
_KEY_HEX = 40
RATE_WINDOW = 60
_LEDGER_DEFAULT = {"spent_nanos": 0, "reserved_nanos": 0}


def generate_key() -> str:
    """A new API key: `cc_` + 40 hex characters from `secrets`."""
    return KEY_PREFIX + secrets.token_hex(_KEY_HEX // 2)


def hash_key(key: str) -> str:
    """What is stored instead of the key: its SHA-256 (keys carry 160 random bits, so a
    plain hash cannot be brute-forced)."""
    return hashlib.sha256(key.encode()).hexdigest()


def mask_key(key: str) -> str:
    """The key as shown in listings: `cc_1a2b...9f0e`."""
    return f"{key[:7]}...{key[-4:]}"


def month_of(when: float) -> str:
    """The budget month (`YYYY-MM`, UTC) of an epoch time."""
    return dt.datetime.fromtimestamp(when, dt.timezone.utc).strftime("%Y-%m")


def period_start(period: str, now: float) -> float:
    """Start (epoch) of the calendar day, ISO week or month (UTC) containing `now`."""
    today = dt.datetime.fromtimestamp(now, dt.timezone.utc).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    if period == "day":
        start = today
    elif period == "week":
        start = today - dt.timedelta(days=today.weekday())
    elif period == "month":
        start = today.replace(day=1)
    else:
        raise ValueError(f"period must be day, week or month, got {period!r}")
    return start.timestamp()


@dataclass(frozen=True)
class KeyRecord:
    """An API key as stored (never the key itself)."""

    id: str
    key_hint: str
    name: str | None
    project_id: str
    profile: str
    rate_limit: int
    allowed_projects: tuple[str, ...]
    max_cost_per_task: float | None
    revoked: bool
    created_at: float
    last_used_at: float | None

    def may_act_for(self, project_id: str) -> bool:
        """Whether this key may bill `project_id`."""
        return (
            project_id == self.project_id
            or "*" in self.allowed_projects
            or project_id in self.allowed_projects
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (for the CLI)."""
        return {
            "id": self.id,
            "key": self.key_hint,
            "name": self.name,
            "project_id": self.project_id,
            "profile": self.profile,
            "rate_limit": self.rate_limit,
            "allowed_projects": list(self.allowed_projects),
            "max_cost_per_task": self.max_cost_per_task,
            "revoked": self.revoked,
            "created_at": self.created_at,
            "last_used_at": self.last_used_at,
        }


def _record(row: Any) -> KeyRecord:
    return KeyRecord(
        id=row.id,
        key_hint=row.key_hint,
        name=row.name,
        project_id=row.project_id,
        profile=row.profile,
        rate_limit=row.rate_limit,
        allowed_projects=tuple(p for p in row.allowed_projects.split(",") if p),
        max_cost_per_task=row.max_cost_per_task,
        revoked=bool(row.revoked),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
    )


@dataclass(frozen=True)
class BudgetReservation:
    """The outcome of reserving an estimate against a project's month."""

    granted: bool
    project_id: str
    month: str
    nanos: int
    limit_nanos: int | None
    """The month's limit; only looked up for a refusal."""
    remaining_nanos: int | None


IdempotencyState = Literal["new", "pending", "done", "mismatch"]


class Store:
    """The service's database operations (async, portable SQL only)."""

    def __init__(self, engine: AsyncEngine, *, default_budget_nanos: int | None = None) -> None:
        self.engine = engine
        # The same pool; its connections run reads without taking SQLite's write lock.
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self.default_budget_nanos = default_budget_nanos
        self._ledgers: set[tuple[str, str]] = set()

    def _reading(self) -> AsyncConnection:
        """A connection for reads only (SQLite then skips the write lock, see `_database`)."""
        return self._reader.connect()

    async def _insert_ignoring_duplicate(self, table: Any, values: dict[str, Any]) -> bool:
        """Insert a row in its own transaction; False when its key already exists. (A failed
        insert would abort an enclosing PostgreSQL transaction, hence its own.)"""
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(table).values(**values))
        except IntegrityError:
            return False
        return True

    async def ping(self) -> None:
        """Raise unless the database answers."""
        async with self._reading() as conn:
            await conn.execute(select(literal(1)))

    # -- keys --------------------------------------------------------------------------------

    async def create_key(
        self,
        *,
        project_id: str,
        profile: str = "enterprise",
        rate_limit: int = 100,
        name: str | None = None,
        allowed_projects: Sequence[str] = (),
        max_cost_per_task: float | None = None,
    ) -> tuple[str, KeyRecord]:
        """A new key for `project_id`; returns the key (shown once) and its record."""
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}, got {profile!r}")
        if rate_limit < 1:
            raise ValueError(f"rate_limit must be >= 1, got {rate_limit}")
        key = generate_key()
        values = {
            "id": "key_" + secrets.token_hex(8),
            "key_hash": hash_key(key),
            "key_hint": mask_key(key),
            "name": name,
            "project_id": project_id,
            "profile": profile,
            "rate_limit": rate_limit,
            "allowed_projects": ",".join(allowed_projects),
            "max_cost_per_task": max_cost_per_task,
            "revoked": False,
            "created_at": time.time(),
            "last_used_at": None,
        }
        async with self.engine.begin() as conn:
            await conn.execute(insert(api_keys).values(**values))
        return key, _record(SimpleNamespace(**values))

    async def authenticate(self, key: str) -> KeyRecord | None:
        """The active key matching `key`, else None (its use is recorded by the rate limit,
        which every authenticated request passes)."""
        digest = hash_key(key)
        async with self._reading() as conn:
            row = (
                await conn.execute(select(api_keys).where(api_keys.c.key_hash == digest))
            ).first()
        if row is None or not hmac.compare_digest(row.key_hash, digest) or row.revoked:
            return None
        return _record(row)

    async def find_key(self, key_or_id: str) -> KeyRecord | None:
        """A key by its value or its id (`key_...`)."""
        column = api_keys.c.key_hash if key_or_id.startswith(KEY_PREFIX) else api_keys.c.id
        value = hash_key(key_or_id) if key_or_id.startswith(KEY_PREFIX) else key_or_id
        async with self._reading() as conn:
            row = (await conn.execute(select(api_keys).where(column == value))).first()
        return None if row is None else _record(row)

    async def list_keys(
        self, *, project_id: str | None = None, active_only: bool = False
    ) -> list[KeyRecord]:
        """Keys, oldest first."""
        query = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
        if project_id is not None:
            query = query.where(api_keys.c.project_id == project_id)
        if active_only:
            query = query.where(api_keys.c.revoked == literal(False))
        async with self._reading() as conn:
            return [_record(row) for row in await conn.execute(query)]

    async def update_key(self, key_id: str, **values: Any) -> None:
        """Change a key's stored fields (revoked, profile, max_cost_per_task, rate_limit)."""
        async with self.engine.begin() as conn:
            await conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(**values))

    # -- rate limit --------------------------------------------------------------------------

    async def _count_request(self, key: KeyRecord, window: int, now: float) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(rate_windows)
                .where(
                    rate_windows.c.key_id == key.id,
                    rate_windows.c.window_start == window,
                    rate_windows.c.count < key.rate_limit,
                )
                .values(count=rate_windows.c.count + 1)
            )
            if result.rowcount == 1:
                await self._touch(conn, key, now)
        return result.rowcount == 1

    @staticmethod
    async def _touch(conn: AsyncConnection, key: KeyRecord, now: float) -> None:
        await conn.execute(update(api_keys).where(api_keys.c.id == key.id).values(last_used_at=now))

    async def hit_rate_limit(self, key: KeyRecord, now: float) -> float | None:
        """Count one request in the key's current 60 s window; None when allowed, else the
        seconds until the window ends. The check and the increment are one UPDATE; the
        window's row is created by the first request in it."""
        window = int(now // RATE_WINDOW) * RATE_WINDOW
        if await self._count_request(key, window, now):
            return None
        if await self._insert_ignoring_duplicate(
            rate_windows, {"key_id": key.id, "window_start": window, "count": 1}
        ):
            async with self.engine.begin() as conn:
                await conn.execute(
                    rate_windows.delete().where(
                        rate_windows.c.key_id == key.id, rate_windows.c.window_start < window
                    )
                )
                await self._touch(conn, key, now)
            return None
        # The row exists: full, or created by a concurrent request since the first UPDATE.
        if await self._count_request(key, window, now):
            return None
        return max(1.0, window + RATE_WINDOW - now)

    # -- budgets -----------------------------------------------------------------------------

    async def set_budget(self, project_id: str, limit_nanos: int | None) -> None:
        """Set (or with None, lift) a project's monthly budget."""
        if not await self._insert_ignoring_duplicate(
            budgets, {"project_id": project_id, "monthly_limit_nanos": limit_nanos}
        ):
            async with self.engine.begin() as conn:
                await conn.execute(
                    update(budgets)
                    .where(budgets.c.project_id == project_id)
                    .values(monthly_limit_nanos=limit_nanos)
                )

    def _limit_expression(self, project_id: str) -> Any:
        configured = (
            select(budgets.c.monthly_limit_nanos)
            .where(budgets.c.project_id == project_id)
            .scalar_subquery()
        )
        if self.default_budget_nanos is None:
            return configured
        # BIGINT: asyncpg would otherwise bind the default as a 32-bit integer ($2.15 at most).
        return func.coalesce(configured, literal(self.default_budget_nanos, BigInteger))

    async def _ensure_ledger(self, project_id: str, month: str) -> None:
        if (project_id, month) not in self._ledgers:
            await self._insert_ignoring_duplicate(
                budget_ledger, {"project_id": project_id, "month": month, **_LEDGER_DEFAULT}
            )
            self._ledgers.add((project_id, month))

    async def budget_status(self, project_id: str, now: float) -> tuple[int | None, int]:
        """The project's monthly limit (None = unlimited) and what is spent or reserved."""
        month = month_of(now)
        await self._ensure_ledger(project_id, month)
        async with self._reading() as conn:
            row = (
                await conn.execute(
                    select(
                        self._limit_expression(project_id).label("limit"),
                        budget_ledger.c.spent_nanos + budget_ledger.c.reserved_nanos,
                    ).where(
                        budget_ledger.c.project_id == project_id, budget_ledger.c.month == month
                    )
                )
            ).one()
        return row[0], row[1]

    async def reserve_budget(self, project_id: str, nanos: int, now: float) -> BudgetReservation:
        """Reserve `nanos` of the project's month when they fit the budget; one UPDATE does
        the check and the reservation, so concurrent requests cannot overspend together."""
        month = month_of(now)
        await self._ensure_ledger(project_id, month)
        limit = self._limit_expression(project_id)
        used = budget_ledger.c.spent_nanos + budget_ledger.c.reserved_nanos
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(budget_ledger)
                .where(
                    budget_ledger.c.project_id == project_id,
                    budget_ledger.c.month == month,
                    or_(limit.is_(None), used + nanos <= limit),
                )
                .values(reserved_nanos=budget_ledger.c.reserved_nanos + nanos)
            )
            granted = result.rowcount == 1
        if granted:
            return BudgetReservation(True, project_id, month, nanos, None, None)
        limit_nanos, used_nanos = await self.budget_status(project_id, now)
        remaining = None if limit_nanos is None else max(0, limit_nanos - used_nanos)
        return BudgetReservation(False, project_id, month, nanos, limit_nanos, remaining)

    async def settle(
        self,
        reservation: BudgetReservation,
        *,
        key_id: str,
        kind: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        cost_nanos: int,
        now: float,
    ) -> None:
        """Release a reservation and book what the request really used, in one transaction."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(budget_ledger)
                .where(
                    budget_ledger.c.project_id == reservation.project_id,
                    budget_ledger.c.month == reservation.month,
                )
                .values(
                    reserved_nanos=budget_ledger.c.reserved_nanos - reservation.nanos,
                    spent_nanos=budget_ledger.c.spent_nanos + cost_nanos,
                )
            )
            if input_tokens or output_tokens or cost_nanos:
                await conn.execute(
                    insert(usage_records).values(
                        id="use_" + secrets.token_hex(10),
                        key_id=key_id,
                        project_id=reservation.project_id,
                        kind=kind,
                        model=model,
                        input_tokens=input_tokens,
                        output_tokens=output_tokens,
                        cost_nanos=cost_nanos,
                        created_at=now,
                    )
                )

    async def usage(self, project_id: str, period: str, now: float) -> dict[str, Any]:
        """Usage of a project since the start of `period`, by model, with the budget."""
        since = period_start(period, now)
        query = (
            select(
                usage_records.c.model,
                func.sum(usage_records.c.input_tokens + usage_records.c.output_tokens),
                func.sum(usage_records.c.cost_nanos),
                func.count(),
            )
            .where(
                and_(usage_records.c.project_id == project_id, usage_records.c.created_at >= since)
            )
            .group_by(usage_records.c.model)
            .order_by(usage_records.c.model)
        )
        async with self._reading() as conn:
            rows = (await conn.execute(query)).all()
        by_model = {
            model: {"tokens": int(tokens), "cost": nanos_to_usd(int(cost)), "requests": count}
            for model, tokens, cost, count in rows
        }
        limit_nanos, used_nanos = await self.budget_status(project_id, now)
        return {
            "project_id": project_id,
            "period": period,
            "total_tokens": sum(int(row[1]) for row in rows),
            "total_cost": nanos_to_usd(sum(int(row[2]) for row in rows)),
            "total_requests": sum(int(row[3]) for row in rows),
            "by_model": by_model,
            "limit": None if limit_nanos is None else nanos_to_usd(limit_nanos),
            "remaining": None
            if limit_nanos is None
            else nanos_to_usd(max(0, limit_nanos - used_nanos)),
        }

    # -- idempotency -------------------------------------------------------------------------

    async def claim(
        self, key_id: str, idem_key: str, fingerprint: str, now: float
    ) -> tuple[IdempotencyState, int | None, Any]:
        """Claim an idempotency key for a request: `new` (run it), `pending` (another attempt
        is running), `done` (with the stored status and body) or `mismatch` (the key was used
        for a different request)."""
        if await self._insert_ignoring_duplicate(
            idempotency,
            {
                "key_id": key_id,
                "idem_key": idem_key,
                "fingerprint": fingerprint,
                "state": "pending",
                "created_at": now,
            },
        ):
            return "new", None, None
        async with self._reading() as conn:
            row = (
                await conn.execute(
                    select(idempotency).where(
                        idempotency.c.key_id == key_id, idempotency.c.idem_key == idem_key
                    )
                )
            ).one()
        if row.fingerprint != fingerprint:
            return "mismatch", None, None
        if row.state != "done":
            return "pending", None, None
        return "done", row.status_code, json.loads(row.body)

    async def complete_claim(self, key_id: str, idem_key: str, status_code: int, body: Any) -> None:
        """Store the answer given to a claimed request, for its retries."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(idempotency)
                .where(idempotency.c.key_id == key_id, idempotency.c.idem_key == idem_key)
                .values(state="done", status_code=status_code, body=json.dumps(body))
            )

    async def release_claim(self, key_id: str, idem_key: str) -> None:
        """Forget a claim whose request did not run (so a retry may run it)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                idempotency.delete().where(
                    idempotency.c.key_id == key_id, idempotency.c.idem_key == idem_key
                )
            )
