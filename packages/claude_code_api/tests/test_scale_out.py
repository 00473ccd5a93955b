"""Load test: `claude-api service start --workers 2` against PostgreSQL, hit by many
concurrent clients: every usage row booked, the rate limit never exceeded, one execution per
idempotency key; and two separate services (processes, ports) on one database, as two hosts
would run them: one key's rate limit and one project's budget exact across both. Bounded: a few
hundred requests, each with a timeout."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from claude_cli_service import serving

from claude_code_api import (
    AsyncClaudeClient,
    BudgetExceededError,
    RateLimitError,
    Response,
)
from claude_code_api.service import Admin, ServiceConfig
from claude_code_api.service._local_postgres import PostgresServer
from claude_code_api.service._workers import (
    CONFIG_ENV,
    app_from_env,
    config_from_json,
    config_to_json,
)

# Worker processes import and migrate slowly on a loaded 2-core host: room beyond the default.
pytestmark = [pytest.mark.xdist_group("claude_postgres"), pytest.mark.timeout(400)]

WORKERS = 2
CLIENTS = 8


@dataclass(frozen=True)
class Cluster:
    """The service's URL and database."""

    url: str
    admin: Admin


@contextlib.contextmanager
def _started(db: str, workers: int, folder: Path) -> Iterator[str]:
    """`claude-api service start --workers N` on `db`, in a process group of its own; its URL
    once healthy."""
    argv = [sys.executable, "-m", "claude_code_api._cli", "service", "start", "--port", "0",
            "--db", db, "--workers", str(workers)]  # fmt: skip
    home = Path(tempfile.mkdtemp(prefix="service-", dir=folder))
    env = {**os.environ, "CLAUDE_API_HOME": str(home)}
    with serving(argv, env, home / "service.log", 240) as url:
        yield url


@pytest.fixture(scope="module")
def cluster(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    db = postgres_server.database()
    with _started(db, WORKERS, tmp_path_factory.mktemp("scale")) as url:
        yield Cluster(url, Admin(db))


@pytest.fixture(scope="module")
def two_hosts(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[str], Admin]]:
    """Two separate services (processes, ports), as two hosts would run, on one database."""
    db = postgres_server.database()
    folder = tmp_path_factory.mktemp("hosts")
    with _started(db, 1, folder) as first, _started(db, 1, folder) as second:
        yield [first, second], Admin(db)


async def _gather_clients(
    urls: str | list[str], key: str, prompts: list[str], **options: Any
) -> list[object]:
    """`prompts` spread over `CLIENTS` clients (each with its own connections, the clients
    spread over `urls`), all at once; each outcome is a response or the exception raised."""
    spread = [urls] if isinstance(urls, str) else urls
    clients = [
        AsyncClaudeClient(base_url=spread[i % len(spread)], api_key=key, max_retries=0)
        for i in range(CLIENTS)
    ]
    try:
        return await asyncio.wait_for(
            asyncio.gather(
                *(
                    clients[i % CLIENTS].complete(prompt, model="haiku", **options)
                    for i, prompt in enumerate(prompts)
                ),
                return_exceptions=True,
            ),
            timeout=90,
        )
    finally:
        await asyncio.gather(*(client.close() for client in clients))


def _inside_one_window() -> None:
    """The limit counts per 60 s window: start well inside one, so all requests share it."""
    if time.time() % 60 > 45:
        time.sleep(61 - time.time() % 60)


def test_workers_book_every_usage_row(cluster: Cluster) -> None:
    key, _ = cluster.admin.create_key(project_id="load", rate_limit=100_000)
    outcomes = asyncio.run(_gather_clients(cluster.url, key, [f"Q{i}" for i in range(80)]))
    responses = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(responses) == 80, [o for o in outcomes if isinstance(o, BaseException)][:3]
    usage = cluster.admin.usage("load")
    assert usage["total_requests"] == 80
    assert usage["total_tokens"] == sum(r.usage.total_tokens for r in responses)  # type: ignore[attr-defined]
    assert round(usage["total_cost"] * 1e9) == sum(round(r.cost * 1e9) for r in responses)  # type: ignore[attr-defined]


def test_rate_limit_is_never_exceeded_across_workers(cluster: Cluster) -> None:
    limit = 20
    key, _ = cluster.admin.create_key(project_id="limited", rate_limit=limit)
    _inside_one_window()
    outcomes = asyncio.run(_gather_clients(cluster.url, key, [f"R{i}" for i in range(60)]))
    limited = [o for o in outcomes if isinstance(o, RateLimitError)]
    assert len(limited) == 60 - limit
    assert all(error.retry_after is not None and error.retry_after > 0 for error in limited)
    assert cluster.admin.usage("limited")["total_requests"] == limit


def test_one_execution_per_idempotency_key_across_workers(cluster: Cluster) -> None:
    key, _ = cluster.admin.create_key(project_id="idem", rate_limit=100_000)
    body = {"model": "haiku", "messages": [{"role": "user", "content": "only once"}]}

    async def send() -> httpx.Response:
        # A client (a connection) of its own each, so the duplicates reach different workers.
        async with httpx.AsyncClient(base_url=cluster.url, timeout=60) as http:
            return await http.post(
                "/v1/chat/completions",
                json=body,
                headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "same-everywhere"},
            )

    async def all_at_once() -> list[httpx.Response]:
        return list(await asyncio.gather(*(send() for _ in range(24))))

    answers = asyncio.run(all_at_once())
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert sum(answer.headers.get("Idempotent-Replayed") == "true" for answer in answers) == 23
    assert cluster.admin.usage("idem")["total_requests"] == 1


def test_one_keys_rate_limit_holds_exactly_across_two_hosts(
    two_hosts: tuple[list[str], Admin],
) -> None:
    urls, admin = two_hosts
    limit = 25
    key, _ = admin.create_key(project_id="two-hosts-rl", rate_limit=limit)
    _inside_one_window()
    outcomes = asyncio.run(_gather_clients(urls, key, [f"H{i}" for i in range(80)]))
    answered = [o for o in outcomes if isinstance(o, Response)]
    limited = [o for o in outcomes if isinstance(o, RateLimitError)]
    assert (len(answered), len(limited)) == (limit, 80 - limit)
    usage = admin.usage("two-hosts-rl")
    assert usage["total_requests"] == limit
    assert usage["total_tokens"] == sum(r.usage.total_tokens for r in answered)


def test_one_projects_budget_holds_exactly_across_two_hosts(
    two_hosts: tuple[list[str], Admin],
) -> None:
    urls, admin = two_hosts
    key, _ = admin.create_key(project_id="two-hosts-budget", rate_limit=100_000)
    # Each request reserves its estimate (haiku, 64 output tokens: ~0.0001 USD) before it
    # runs: a budget of about 12 estimates lets some through and refuses the rest.
    admin.set_budget("two-hosts-budget", 0.0012)
    outcomes = asyncio.run(_gather_clients(urls, key, [f"B{i}" for i in range(60)], max_tokens=64))
    answered = [o for o in outcomes if isinstance(o, Response)]
    refused = [o for o in outcomes if isinstance(o, BudgetExceededError)]
    assert len(answered) + len(refused) == 60
    assert answered
    assert refused
    usage = admin.usage("two-hosts-budget")
    assert usage["total_requests"] == len(answered)
    assert usage["total_tokens"] == sum(r.usage.total_tokens for r in answered)
    # Exact: nano-dollar sums, never over the budget.
    spent = sum(round(r.cost * 1e9) for r in answered)
    assert round(usage["total_cost"] * 1e9) == spent
    assert spent <= 1_200_000


def test_workers_rebuild_the_whole_config_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = ServiceConfig(
        db="postgresql://u@127.0.0.1:1/x",
        engine_options={"chunk_delay": 0.01},
        batch_concurrency=3,
        workspace_root=tmp_path,
        allowed_directories=(tmp_path / "a", tmp_path / "b"),
        default_budget_usd=12.5,
    )
    monkeypatch.setenv(CONFIG_ENV, config_to_json(config))
    assert config_from_json(os.environ[CONFIG_ENV]) == config
    assert app_from_env().title
