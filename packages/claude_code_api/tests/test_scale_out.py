"""Load test: `claude-api service start --workers 2` against PostgreSQL, hit by many
concurrent clients: every usage row booked, the rate limit never exceeded, one execution per
idempotency key. Bounded: a few hundred requests, each with a timeout."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from claude_cli_service import free_port, serving

from claude_code_api import AsyncClaudeClient, RateLimitError
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


@pytest.fixture(scope="module")
def cluster(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    db = postgres_server.database()
    port = free_port()
    argv = [sys.executable, "-m", "claude_code_api._cli", "service", "start", "--port", str(port),
            "--db", db, "--workers", str(WORKERS)]  # fmt: skip
    env = {**os.environ, "CLAUDE_API_HOME": str(tmp_path_factory.mktemp("home"))}
    with serving(argv, port, env, tmp_path_factory.mktemp("scale") / "service.log", 240) as url:
        yield Cluster(url, Admin(db))


async def _gather_clients(url: str, key: str, prompts: list[str]) -> list[object]:
    """`prompts` spread over `CLIENTS` clients (each with its own connections), all at once;
    each outcome is a response or the exception raised."""
    clients = [AsyncClaudeClient(base_url=url, api_key=key, max_retries=0) for _ in range(CLIENTS)]
    try:
        return await asyncio.wait_for(
            asyncio.gather(
                *(
                    clients[i % CLIENTS].complete(prompt, model="haiku")
                    for i, prompt in enumerate(prompts)
                ),
                return_exceptions=True,
            ),
            timeout=90,
        )
    finally:
        await asyncio.gather(*(client.close() for client in clients))


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
    # The limit counts per 60 s window: start well inside one, so all requests share it.
    if time.time() % 60 > 45:
        time.sleep(61 - time.time() % 60)
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
