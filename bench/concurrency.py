"""Async GETs at 1 / 10 / 100 / 500 in flight: the real `AsyncClawOps().calls.get` on its
default transport (aiohttp's pool) against raw aiohttp and raw `httpx.AsyncClient`, all sending
ClawOps's headers and validating the same `clawops.Call` model, against a uvicorn app that
answers the fixed wire bytes of a call (`bench.clawops_workload:app`) in its own process.

``python -m bench.concurrency [--quick]`` runs this suite alone; ``python -m bench`` runs it
with the others. Every pool has ClawOps's own connection limits (the client takes no limits
option, so the raw pools copy the ones its default pool is made with). Rounds are
interleaved: the SDK and raw aiohttp run back to back, each leading every other round, then
the httpx pools (`AsyncClawOps` given an `httpx.AsyncClient` on httpx's pool as `http_client`,
and raw `httpx.AsyncClient`). The figures are medians over rounds, with the spread (min-max)
beside them, and the target is judged on the paired ratio (the median over rounds of SDK / raw
aiohttp in the same round). Client CPU per request (this process's CPU time / requests) is
shown too.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import httpx

import sdkcore
from clawops import AsyncClawOps, Call

from . import report, servers
from .clawops_workload import ACCOUNT_ID, API_KEY, CALL_ID, CALLS_PATH
from .harness import Section, Settings

Fetch = Callable[[int], Awaitable[None]]

SDK = "AsyncClawOps (aiohttp pool)"
SDK_HTTPX = "AsyncClawOps (httpx pool)"
AIOHTTP = "aiohttp"
HTTPX = "httpx.AsyncClient"
_SLOW = frozenset({HTTPX, SDK_HTTPX})
"""httpx's pool, at a tenth of aiohttp's rate or less from 10 in flight: these time at most
`SLOW_REQUESTS` per round (the figures are rates, so they stay comparable)."""
TARGET = 0.95
"""The SDK's req/s must reach this fraction of raw aiohttp's at every concurrency."""

_RESULTS = Path(__file__).with_name("concurrency.json")
_CALL_PATH = f"{CALLS_PATH}/{CALL_ID}"
# Generous: on a loaded 2-core machine httpx's pool can take tens of seconds to open 500
# connections, and a raw client (which does not retry) would abort the whole run.
_TIMEOUT = httpx.Timeout(120.0)


REQUESTS = {1: (1500, 200), 10: (4000, 500), 100: (6000, 800), 500: (6000, 1000)}
"""Requests per round at each concurrency: (full, quick). Rounds of 1-2 s: in rounds of under
a second, the ratio of one round moved by up to 0.5 at 100+ in flight, where client and server
share the two cores, and decided the median of seven."""
SLOW_REQUESTS = {1: 500, 10: 1500, 100: 1000, 500: 1000}
"""The most requests per round the `_SLOW` contenders time."""


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


async def _measure(
    fetches: Mapping[str, Fetch], n: int, in_flight: int, rounds: int, deadline: float
) -> Measured:
    for fetch in fetches.values():
        # A full window first, so every pool has opened its connections before timing.
        await _concurrently(fetch, max(in_flight, 50), in_flight)
    names = list(fetches)
    measured = Measured({name: [] for name in names}, {name: [] for name in names})
    pair = [SDK, AIOHTTP]
    others = [name for name in names if name not in pair]
    for round_ in range(rounds):
        # Past the run's deadline only the first round runs, so that the suite stays bounded.
        if round_ and time.monotonic() > deadline:
            break
        # The pair the target compares runs back to back, first one then the other leading,
        # so that a drift of the machine (or of either process's heap) over the run falls on
        # both sides of each round's ratio alike.
        for name in (pair if round_ % 2 == 0 else pair[::-1]) + others:
            gc.collect()
            count = min(n, SLOW_REQUESTS[in_flight]) if name in _SLOW else n
            wall, cpu = time.perf_counter(), time.process_time()
            await _concurrently(fetches[name], count, in_flight)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            measured.rps[name].append(count / wall)
            measured.cpu_us[name].append(cpu / count * 1e6)
    return measured


async def _run(url: str, settings: Settings, rounds: int) -> dict[int, Measured]:
    # The client a user makes: its own pool on the default transport.
    default = AsyncClawOps(api_key=API_KEY, account_id=ACCOUNT_ID, base_url=url)
    # ClawOps takes no limits option: its pool's are the profile's, so every other pool here
    # is given those (aiohttp has no counterpart of `max_keepalive_connections`).
    limits = default._profile.limits
    # The headers ClawOps sends on every request, the raw clients send as well.
    headers = default._merged_headers()
    connector = aiohttp.TCPConnector(
        limit=limits.max_connections or 0, keepalive_timeout=limits.keepalive_expiry
    )
    timeout = aiohttp.ClientTimeout(total=_TIMEOUT.read)
    httpx_pool = sdkcore.async_http_client(transport="httpx", limits=limits)
    over_httpx = AsyncClawOps(
        api_key=API_KEY, account_id=ACCOUNT_ID, base_url=url, http_client=httpx_pool
    )
    async with (
        default,
        over_httpx,
        httpx_pool,
        httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=_TIMEOUT) as raw,
        aiohttp.ClientSession(
            base_url=url, headers=dict(headers), connector=connector, timeout=timeout
        ) as session,
    ):
        sdk = default.with_options(timeout=_TIMEOUT)
        sdk_httpx = over_httpx.with_options(timeout=_TIMEOUT)

        async def sdk_get(i: int) -> None:
            await sdk.calls.get(CALL_ID)

        async def sdk_httpx_get(i: int) -> None:
            await sdk_httpx.calls.get(CALL_ID)

        async def aiohttp_get(i: int) -> None:
            async with session.get(_CALL_PATH) as response:
                response.raise_for_status()
                Call.model_validate(await response.json())

        async def httpx_get(i: int) -> None:
            Call.model_validate((await raw.get(_CALL_PATH)).raise_for_status().json())

        fetches = {SDK: sdk_get, AIOHTTP: aiohttp_get, HTTPX: httpx_get, SDK_HTTPX: sdk_httpx_get}
        results = {}
        for in_flight, (full, quick) in REQUESTS.items():
            n = settings.pick(full, quick)
            results[in_flight] = await _measure(fetches, n, in_flight, rounds, settings.deadline)
        return results


def _cells(results: dict[int, Measured]) -> list[tuple[str, ...]]:
    cells: list[tuple[str, ...]] = []
    for in_flight, measured in results.items():
        base = statistics.median(measured.rps[AIOHTTP])
        for name, rps in measured.rps.items():
            median = statistics.median(rps)
            pairs = zip(rps, measured.rps[AIOHTTP], strict=True)
            cells.append(
                (
                    str(in_flight),
                    name,
                    f"{median:,.0f}",
                    f"{min(rps):,.0f}-{max(rps):,.0f}",
                    f"{median / base:.2f}x",
                    f"{statistics.median(a / b for a, b in pairs):.2f}x",
                    f"{statistics.median(measured.cpu_us[name]):.0f}",
                )
            )
    return cells


def _paired(measured: Measured) -> float:
    """The median over rounds of SDK req/s / raw aiohttp req/s in the same round."""
    pairs = zip(measured.rps[SDK], measured.rps[AIOHTTP], strict=True)
    return statistics.median(sdk / raw for sdk, raw in pairs)


def verdict(results: dict[int, Measured]) -> str:
    """Whether the SDK reached `TARGET` x raw aiohttp's req/s at every concurrency, judged on
    the paired ratio (see `_measure`: the machine's drift between rounds, up to 2x at 500 in
    flight here, would otherwise decide it); the ratio of the medians is shown beside it."""
    paired = {in_flight: _paired(m) for in_flight, m in results.items()}
    medians = {
        in_flight: statistics.median(m.rps[SDK]) / statistics.median(m.rps[AIOHTTP])
        for in_flight, m in results.items()
    }
    missed = [k for k, v in paired.items() if v < TARGET]
    shown = ", ".join(f"{k}: {paired[k]:.2f}x (medians {medians[k]:.2f}x)" for k in paired)
    state = "met" if not missed else f"NOT met at {', '.join(map(str, missed))} in flight"
    return f"SDK / raw aiohttp req/s, paired by round ({shown}); target >= {TARGET}x {state}"


def suite(settings: Settings) -> list[Section]:
    """Serve the fixed ClawOps bytes, measure every concurrency, save the figures to
    concurrency.json."""
    rounds = settings.pick(7, 3)
    port = servers.free_port()
    with servers.running(servers.wire_command(port), port) as url:
        results = asyncio.run(_run(url, settings, rounds))
    payload = {str(k): {"rps": m.rps, "cpu_us_per_request": m.cpu_us} for k, m in results.items()}
    _RESULTS.write_text(json.dumps(payload, indent=1) + "\n")
    return [
        Section(
            title=(
                "async GET under concurrency: AsyncClawOps calls.get vs raw aiohttp and httpx "
                "(fixed ClawOps bytes)"
            ),
            columns=(
                "in flight",
                "client",
                "req/s (median)",
                "req/s spread",
                "x aiohttp",
                "paired",
                "client CPU us/req",
            ),
            cells=_cells(results),
            notes=[
                f"Up to {rounds} interleaved rounds; httpx pools time fewer requests per round "
                f"({SLOW_REQUESTS}). {verdict(results)}. Figures also in bench/{_RESULTS.name}."
            ],
            data={"concurrency": payload},
        )
    ]


def main() -> None:
    """``python -m bench.concurrency [--quick]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests and rounds")
    print(report.text(suite(Settings(quick=parser.parse_args().quick))))


if __name__ == "__main__":
    main()
