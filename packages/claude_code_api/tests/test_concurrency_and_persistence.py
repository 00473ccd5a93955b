"""Many requests at once, several service instances on one database, and restarts."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from claude_code_api import AsyncClaudeClient, ClaudeClient, RateLimitError, Response
from claude_code_api.service import ClaudeService
from claude_code_api.service._database import database_url, open_engine

CONCURRENT = 200
OPENERS = 4


async def test_200_concurrent_completions_are_all_answered_and_booked_exactly(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    key = make_key("concurrent")
    async with AsyncClaudeClient(**service.client_kwargs(key), max_retries=0) as client:
        responses = await asyncio.gather(
            *(client.complete(f"Question {i}", model="haiku") for i in range(CONCURRENT))
        )
        usage = await client.get_usage()
    assert len({r.id for r in responses}) == CONCURRENT
    assert usage.total_requests == CONCURRENT
    assert usage.total_tokens == sum(r.usage.total_tokens for r in responses)
    # Costs are booked in nano-dollars, so the total is exact, not merely close.
    assert round(usage.total_cost * 1e9) == sum(round(r.cost * 1e9) for r in responses)


def test_rate_limit_holds_across_service_instances(
    start_service: Callable[..., ClaudeService], tmp_path: Path
) -> None:
    db = str(tmp_path / "shared.db")
    first = start_service(db=db)
    second = start_service(db=db)
    key = first.create_key("shared", rate_limit=5)
    answered = 0
    limited = 0
    with (
        ClaudeClient(**first.client_kwargs(key), max_retries=0) as a,
        ClaudeClient(**second.client_kwargs(key), max_retries=0) as b,
    ):
        for i in range(10):
            try:
                (a if i % 2 else b).complete("Hello", model="haiku")
                answered += 1
            except RateLimitError:
                limited += 1
    assert (answered, limited) == (5, 5)


def test_rate_limit_holds_exactly_when_instances_race_on_one_file(
    start_service: Callable[..., ClaudeService], tmp_path: Path
) -> None:
    # Two services in one process, each with its own connection to the file: their jobs
    # contend for SQLite's lock, and the loser's wait moves to its thread.
    db = str(tmp_path / "racing.db")
    services = [start_service(db=db), start_service(db=db)]
    key = services[0].create_key("racing", rate_limit=15)
    if time.time() % 60 > 45:  # all requests in one 60 s window
        time.sleep(61 - time.time() % 60)

    async def hit(svc: ClaudeService) -> list[object]:
        async with AsyncClaudeClient(**svc.client_kwargs(key), max_retries=0) as client:
            return list(
                await asyncio.gather(
                    *(client.complete(f"Race {i}", model="haiku") for i in range(25)),
                    return_exceptions=True,
                )
            )

    async def both() -> list[object]:
        first, second = await asyncio.gather(*(hit(svc) for svc in services))
        return first + second

    outcomes = asyncio.run(both())
    answered = [o for o in outcomes if isinstance(o, Response)]
    assert len(answered) == 15
    assert all(isinstance(o, RateLimitError) for o in outcomes if o not in answered)
    usage = services[1].admin.usage("racing")
    assert usage["total_requests"] == 15
    assert usage["total_tokens"] == sum(r.usage.total_tokens for r in answered)


def test_budget_holds_across_service_instances(
    start_service: Callable[..., ClaudeService], tmp_path: Path
) -> None:
    db = str(tmp_path / "budget.db")
    first = start_service(db=db)
    second = start_service(db=db)
    key = first.create_key("budgeted")
    # Room for one haiku estimate (0.00128 USD) at a time and a few real costs (~0.00006 USD):
    # some prompts must be refused, however the two services' requests interleave.
    first.admin.set_budget("budgeted", 0.0015)

    async def spend(svc: ClaudeService) -> list[float]:
        async with AsyncClaudeClient(**svc.client_kwargs(key), max_retries=0) as client:
            batch = await client.batch([f"p{i}" for i in range(10)], model="haiku")
        return [r.cost for r in batch.results if r.cost is not None]

    async def both() -> list[list[float]]:
        return list(await asyncio.gather(spend(first), spend(second)))

    costs = [c for per_service in asyncio.run(both()) for c in per_service]
    usage = first.admin.usage("budgeted")
    assert 0 < len(costs) < 20
    assert usage["total_cost"] == pytest.approx(sum(costs))
    assert usage["total_cost"] <= 0.0015


def test_state_survives_a_restart(
    start_service: Callable[..., ClaudeService], tmp_path: Path
) -> None:
    db = str(tmp_path / "persist.db")
    with ClaudeService(db=db) as before:
        key = before.create_key("persisted")
        before.admin.set_budget("persisted", 5.0)
        with ClaudeClient(**before.client_kwargs(key)) as client:
            spent = client.complete("Hello", model="sonnet")
    after = start_service(db=db)
    with ClaudeClient(**after.client_kwargs(key)) as client:
        usage = client.get_usage()
    assert usage.total_requests == 1
    assert usage.total_cost == spent.cost
    assert usage.limit == 5.0
    assert usage.remaining == pytest.approx(5.0 - spent.cost)


def _race_to_open(url: str) -> list[BaseException]:
    """Open `url` from `OPENERS` threads released at the same instant; what they raised."""
    start = threading.Barrier(OPENERS)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            open_engine(url)
        except BaseException as exc:
            errors.append(exc)

    openers = [threading.Thread(target=open_it) for _ in range(OPENERS)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join()
    return errors


def test_openers_racing_on_a_new_file_all_get_it_in_wal_mode(tmp_path: Path) -> None:
    # Switching a new file to WAL is refused at once with "database is locked" to one of two
    # openers racing for it (SQLite skips the busy handler where waiting could deadlock), in
    # about one round in ten; service processes starting together must all still open it.
    for round_ in range(40):
        path = tmp_path / f"round-{round_}.db"
        assert _race_to_open(database_url(path)) == []
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
