"""Everything the service keeps, with every limit enforced by single atomic statements in the
database so that it holds across worker processes: keys (hashes only), rate windows, budgets,
usage and idempotency records.

Each operation is one job of `_executor` (one transaction); the statements on a request's path
are compiled once (`Sql`), the administrative ones built per call.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import BigInteger, and_, bindparam, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from ._executor import Sql, Tx, executor_for
from ._pricing import nanos_to_usd
from ._profiles import PROFILES
from ._records import (
    KEY_PREFIX,
    RATE_WINDOW,
    BudgetReservation,
    IdempotencyState,
    KeyRecord,
    generate_key,
    hash_key,
    key_record,
    mask_key,
    month_of,
    period_start,
)
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

_TOUCH_EVERY = 1.0
_KEY_BY_HASH = Sql(lambda _: select(api_keys).where(api_keys.c.key_hash == bindparam("digest")))
_TOUCH_KEY = Sql(
    lambda _: (
        update(api_keys)
        .where(api_keys.c.id == bindparam("kid"))
        .values(last_used_at=bindparam("now"))
    )
)
# The check and the increment are one statement; the window's row is made by its first request.
_COUNT_REQUEST = Sql(
    lambda insert: (
        insert(rate_windows)
        .values(key_id=bindparam("kid"), window_start=bindparam("window"), count=1)
        .on_conflict_do_update(
            index_elements=[rate_windows.c.key_id, rate_windows.c.window_start],
            set_={"count": rate_windows.c.count + 1},
            where=rate_windows.c.count < bindparam("limit"),
        )
    )
)
_DROP_OLD_WINDOWS = Sql(
    lambda _: rate_windows.delete().where(
        rate_windows.c.key_id == bindparam("kid"), rate_windows.c.window_start < bindparam("window")
    )
)
_OPEN_LEDGER = Sql(
    lambda insert: (
        insert(budget_ledger)
        .values(
            project_id=bindparam("pid"), month=bindparam("month"), spent_nanos=0, reserved_nanos=0
        )
        .on_conflict_do_nothing()
    )
)
# The project's own budget, else the service's default (NULL: unlimited). BIGINT: asyncpg would
# otherwise bind the default as a 32-bit integer ($2.15 at most).
_LIMIT = func.coalesce(
    select(budgets.c.monthly_limit_nanos)
    .where(budgets.c.project_id == bindparam("pid"))
    .scalar_subquery(),
    bindparam("default_budget", type_=BigInteger),
)
_USED = budget_ledger.c.spent_nanos + budget_ledger.c.reserved_nanos
_THIS_LEDGER = and_(
    budget_ledger.c.project_id == bindparam("pid"), budget_ledger.c.month == bindparam("month")
)
_BUDGET_STATUS = Sql(lambda _: select(_LIMIT.label("limit"), _USED).where(_THIS_LEDGER))
# One statement checks and reserves, so concurrent requests cannot overspend together.
_RESERVE = Sql(
    lambda _: (
        update(budget_ledger)
        .where(
            _THIS_LEDGER,
            or_(_LIMIT.is_(None), _USED + bindparam("nanos", type_=BigInteger) <= _LIMIT),
        )
        .values(
            reserved_nanos=budget_ledger.c.reserved_nanos + bindparam("nanos", type_=BigInteger)
        )
    )
)
_SETTLE = Sql(
    lambda _: (
        update(budget_ledger)
        .where(_THIS_LEDGER)
        .values(
            reserved_nanos=budget_ledger.c.reserved_nanos - bindparam("reserved", type_=BigInteger),
            spent_nanos=budget_ledger.c.spent_nanos + bindparam("spent", type_=BigInteger),
        )
    )
)
_BOOK_USAGE = Sql(lambda _: usage_records.insert())
_USAGE = Sql(
    lambda _: (
        select(
            usage_records.c.model,
            func.sum(usage_records.c.input_tokens + usage_records.c.output_tokens),
            func.sum(usage_records.c.cost_nanos),
            func.count(),
        )
        .where(
            usage_records.c.project_id == bindparam("pid"),
            usage_records.c.created_at >= bindparam("since"),
        )
        .group_by(usage_records.c.model)
        .order_by(usage_records.c.model)
    )
)
_THIS_CLAIM = and_(
    idempotency.c.key_id == bindparam("kid"), idempotency.c.idem_key == bindparam("idem")
)
_CLAIM = Sql(
    lambda insert: (
        insert(idempotency)
        .values(
            key_id=bindparam("kid"),
            idem_key=bindparam("idem"),
            fingerprint=bindparam("fingerprint"),
            state="pending",
            created_at=bindparam("now"),
        )
        .on_conflict_do_nothing()
    )
)
_CLAIMED = Sql(lambda _: select(idempotency).where(_THIS_CLAIM))
_COMPLETE_CLAIM = Sql(
    lambda _: (
        update(idempotency)
        .where(_THIS_CLAIM)
        .values(state="done", status_code=bindparam("status"), body=bindparam("payload"))
    )
)
_RELEASE_CLAIM = Sql(lambda _: idempotency.delete().where(_THIS_CLAIM))


class Store:
    """The service's database operations (async, portable SQL only). `aclose()` when done."""

    def __init__(self, engine: AsyncEngine, *, default_budget_nanos: int | None = None) -> None:
        self.engine = engine
        self._db = executor_for(engine)
        self.default_budget_nanos = default_budget_nanos
        self._ledgers: set[tuple[str, str]] = set()
        # The rate window each key was last counted in here: old windows are dropped once
        # per key and window, not on every request.
        self._windows: dict[str, int] = {}

    async def aclose(self) -> None:
        """Release the store's connection (the engine stays open)."""
        await self._db.aclose()

    async def ping(self) -> None:
        """Raise unless the database answers."""
        await self._db.run(lambda tx: tx.execute(select(literal(1))).all(), atomic=False)

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
        await self._db.run(lambda tx: tx.execute(api_keys.insert().values(**values)), slow=True)
        return key, key_record(SimpleNamespace(**values))

    async def authenticate(self, key: str) -> KeyRecord | None:
        """The active key matching `key`, else None (its use is recorded by the rate limit,
        which every authenticated request passes)."""
        digest = hash_key(key)
        row = await self._db.run(
            lambda tx: tx.run(_KEY_BY_HASH, digest=digest).first(), atomic=False
        )
        if row is None or not hmac.compare_digest(row.key_hash, digest) or row.revoked:
            return None
        return key_record(row)

    async def find_key(self, key_or_id: str) -> KeyRecord | None:
        """A key by its value or its id (`key_...`)."""
        column = api_keys.c.key_hash if key_or_id.startswith(KEY_PREFIX) else api_keys.c.id
        value = hash_key(key_or_id) if key_or_id.startswith(KEY_PREFIX) else key_or_id
        query = select(api_keys).where(column == value)
        row = await self._db.run(lambda tx: tx.execute(query).first(), slow=True)
        return None if row is None else key_record(row)

    async def list_keys(
        self, *, project_id: str | None = None, active_only: bool = False
    ) -> list[KeyRecord]:
        """Keys, oldest first."""
        query = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
        if project_id is not None:
            query = query.where(api_keys.c.project_id == project_id)
        if active_only:
            query = query.where(api_keys.c.revoked == literal(False))
        rows = await self._db.run(lambda tx: tx.execute(query).all(), slow=True)
        return [key_record(row) for row in rows]

    async def update_key(self, key_id: str, **values: Any) -> None:
        """Change a key's stored fields (revoked, profile, max_cost_per_task, rate_limit)."""
        statement = update(api_keys).where(api_keys.c.id == key_id).values(**values)
        await self._db.run(lambda tx: tx.execute(statement), slow=True)

    # -- rate limit --------------------------------------------------------------------------

    async def hit_rate_limit(self, key: KeyRecord, now: float) -> float | None:
        """Count one request in the key's current 60 s window; None when allowed, else the
        seconds until the window ends."""
        window = int(now // RATE_WINDOW) * RATE_WINDOW
        new_window = self._windows.get(key.id) != window
        # `last_used_at` to the second is enough: not one more write on every request.
        stale = key.last_used_at is None or now - key.last_used_at >= _TOUCH_EVERY

        def count(tx: Tx) -> bool:
            counted = tx.run(_COUNT_REQUEST, kid=key.id, window=window, limit=key.rate_limit)
            if counted.rowcount != 1:
                return False
            if stale:
                tx.run(_TOUCH_KEY, kid=key.id, now=now)
            if new_window:
                tx.run(_DROP_OLD_WINDOWS, kid=key.id, window=window)
            return True

        # The count is one statement; what follows it is bookkeeping that needs no transaction.
        if await self._db.run(count, atomic=False):
            self._windows[key.id] = window
            return None
        return max(1.0, window + RATE_WINDOW - now)

    # -- budgets -----------------------------------------------------------------------------

    async def set_budget(self, project_id: str, limit_nanos: int | None) -> None:
        """Set (or with None, lift) a project's monthly budget."""

        def store(tx: Tx) -> None:
            tx.execute(
                tx.insert(budgets)
                .values(project_id=project_id, monthly_limit_nanos=limit_nanos)
                .on_conflict_do_update(
                    index_elements=[budgets.c.project_id],
                    set_={"monthly_limit_nanos": limit_nanos},
                )
            )

        await self._db.run(store, slow=True)

    def _ledger(self, tx: Tx, project_id: str, month: str) -> dict[str, Any]:
        """The ledger's parameters, its row made first if this process has not seen it."""
        if (project_id, month) not in self._ledgers:
            tx.run(_OPEN_LEDGER, pid=project_id, month=month)
        return {"pid": project_id, "month": month, "default_budget": self.default_budget_nanos}

    def _status(self, tx: Tx, project_id: str, month: str) -> tuple[int | None, int]:
        row = tx.run(_BUDGET_STATUS, **self._ledger(tx, project_id, month)).one()
        return (None if row[0] is None else int(row[0])), int(row[1])

    async def budget_status(self, project_id: str, now: float) -> tuple[int | None, int]:
        """The project's monthly limit (None = unlimited) and what is spent or reserved."""
        month = month_of(now)
        status = await self._db.run(lambda tx: self._status(tx, project_id, month))
        self._ledgers.add((project_id, month))
        return status

    async def reserve_budget(self, project_id: str, nanos: int, now: float) -> BudgetReservation:
        """Reserve `nanos` of the project's month when they fit the budget."""
        month = month_of(now)

        def reserve(tx: Tx) -> tuple[int | None, int] | None:
            ledger = self._ledger(tx, project_id, month)
            if tx.run(_RESERVE, nanos=nanos, **ledger).rowcount == 1:
                return None
            return self._status(tx, project_id, month)

        # Each statement stands alone: the ledger row is made idempotently, the reservation is
        # one conditional UPDATE, a refusal only reads.
        refused = await self._db.run(reserve, atomic=False)
        self._ledgers.add((project_id, month))
        if refused is None:
            return BudgetReservation(True, project_id, month, nanos, None, None)
        limit_nanos, used_nanos = refused
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
        usage = {
            "id": "use_" + secrets.token_hex(10),
            "key_id": key_id,
            "project_id": reservation.project_id,
            "kind": kind,
            "model": model,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cost_nanos": cost_nanos,
            "created_at": now,
        }

        def book(tx: Tx) -> None:
            tx.run(
                _SETTLE,
                pid=reservation.project_id,
                month=reservation.month,
                reserved=reservation.nanos,
                spent=cost_nanos,
            )
            if input_tokens or output_tokens or cost_nanos:
                tx.run(_BOOK_USAGE, **usage)

        await self._db.run(book)

    async def usage(self, project_id: str, period: str, now: float) -> dict[str, Any]:
        """Usage of a project since the start of `period`, by model, with the budget."""
        since = period_start(period, now)
        month = month_of(now)

        def read(tx: Tx) -> tuple[Sequence[Any], tuple[int | None, int]]:
            rows = tx.run(_USAGE, pid=project_id, since=since).all()
            return rows, self._status(tx, project_id, month)

        rows, (limit_nanos, used_nanos) = await self._db.run(read, slow=True)
        self._ledgers.add((project_id, month))
        by_model = {
            model: {"tokens": int(tokens), "cost": nanos_to_usd(int(cost)), "requests": count}
            for model, tokens, cost, count in rows
        }
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

        def claim(tx: Tx) -> Any:
            claimed = tx.run(_CLAIM, kid=key_id, idem=idem_key, fingerprint=fingerprint, now=now)
            return (
                None if claimed.rowcount == 1 else tx.run(_CLAIMED, kid=key_id, idem=idem_key).one()
            )

        # Not atomic: a row that conflicts was committed by its claimant, and stays.
        row = await self._db.run(claim, atomic=False)
        if row is None:
            return "new", None, None
        if row.fingerprint != fingerprint:
            return "mismatch", None, None
        if row.state != "done":
            return "pending", None, None
        return "done", row.status_code, json.loads(row.body)

    async def complete_claim(self, key_id: str, idem_key: str, status_code: int, body: Any) -> None:
        """Store the answer given to a claimed request, for its retries."""
        payload = json.dumps(body)
        await self._db.run(
            lambda tx: tx.run(
                _COMPLETE_CLAIM, kid=key_id, idem=idem_key, status=status_code, payload=payload
            ),
            atomic=False,
        )

    async def release_claim(self, key_id: str, idem_key: str) -> None:
        """Forget a claim whose request did not run (so a retry may run it)."""
        await self._db.run(
            lambda tx: tx.run(_RELEASE_CLAIM, kid=key_id, idem=idem_key), atomic=False
        )
