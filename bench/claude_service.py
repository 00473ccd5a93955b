"""Claude Code API service throughput on its offline engine: completions/s at 1 and 20 in
flight, one worker on SQLite and two workers on PostgreSQL, each with the service's CPU time
per completion and its overhead over the engine alone.

The load comes from one aiohttp session (the cheapest client here), so that the service, not
the client, sets the rate. The overhead is CPU time, read from /proc for the service's
processes, minus the engine's own CPU time per completion measured in this process: on a
shared host wall-clock figures move with the neighbours' load, CPU time much less.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from claude_code_api.service import Admin
from claude_code_api.service._local_postgres import PostgresServer, unavailable_reason
from claude_code_api.service.engines import EngineRequest
from claude_code_api.service.engines.offline import OfflineEngine

from .claude_scale import started_service
from .harness import Section, Settings

_PROMPT = "Write a short poem about coding"
_BODY = {"model": "haiku", "messages": [{"role": "user", "content": _PROMPT}]}
_IN_FLIGHT = (1, 20)
_WARMUP = 100
_CLOCK_TICKS = 100  # /proc/<pid>/stat counts CPU time in ticks of 1/100 s on Linux
_COLUMNS = (
    "service",
    "in flight",
    "rounds",
    "completions/s",
    "ms per completion",
    "service CPU ms",
    "overhead ms",
)


def _group_cpu_seconds(group: int) -> float:
    """CPU seconds used so far by the live processes of process group `group`."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # fields after the name: state, ppid, pgrp, ...
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / _CLOCK_TICKS


def _engine_cpu_seconds(n: int) -> float:
    """CPU seconds per completion of the offline engine alone, in this process."""
    engine = OfflineEngine()
    request = EngineRequest(prompt=_PROMPT, model="haiku")

    async def run() -> None:
        for _ in range(n):
            async for _event in engine.run(request):
                pass

    started = time.process_time()
    asyncio.run(run())
    return (time.process_time() - started) / n


def _warmup(in_flight: int) -> int:
    """Untimed completions per connection before timing (every connection opened)."""
    return _WARMUP // in_flight + 1


async def _load(url: str, key: str, n: int, in_flight: int) -> float:
    """Wall seconds for `n` completions with `in_flight` at a time."""
    connector = aiohttp.TCPConnector(limit=in_flight)
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(url, connector=connector, headers=headers) as session:

        async def worker(count: int) -> None:
            for _ in range(count):
                async with session.post("/v1/chat/completions", json=_BODY) as response:
                    response.raise_for_status()
                    await response.read()

        await asyncio.gather(*(worker(_warmup(in_flight)) for _ in range(in_flight)))
        shares = [n // in_flight + (i < n % in_flight) for i in range(in_flight)]
        started = time.perf_counter()
        await asyncio.gather(*(worker(share) for share in shares))
        return time.perf_counter() - started


def _measure(
    label: str, db: str, workers: int, settings: Settings, engine_cpu: float
) -> list[tuple[str, ...]]:
    key, _ = Admin(db).create_key(project_id="bench", rate_limit=100_000_000)
    rows: list[tuple[str, ...]] = []
    with started_service(db, workers) as (url, group):
        for in_flight in _IN_FLIGHT:
            n = settings.pick(3000, 1000) if in_flight > 1 else settings.pick(1000, 300)
            walls: list[float] = []
            cpus: list[float] = []
            for round_ in range(settings.pick(3, 2)):
                if round_ and time.monotonic() > settings.deadline:
                    break
                before = _group_cpu_seconds(group)
                walls.append(asyncio.run(_load(url, key, n, in_flight)))
                # The CPU read covers the warm-up's completions as well.
                served = n + in_flight * _warmup(in_flight)
                cpus.append((_group_cpu_seconds(group) - before) / served)
            wall = statistics.median(walls)
            cpu = statistics.median(cpus)
            rows.append(
                (
                    label,
                    str(in_flight),
                    str(len(walls)),
                    f"{n / wall:,.0f}",
                    f"{wall / n * 1000:.2f}",
                    f"{cpu * 1000:.2f}",
                    f"{(cpu - engine_cpu) * 1000:.2f}",
                )
            )
    return rows


def suite(settings: Settings) -> list[Section]:
    """One table: SQLite with one worker, then PostgreSQL with two (skipped, with the reason,
    where PostgreSQL cannot run)."""
    engine_cpu = _engine_cpu_seconds(settings.pick(2000, 500))
    notes = [
        f"Offline engine alone: {engine_cpu * 1000:.2f} ms CPU per completion (haiku, 24 "
        "chunks). Service CPU: all of the service's processes, per completion; overhead = "
        "service CPU - engine CPU: what keys, rate limit, budget, usage and HTTP cost. "
        "One aiohttp client process; wall-clock figures depend on the host's other load."
    ]
    with tempfile.TemporaryDirectory(prefix="claude-service-bench-") as folder:
        cells = _measure(
            "SQLite, 1 worker", str(Path(folder) / "bench.db"), 1, settings, engine_cpu
        )
    reason = unavailable_reason()
    if reason is None:
        server = PostgresServer()
        try:
            server.start()
            cells += _measure("PostgreSQL, 2 workers", server.database(), 2, settings, engine_cpu)
        finally:
            server.stop()
    else:
        notes.append(f"PostgreSQL rows skipped: {reason}")
    return [
        Section(
            title="Claude Code API service throughput (offline engine)",
            columns=_COLUMNS,
            cells=cells,
            notes=notes,
            data={"engine_cpu_ms": engine_cpu * 1000},
        )
    ]
