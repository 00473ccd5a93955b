"""The sdkcore runtime (the minimal SDK of `bench.sdk`) against raw httpx and aiohttp, over
loopback to the Starlette app of `bench.app`: sequential GET/POST, and concurrent GETs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import httpx

from . import servers
from .harness import Plan, Row, Section, Settings, Workload, compare
from .sdk import LIMITS, TIMEOUT, AsyncBench, Bench, Item

CONCURRENCY = 500


def suite(settings: Settings) -> list[Section]:
    """Both row groups against one bench app."""
    port = servers.free_port()
    with servers.running(servers.bench_app_command(port), port) as url:
        rows = sync_rows(url, settings) + async_rows(url, settings)
    return [Section(title="sdkcore runtime vs raw clients (bench.app)", rows=rows)]


def _plan(settings: Settings, n: int, *, rounds: int, warmup: int) -> Plan:
    return Plan(n=n, rounds=rounds, warmup=warmup, deadline=settings.deadline)


def _body(i: int) -> dict[str, Any]:
    return {"itemId": str(i), "displayName": "Widget", "price": 12.5}


def sync_rows(url: str, settings: Settings) -> list[Row]:
    """Sequential GETs and POSTs: the sdkcore sync client vs `httpx.Client`."""
    with (
        Bench(base_url=url) as sdk,
        httpx.Client(base_url=url, limits=LIMITS, timeout=TIMEOUT) as raw,
    ):

        def sdk_get(n: int) -> None:
            for i in range(n):
                sdk.items.get(str(i))

        def raw_get(n: int) -> None:
            for i in range(n):
                Item.model_validate(raw.get(f"/items/{i}").raise_for_status().json())

        def sdk_post(n: int) -> None:
            for i in range(n):
                sdk.items.create(_body(i))

        def raw_post(n: int) -> None:
            for i in range(n):
                Item.model_validate(raw.post("/items", json=_body(i)).raise_for_status().json())

        plan = _plan(settings, settings.pick(3000, 500), rounds=5, warmup=200)
        return [
            *_versus("sync GET", plan, ("sdkcore sync", sdk_get), ("httpx.Client", raw_get)),
            *_versus("sync POST", plan, ("sdkcore sync", sdk_post), ("httpx.Client", raw_post)),
        ]


def async_rows(url: str, settings: Settings) -> list[Row]:
    """Concurrent GETs: the sdkcore async client vs `httpx.AsyncClient` and `aiohttp`."""
    # One loop for the whole suite: async pools are bound to the loop that opened them.
    loop = asyncio.new_event_loop()
    try:
        sdk = AsyncBench(base_url=url)
        raw = httpx.AsyncClient(base_url=url, limits=LIMITS, timeout=TIMEOUT)
        session = loop.run_until_complete(_aiohttp_session(url))
        try:

            async def sdk_get(i: int) -> None:
                await sdk.items.get(str(i))

            async def httpx_get(i: int) -> None:
                Item.model_validate((await raw.get(f"/items/{i}")).raise_for_status().json())

            async def aiohttp_get(i: int) -> None:
                async with session.get(f"/items/{i}") as response:
                    response.raise_for_status()
                    Item.model_validate(await response.json())

            fetches = {
                "sdkcore async": sdk_get,
                "httpx.AsyncClient": httpx_get,
                "aiohttp": aiohttp_get,
            }
            contenders = {
                name: _concurrently(loop, fetch, CONCURRENCY) for name, fetch in fetches.items()
            }
            # httpx's pool manages ~120 req/s at 500 in flight here: 2,000 requests keep its
            # rounds near 15 s. The warmup is a full window, so every pool has opened all its
            # connections before timing.
            plan = _plan(settings, settings.pick(2000, 1000), rounds=3, warmup=CONCURRENCY)
            benchmark = f"async GET, {CONCURRENCY} in flight"
            baselines = ["httpx.AsyncClient", "aiohttp"]
            return compare(benchmark, contenders, plan, sdk="sdkcore async", baselines=baselines)
        finally:
            loop.run_until_complete(_close(sdk, raw, session))
    finally:
        loop.close()


def _versus(
    benchmark: str, plan: Plan, sdk: tuple[str, Workload], baseline: tuple[str, Workload]
) -> list[Row]:
    return compare(benchmark, dict([sdk, baseline]), plan, sdk=sdk[0], baselines=[baseline[0]])


def _concurrently(
    loop: asyncio.AbstractEventLoop, fetch: Callable[[int], Awaitable[None]], concurrency: int
) -> Workload:
    """A workload running `fetch(0..n-1)` with at most `concurrency` in flight."""

    async def run(n: int) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            async with gate:
                await fetch(i)

        await asyncio.gather(*(one(i) for i in range(n)))

    return lambda n: loop.run_until_complete(run(n))


async def _aiohttp_session(url: str) -> aiohttp.ClientSession:
    # aiohttp wants its session created inside the running loop.
    connector = aiohttp.TCPConnector(limit=LIMITS.max_connections or 0)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT.read)
    return aiohttp.ClientSession(base_url=url, connector=connector, timeout=timeout)


async def _close(sdk: AsyncBench, raw: httpx.AsyncClient, session: aiohttp.ClientSession) -> None:
    await sdk.close()
    await raw.aclose()
    await session.close()
