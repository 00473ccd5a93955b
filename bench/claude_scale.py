"""Claude Code API scale-out rows: `claude-api service start --workers N` on a throwaway local
PostgreSQL, M concurrent async clients; requests/s per worker count (as rows, 2 workers vs 1)
and p50/p99 latency (printed). Skipped, with the reason, where PostgreSQL cannot run."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import httpx

from claude_code_api import AsyncClaudeClient
from claude_code_api.service import Admin
from claude_code_api.service._local_postgres import PostgresServer, unavailable_reason

from . import servers
from .harness import Row, Section, Settings

_WORKERS = (1, 2)
_CLIENTS = 16
_ROUNDS = 3
_START_TIMEOUT = 240.0
_REQUEST_TIMEOUT = 60.0


@contextlib.contextmanager
def started_service(db: str, workers: int) -> Iterator[tuple[str, int]]:
    """`claude-api service start --workers N` on `db` in a process group of its own: its URL
    and the group's id, once it answers."""
    port = servers.free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "claude_code_api._cli", "service", "start", "--port", str(port),
        "--db", db, "--workers", str(workers),
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="claude-scale-") as home:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "CLAUDE_API_HOME": home},
        )
        try:
            deadline = time.monotonic() + _START_TIMEOUT
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command!r} did not become ready")
                time.sleep(0.2)
            yield url, proc.pid
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


async def _round(url: str, key: str, per_client: int) -> tuple[float, list[float]]:
    """Wall seconds of `_CLIENTS` clients sending `per_client` completions each, and every
    request's latency."""
    latencies: list[float] = []

    async def one_client() -> None:
        async with AsyncClaudeClient(
            base_url=url, api_key=key, max_retries=0, timeout=_REQUEST_TIMEOUT
        ) as client:
            for i in range(per_client):
                started = time.perf_counter()
                await client.complete(f"Scale question {i}", model="haiku")
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(_CLIENTS)))
    return time.perf_counter() - started, latencies


def suite(settings: Settings) -> list[Section]:
    """One row, 2 workers vs 1 on PostgreSQL, and a table of req/s and latency per worker
    count."""
    title = f"Claude Code API scale-out on PostgreSQL, {_CLIENTS} concurrent async clients"
    reason = unavailable_reason()
    if reason is not None:
        return [Section(title=title, notes=[f"Skipped: {reason}"])]
    per_client = settings.pick(40, 10)
    n = _CLIENTS * per_client
    rounds: dict[int, list[float]] = {}
    cells: list[tuple[str, ...]] = []
    server = PostgresServer()
    try:
        server.start()
        for workers in _WORKERS:
            db = server.database()
            key, _ = Admin(db).create_key(project_id="scale", rate_limit=10_000_000)
            with started_service(db, workers) as (url, _group):
                asyncio.run(_round(url, key, 2))  # warm-up: connections, first-use paths
                results = [asyncio.run(_round(url, key, per_client))]
                # Past the run's deadline only the first round runs, so the suite stays bounded.
                while len(results) < _ROUNDS and time.monotonic() < settings.deadline:
                    results.append(asyncio.run(_round(url, key, per_client)))
            rounds[workers] = [seconds for seconds, _ in results]
            latencies = sorted(value for _, values in results for value in values)
            p50 = statistics.median(latencies) * 1000
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
            rate = n / statistics.median(rounds[workers])
            cells.append(
                (str(workers), str(len(results)), f"{rate:.0f}", f"{p50:.1f}", f"{p99:.1f}")
            )
    finally:
        server.stop()
    first, second = _WORKERS
    # Rounds pair up only as far as both worker counts ran them.
    paired = min(len(rounds[first]), len(rounds[second]))
    row = Row(
        f"claude complete on PostgreSQL, {_CLIENTS} concurrent clients",
        n,
        f"{second} workers",
        f"{first} worker",
        rounds[second][:paired],
        rounds[first][:paired],
    )
    return [
        Section(
            title=title,
            rows=[row],
            columns=("workers", "rounds", "req/s (median)", "p50 (ms)", "p99 (ms)"),
            cells=cells,
            notes=["`claude-api service start --workers N` on a throwaway local PostgreSQL."],
        )
    ]
