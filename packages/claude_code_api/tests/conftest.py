"""Fixtures: one service per test module (`service`), keys on it, and fresh clients per test.

Keys made here allow 100 000 requests a minute, so that only the rate-limit tests (which make
their own keys) ever meet the limit.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from claude_code_api import AsyncClaudeClient, ClaudeClient
from claude_code_api.service import ClaudeService
from claude_code_api.service._local_postgres import PostgresServer, unavailable_reason

HIGH_RATE = 100_000


@pytest.fixture(scope="module")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory tasks of the module's service may name as `working_directory`."""
    return tmp_path_factory.mktemp("shared")


@pytest.fixture(scope="module")
def service(shared_dir: Path) -> Iterator[ClaudeService]:
    """A running service on the offline engine (one per test module)."""
    with ClaudeService(allowed_directories=(shared_dir,), batch_concurrency=4) as svc:
        yield svc


@pytest.fixture
def start_service() -> Iterator[Callable[..., ClaudeService]]:
    """Start services with options of the test's choosing; all stop after the test."""
    with contextlib.ExitStack() as stack:

        def start(**options: Any) -> ClaudeService:
            return stack.enter_context(ClaudeService(**options))

        yield start


@pytest.fixture(scope="module")
def api_key(service: ClaudeService) -> str:
    """An enterprise key of project `test` that may also act for the seed's other projects."""
    return service.create_key(
        "test", rate_limit=HIGH_RATE, allowed_projects=["project-a", "project-b", "my-app"]
    )


@pytest.fixture
def make_key(service: ClaudeService) -> Callable[..., str]:
    """`make_key(project_id, **options)`: a new key on `service` (high rate limit unless set)."""

    def make(project_id: str = "test", **options: Any) -> str:
        return service.create_key(project_id, **{"rate_limit": HIGH_RATE, **options})

    return make


@pytest.fixture
def client(service: ClaudeService, api_key: str) -> Iterator[ClaudeClient]:
    """A blocking client with `api_key`."""
    with ClaudeClient(**service.client_kwargs(api_key)) as c:
        yield c


@pytest.fixture
async def aclient(service: ClaudeService, api_key: str) -> AsyncIterator[AsyncClaudeClient]:
    """An async client with `api_key`."""
    async with AsyncClaudeClient(**service.client_kwargs(api_key)) as c:
        yield c


@pytest.fixture
def http(service: ClaudeService, api_key: str) -> Iterator[httpx.Client]:
    """A raw httpx client on `service`, authenticated with `api_key`, for wire-level tests."""
    with httpx.Client(
        base_url=service.url, headers={"Authorization": f"Bearer {api_key}"}, timeout=30
    ) as c:
        yield c


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test process (skipped where none can run, unless
    `CLAUDE_API_REQUIRE_POSTGRES=1`, as `.ci/run` sets, makes that a failure)."""
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CLAUDE_API_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, then a database on `postgres_server`."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.database()
