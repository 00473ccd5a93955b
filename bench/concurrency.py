"""Async GETs at 1 / 10 / 100 / 500 in flight: the sdkcore async client (its default transport,
aiohttp's pool) against raw aiohttp and raw `httpx.AsyncClient`, all validating the same model,
against the plain uvicorn bench app in its own process.

Self-contained: ``python -m bench.concurrency [--quick]`` runs it alone; ``python -m bench``
runs it after the other suites. Rounds are interleaved (the order rotates every round) and the
figures are medians over rounds, with the spread (min-max) beside them. Client CPU per request
(this process's CPU time / requests) is shown too: unlike req/s it hardly moves when other
processes load the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx

import sdkcore

from . import servers
from .sdk import LIMITS, PROFILE, AsyncBench, Item

Fetch = Callable[[int], Awaitable[None]]

SDK = "sdkcore async (aiohttp pool)"
SDK_HTTPX = "sdkcore async (httpx pool)"
AIOHTTP = "aiohttp"
HTTPX = "httpx.AsyncClient"
_SLOW = frozenset({HTTPX, SDK_HTTPX})
"""httpx's pool manages a few dozen req/s at 100+ in flight on a busy machine: these time half
the requests there (the figures are rates, so they stay comparable)."""
TARGET = 0.95
"""The SDK's req/s must reach this fraction of raw aiohttp's at every concurrency."""

_RESULTS = Path(__file__).with_name("concurrency.json")
# Generous: on a loaded 2-core machine httpx's pool can take tens of seconds to open 500
# connections, and a raw client (which does not retry) would abort the whole run.
_TIMEOUT = httpx.Timeout(120.0)


class _AsyncBenchOver(AsyncBench):
    """The bench SDK over a given httpx client."""

    def __init__(self, *, base_url: str, http_client: httpx.AsyncClient) -> None:
        sdkcore.BaseClient.__init__(
            self, profile=PROFILE, base_url=base_url, auth_headers={}, http_client=http_client
        )


@dataclass(frozen=True)
class Settings:
    """Requests per round at each concurrency, and rounds."""

    requests: dict[int, int] = field(
        default_factory=lambda: {1: 500, 10: 1500, 100: 2000, 500: 2000}
    )
    rounds: int = 5


QUICK = Settings(requests={1: 200, 10: 500, 100: 800, 500: 1000}, rounds=3)


@dataclass
class Measured:
    """Per contender: req/s and client CPU microseconds per request, one entry per round."""

    rps: dict[str, list[float]]
    cpu_us: dict[str, list[float]]


async def _concurrently(fetch: Fetch, n: int, in_flight: int) -> None:
    gate = asyncio.Semaphore(in_flight)

    async def one(i: int) -> None:
        async with gate:
            await fetch(i)

    await asyncio.gather(*(one(i) for i in range(n)))


async def _measure(fetches: Mapping[str, Fetch], n: int, in_flight: int, rounds: int) -> Measured:
    for fetch in fetches.values():
        # A full window first, so every pool has opened its connections before timing.
        await _concurrently(fetch, max(in_flight, 50), in_flight)
    names = list(fetches)
    measured = Measured({name: [] for name in names}, {name: [] for name in names})
    for round_ in range(rounds):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            count = n // 2 if name in _SLOW and in_flight >= 100 else n
            wall, cpu = time.perf_counter(), time.process_time()
            await _concurrently(fetches[name], count, in_flight)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            measured.rps[name].append(count / wall)
            measured.cpu_us[name].append(cpu / count * 1e6)
    return measured


async def _run(url: str, settings: Settings) -> dict[int, Measured]:
    connector = aiohttp.TCPConnector(limit=LIMITS.max_connections or 0)
    timeout = aiohttp.ClientTimeout(total=_TIMEOUT.read)
    httpx_pool = sdkcore.async_http_client(transport="httpx", limits=LIMITS)
    async with (
        AsyncBench(base_url=url) as sdk_client,
        _AsyncBenchOver(base_url=url, http_client=httpx_pool) as sdk_httpx_client,
        httpx_pool,
        httpx.AsyncClient(base_url=url, limits=LIMITS, timeout=_TIMEOUT) as raw,
        aiohttp.ClientSession(base_url=url, connector=connector, timeout=timeout) as session,
    ):
        sdk = sdk_client.with_options(timeout=_TIMEOUT)
        sdk_httpx = sdk_httpx_client.with_options(timeout=_TIMEOUT)

        async def sdk_get(i: int) -> None:
            await sdk.items.get(str(i))

        async def sdk_httpx_get(i: int) -> None:
            await sdk_httpx.items.get(str(i))

        async def aiohttp_get(i: int) -> None:
            async with session.get(f"/items/{i}") as response:
                response.raise_for_status()
                Item.model_validate(await response.json())

        async def httpx_get(i: int) -> None:
            Item.model_validate((await raw.get(f"/items/{i}")).raise_for_status().json())

        fetches = {SDK: sdk_get, AIOHTTP: aiohttp_get, HTTPX: httpx_get, SDK_HTTPX: sdk_httpx_get}
        results = {}
        for in_flight, n in settings.requests.items():
            results[in_flight] = await _measure(fetches, n, in_flight, settings.rounds)
            print(_lines(in_flight, results[in_flight]), flush=True)
        return results


def _lines(in_flight: int, measured: Measured) -> str:
    base = statistics.median(measured.rps[AIOHTTP])
    lines = []
    for name, rps in measured.rps.items():
        median = statistics.median(rps)
        cpu = statistics.median(measured.cpu_us[name])
        paired = statistics.median(a / b for a, b in zip(rps, measured.rps[AIOHTTP], strict=True))
        lines.append(
            f"{in_flight:>4} | {name:<28} | {median:>7,.0f} req/s ({min(rps):,.0f}-{max(rps):,.0f})"
            f" | {median / base:5.2f}x aiohttp (paired {paired:4.2f}x) | {cpu:6.0f} us CPU/req"
        )
    return "\n".join(lines)


def verdict(results: dict[int, Measured]) -> str:
    """Whether the SDK reached `TARGET` x raw aiohttp's median req/s at every concurrency."""
    ratios = {
        in_flight: statistics.median(m.rps[SDK]) / statistics.median(m.rps[AIOHTTP])
        for in_flight, m in results.items()
    }
    missed = {k: v for k, v in ratios.items() if v < TARGET}
    shown = ", ".join(f"{k}: {v:.2f}x" for k, v in ratios.items())
    state = "met" if not missed else f"NOT met at {', '.join(map(str, missed))} in flight"
    return f"SDK / raw aiohttp req/s ({shown}); target >= {TARGET}x {state}"


def run(settings: Settings) -> dict[int, Measured]:
    """Serve the bench app, measure every concurrency, print and save the figures."""
    print(f"\nasync GET under concurrency ({settings.rounds} interleaved rounds)", flush=True)
    port = servers.free_port()
    with servers.running(servers.bench_app_command(port), port) as url:
        results = asyncio.run(_run(url, settings))
    print(verdict(results))
    payload = {str(k): {"rps": m.rps, "cpu_us_per_request": m.cpu_us} for k, m in results.items()}
    _RESULTS.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote bench/{_RESULTS.name}")
    return results


def main() -> None:
    """``python -m bench.concurrency [--quick]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests and rounds")
    run(QUICK if parser.parse_args().quick else Settings())


if __name__ == "__main__":
    main()
