"""The store on both backends, SQLite and a real PostgreSQL: migrations run by several
processes at once, and every limit exact when several engines (as several workers would)
race on one database."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from claude_code_api.service._database import database_url, migrate, open_engine
from claude_code_api.service._store import Store

# One xdist worker runs every test here, so only it starts PostgreSQL.
pytestmark = pytest.mark.xdist_group("claude_postgres")

WORKERS = 3
T = TypeVar("T")


@pytest.fixture
async def engines(db_url: str) -> AsyncIterator[list[AsyncEngine]]:
    """`WORKERS` engines on one fresh database, migrated at the same time."""
    opened = [open_engine(database_url(db_url)) for _ in range(WORKERS)]
    try:
        await asyncio.gather(*(migrate(engine) for engine in opened))
        yield opened
    finally:
        await asyncio.gather(*(engine.dispose() for engine in opened))


def _spread(
    engines: list[AsyncEngine], count: int, call: Callable[[Store, int], Awaitable[T]]
) -> Awaitable[list[T]]:
    stores = [Store(engine) for engine in engines]
    return asyncio.gather(*(call(stores[i % len(stores)], i) for i in range(count)))


async def test_concurrent_migrations_leave_one_schema_at_head(
    engines: list[AsyncEngine],
) -> None:
    await asyncio.gather(*(migrate(engine) for engine in engines))
    async with engines[0].connect() as conn:
        versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        tables = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
    assert len(versions) == 1
    assert {"api_keys", "rate_windows", "budget_ledger", "usage_records", "idempotency"} <= tables


async def test_rate_limit_grants_exactly_the_limit_across_engines(
    engines: list[AsyncEngine],
) -> None:
    _, key = await Store(engines[0]).create_key(project_id="rl", rate_limit=7)
    now = 1_800_000_010.0
    waits = await _spread(engines, 40, lambda store, _i: store.hit_rate_limit(key, now))
    assert sum(wait is None for wait in waits) == 7
    assert all(wait is not None and 0 < wait <= 60 for wait in waits if wait is not None)
    # The next window starts afresh.
    assert await Store(engines[1]).hit_rate_limit(key, now + 60) is None


async def test_budget_reservations_never_overspend_and_usage_is_exact(
    engines: list[AsyncEngine],
) -> None:
    unit = 3_000_000_000  # $3: above 2**31 nanos, so BIGINT arithmetic is exercised
    await Store(engines[0]).set_budget("spend", 5 * unit)
    now = 1_800_000_000.0

    async def spend(store: Store, i: int) -> bool:
        reservation = await store.reserve_budget("spend", unit, now)
        if reservation.granted:
            await store.settle(
                reservation, key_id="k", kind="chat", model="haiku", input_tokens=i,
                output_tokens=1, cost_nanos=unit, now=now,
            )  # fmt: skip
        else:
            assert reservation.remaining_nanos == 0
        return reservation.granted

    granted = await _spread(engines, 20, spend)
    usage = await Store(engines[2]).usage("spend", "month", now)
    assert sum(granted) == 5
    assert usage["total_requests"] == 5
    assert usage["total_cost"] == 15.0
    assert usage["remaining"] == 0.0


async def test_default_budget_above_32_bits(engines: list[AsyncEngine]) -> None:
    store = Store(engines[0], default_budget_nanos=10_000_000_000)
    now = 1_800_000_000.0
    assert (await store.reserve_budget("default", 9_000_000_000, now)).granted
    refused = await store.reserve_budget("default", 2_000_000_000, now)
    assert not refused.granted
    assert refused.limit_nanos == 10_000_000_000
    assert refused.remaining_nanos == 1_000_000_000


async def test_usage_rows_from_many_engines_are_all_booked(engines: list[AsyncEngine]) -> None:
    now = 1_800_000_000.0

    async def book(store: Store, i: int) -> None:
        reservation = await store.reserve_budget("usage", 0, now)
        await store.settle(
            reservation, key_id="k", kind="chat", model=("haiku", "opus")[i % 2],
            input_tokens=10, output_tokens=i, cost_nanos=1000 + i, now=now,
        )  # fmt: skip

    await _spread(engines, 60, book)
    usage = await Store(engines[0]).usage("usage", "day", now)
    assert usage["total_requests"] == 60
    assert usage["total_tokens"] == 60 * 10 + sum(range(60))
    assert round(usage["total_cost"] * 1e9) == 60 * 1000 + sum(range(60))
    assert {model: row["requests"] for model, row in usage["by_model"].items()} == {
        "haiku": 30,
        "opus": 30,
    }


async def test_one_idempotency_claim_wins_across_engines(engines: list[AsyncEngine]) -> None:
    now = 1_800_000_000.0
    claims = await _spread(engines, 30, lambda store, _i: store.claim("k", "idem-1", "fp", now))
    assert sorted(state for state, _, _ in claims) == ["new"] + ["pending"] * 29
    await Store(engines[1]).complete_claim("k", "idem-1", 200, {"id": "once"})
    replays = await _spread(engines, 6, lambda store, _i: store.claim("k", "idem-1", "fp", now))
    assert replays == [("done", 200, {"id": "once"})] * 6
    assert (await Store(engines[2]).claim("k", "idem-1", "other", now))[0] == "mismatch"


async def test_a_job_that_would_wait_for_the_lock_waits_off_the_event_loop(tmp_path: Path) -> None:
    # Another process's write transaction holds the SQLite lock: the store's job must not
    # block the event loop (its inline connection never waits), yet still run exactly once.
    path = tmp_path / "locked.db"
    engine = open_engine(database_url(path))
    await migrate(engine)
    store = Store(engine)
    try:
        _, key = await store.create_key(project_id="locked", rate_limit=1)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        counted = asyncio.ensure_future(store.hit_rate_limit(key, 1_800_000_000.0))
        await asyncio.sleep(0)  # the job tries inline, finds the lock taken, goes to its thread
        assert not counted.done()  # and this coroutine runs meanwhile
        holder.execute("COMMIT")
        holder.close()
        assert await counted is None
        assert await store.hit_rate_limit(key, 1_800_000_001.0) is not None
    finally:
        await store.aclose()
        await engine.dispose()
