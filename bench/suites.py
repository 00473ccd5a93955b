"""The workloads: each suite opens its clients, builds one workload per contender, and times
them together with `harness.compare`."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx

import clawops
from clawops import Call, ClawOps

from .harness import Plan, Row, Workload, compare
from .sdk import LIMITS, TIMEOUT, AsyncBench, Bench, Item


@dataclass(frozen=True)
class Settings:
    """Counts of one run; every suite is bounded by them.

    The defaults are the issue's sizes (5k requests per workload, 500 in flight); on a 2-core
    machine, where httpx's async pool manages only ~100 req/s with 500 connections, the run
    takes about ten minutes. `QUICK` is a three-minute smoke run.
    """

    rounds: int = 5
    async_rounds: int = 3
    warmup: int = 200
    sync_requests: int = 5000
    async_requests: int = 5000
    concurrency: int = 500
    calls_get: int = 2000
    calls_list: int = 1000
    in_process: int = 5000
    import_runs: int = 7
    deadline: float = math.inf
    """`time.monotonic()` after which no row starts another round (see `time_rounds`)."""

    def plan(self, n: int, *, rounds: int | None = None, warmup: int | None = None) -> Plan:
        """A plan for `n` requests, with this run's rounds, warmup and deadline by default."""
        return Plan(
            n=n,
            rounds=self.rounds if rounds is None else rounds,
            warmup=self.warmup if warmup is None else warmup,
            deadline=self.deadline,
        )


QUICK = Settings(
    sync_requests=500, async_requests=1000, calls_get=500, calls_list=300, in_process=3000
)


@dataclass(frozen=True)
class Emulator:
    """Where the ClawOps emulator listens and the credentials it accepts."""

    url: str
    api_key: str
    account_id: str
    number: str


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

        plan = settings.plan(settings.sync_requests)
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
                name: _concurrently(loop, fetch, settings.concurrency)
                for name, fetch in fetches.items()
            }
            plan = settings.plan(
                settings.async_requests,
                rounds=settings.async_rounds,
                # A full window, so every pool has opened all its connections before timing.
                warmup=max(settings.warmup, settings.concurrency),
            )
            benchmark = f"async GET, {settings.concurrency} in flight"
            baselines = ["httpx.AsyncClient", "aiohttp"]
            return compare(benchmark, contenders, plan, sdk="sdkcore async", baselines=baselines)
        finally:
            loop.run_until_complete(_close(sdk, raw, session))
    finally:
        loop.close()


def clawops_rows(emulator: Emulator, settings: Settings) -> list[Row]:
    """`calls.get` and `calls.list` of the ClawOps SDK vs the same requests with `httpx.Client`."""
    headers = {"Authorization": f"Bearer {emulator.api_key}", "Accept": "application/json"}
    with (
        ClawOps(
            api_key=emulator.api_key, account_id=emulator.account_id, base_url=emulator.url
        ) as client,
        httpx.Client(
            base_url=emulator.url, headers=headers, limits=LIMITS, timeout=clawops.DEFAULT_TIMEOUT
        ) as raw,
    ):
        call_id = client.calls.create(
            to="01012345678", from_=emulator.number, url="https://example.com/twiml"
        ).call_id
        return _calls_rows("ClawOps", client, raw, call_id, settings, settings.calls_get)


def clawops_overhead_rows(settings: Settings) -> list[Row]:
    """The same workloads over `httpx.MockTransport`: no network and no server, so the ratio
    is the SDK's own CPU cost per call (request building, retry bookkeeping, parsing)."""
    call_id = "CA" + "0" * 32
    call = {
        "callId": call_id,
        "status": "in-progress",
        "to": "01012345678",
        "from": "07052358010",
        "direction": "outbound",
        "duration": None,
        "accountId": "AC1",
        "dateCreated": "2026-11-25T12:00:00.000Z",
        "dateUpdated": None,
    }
    page = {"data": [call] * 20, "meta": {"total": 20, "page": 0, "pageSize": 20}}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=page if request.url.path.endswith("/calls") else call)

    transport = httpx.MockTransport(answer)
    with (
        ClawOps(
            api_key="sk_test_bench",
            account_id="AC1",
            base_url="https://clawops.test",
            http_client=httpx.Client(transport=transport),
        ) as client,
        httpx.Client(base_url="https://clawops.test", transport=transport) as raw,
    ):
        return _calls_rows(
            "ClawOps in-process", client, raw, call_id, settings, settings.in_process
        )


def _calls_rows(
    label: str, client: ClawOps, raw: httpx.Client, call_id: str, settings: Settings, n: int
) -> list[Row]:
    calls_path = f"/v1/accounts/{client.account_id}/calls"

    def sdk_get(n: int) -> None:
        for _ in range(n):
            client.calls.get(call_id)

    def raw_get(n: int) -> None:
        for _ in range(n):
            Call.model_validate(raw.get(f"{calls_path}/{call_id}").raise_for_status().json())

    def sdk_list(n: int) -> None:
        for _ in range(n):
            client.calls.list(page_size=20)

    def raw_list(n: int) -> None:
        for _ in range(n):
            envelope = raw.get(f"{calls_path}?pageSize=20").raise_for_status().json()
            for item in envelope["data"]:
                Call.model_validate(item)

    get_plan = settings.plan(n)
    list_plan = settings.plan(max(n * settings.calls_list // settings.calls_get, 1))
    return [
        *_versus(f"{label} calls.get", get_plan, ("ClawOps", sdk_get), ("httpx.Client", raw_get)),
        *_versus(
            f"{label} calls.list", list_plan, ("ClawOps", sdk_list), ("httpx.Client", raw_list)
        ),
    ]


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
