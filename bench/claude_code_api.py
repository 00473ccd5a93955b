"""Claude Code API rows: the service's overhead over its offline engine, stream time to first
chunk, and a 100-prompt batch run in parallel vs one by one."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from claude_code_api import ClaudeClient
from claude_code_api.service import Admin
from claude_code_api.service.engines import EngineRequest
from claude_code_api.service.engines.offline import OfflineEngine

from . import servers
from .harness import Plan, Row, Section, Settings, Workload, compare

_PROMPT = "Write a short poem about coding"
_BATCH = [f"Prompt number {i}" for i in range(100)]
# The stream rows give the engine a model-like pace, so that the first chunk arrives before
# the last one; the overhead rows use no delay, so that only the service's own cost shows.
_PACED = "chunk_delay=0.005"


def _command(port: int, db: str, *engine_options: str) -> list[str]:
    options = [f"--engine-option={option}" for option in engine_options]
    return [
        sys.executable, "-m", "claude_code_api.service", "--port", str(port), "--db", db,
        "--batch-concurrency", "16", *options,
    ]  # fmt: skip


def _in_process(engine: OfflineEngine) -> Workload:
    loop = asyncio.new_event_loop()
    request = EngineRequest(prompt=_PROMPT, model="haiku")

    async def run(n: int) -> None:
        for _ in range(n):
            async for _event in engine.run(request):
                pass

    return lambda n: loop.run_until_complete(run(n))


def suite(settings: Settings) -> list[Section]:
    """Every Claude Code API row, each against a service in its own process."""
    return [Section(title="Claude Code API service (offline engine)", rows=_rows(settings))]


def _plan(settings: Settings, n: int, *, rounds: int, warmup: int) -> Plan:
    return Plan(n=n, rounds=rounds, warmup=warmup, deadline=settings.deadline)


def _rows(settings: Settings) -> list[Row]:
    completions = settings.pick(500, 100)
    streams = settings.pick(100, 30)
    batch_prompts = settings.pick(300, 100)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="claude-bench-") as folder:
        db = str(Path(folder) / "bench.db")
        key, _ = Admin(db).create_key(project_id="bench", rate_limit=10_000_000)
        port = servers.free_port()
        with (
            servers.running(_command(port, db), port) as url,
            ClaudeClient(base_url=url, api_key=key) as client,
        ):

            def through_service(n: int) -> None:
                for _ in range(n):
                    client.complete(_PROMPT, model="haiku")

            def batch(parallel: bool) -> Workload:
                # n prompts, sent 100 per batch, so that req/s counts prompts.
                def run(n: int) -> None:
                    for start in range(0, n, len(_BATCH)):
                        prompts = _BATCH[: min(len(_BATCH), n - start)]
                        client.batch(prompts, model="haiku", parallel=parallel)

                return run

            rows += compare(
                "claude complete (offline engine)",
                {
                    "service + client": through_service,
                    "engine in-process": _in_process(OfflineEngine()),
                },
                _plan(settings, completions, rounds=5, warmup=10),
                sdk="service + client",
                baselines=["engine in-process"],
            )
            rows += compare(
                "claude batch of 100 prompts",
                {"parallel=True": batch(True), "parallel=False": batch(False)},
                _plan(settings, batch_prompts, rounds=3, warmup=10),
                sdk="parallel=True",
                baselines=["parallel=False"],
            )
        port = servers.free_port()
        with (
            servers.running(_command(port, db, _PACED), port) as url,
            ClaudeClient(base_url=url, api_key=key) as client,
        ):

            def first_chunk(n: int) -> None:
                for _ in range(n):
                    stream = client.stream(_PROMPT, model="opus")
                    next(stream)
                    stream.close()

            def whole(n: int) -> None:
                for _ in range(n):
                    client.complete(_PROMPT, model="opus")

            rows += compare(
                "claude stream: first chunk vs whole answer (5 ms/chunk)",
                {"stream first chunk": first_chunk, "complete()": whole},
                _plan(settings, streams, rounds=5, warmup=2),
                sdk="stream first chunk",
                baselines=["complete()"],
            )
    return rows
