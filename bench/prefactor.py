"""Prefactor rows: spans created per second by the SDK vs raw aiohttp and raw httpx sending
the same requests to the same emulator, and one bulk request of 100 spans vs 100 calls."""

from __future__ import annotations

import asyncio
import secrets
import sys
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from prefactor_http import (
    AgentSpan,
    BulkItem,
    BulkRequest,
    HttpClientConfig,
    PrefactorHttpClient,
    SyncPrefactorHttpClient,
)

from . import servers
from .harness import Plan, Row, Section, Settings, Workload, compare
from .suites import _concurrently

_EMULATOR = Path(sys.executable).with_name("prefactor-emulator")
_AGENT = "agent_bench"
_CONCURRENCY = 50
_LEVELS = (1, 10, 100, 500)
_BATCH = 100
_SCHEMA = {
    "external_identifier": "bench-v1",
    "span_type_schemas": [
        {
            "name": "agent:llm",
            "params_schema": {
                "type": "object",
                "properties": {"model": {"type": "string"}, "prompt": {"type": "string"}},
                "required": ["model", "prompt"],
            },
        }
    ],
}
_PAYLOAD = {"model": "gpt-4", "prompt": "Hello"}


def _span_details(instance_id: str) -> dict[str, Any]:
    return {
        "agent_instance_id": instance_id,
        "schema_name": "agent:llm",
        "status": "active",
        "payload": _PAYLOAD,
        "idempotency_key": f"bench-{uuid.uuid4().hex}",
    }


def suite(settings: Settings) -> list[Section]:
    """Serve the emulator through its CLI and time span creation against it."""
    return [Section(title="Prefactor span creation (prefactor-emulator)", rows=_served(settings))]


def _served(settings: Settings) -> list[Row]:
    token = f"pfx_bench_{secrets.token_hex(8)}"
    port = servers.free_port()
    command = [
        str(_EMULATOR), "serve", "--host", servers.HOST, "--port", str(port),
        "--api-token", token, "--agent", _AGENT, "--log-level", "warning",
    ]  # fmt: skip
    with servers.running(command, port) as url:
        config = HttpClientConfig(api_url=url, api_token=token)
        with SyncPrefactorHttpClient(config) as setup:
            instance = setup.agent_instances.register(_AGENT, {"name": "Bench"}, _SCHEMA)
            setup.agent_instances.start(instance.id)
        # One loop for the whole suite: async pools are bound to the loop that opened them.
        loop = asyncio.new_event_loop()
        try:
            return _rows(loop, config, instance.id, settings)
        finally:
            loop.close()


def _rows(
    loop: asyncio.AbstractEventLoop, config: HttpClientConfig, instance_id: str, settings: Settings
) -> list[Row]:
    headers = {
        "Authorization": f"Bearer {config.api_token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    sdk = PrefactorHttpClient(config)
    raw = httpx.AsyncClient(base_url=config.api_url, headers=headers, timeout=30.0)
    session = loop.run_until_complete(_aiohttp_session(config.api_url, headers))
    try:

        async def sdk_span(i: int) -> None:
            await sdk.agent_spans.create(instance_id, "agent:llm", "active", payload=_PAYLOAD)

        async def httpx_span(i: int) -> None:
            body = {"details": _span_details(instance_id)}
            response = await raw.post("/api/v1/agent_spans", json=body)
            AgentSpan.model_validate(response.raise_for_status().json()["details"])

        async def aiohttp_span(i: int) -> None:
            body = {"details": _span_details(instance_id)}
            async with session.post("/api/v1/agent_spans", json=body) as response:
                response.raise_for_status()
                AgentSpan.model_validate((await response.json())["details"])

        async def bulk(n: int) -> None:
            for start in range(0, n, _BATCH):
                items = [
                    BulkItem(
                        _type="agent_spans/create",
                        idempotency_key=f"bench-{uuid.uuid4().hex}",
                        agent_instance_id=instance_id,
                        schema_name="agent:llm",
                        status="active",
                        payload=_PAYLOAD,
                    )
                    for _ in range(min(_BATCH, n - start))
                ]
                await sdk.bulk.execute(BulkRequest(items=items))

        async def singles(n: int) -> None:
            for i in range(n):
                await sdk_span(i)

        spans = {
            "prefactor_http async": _concurrently(loop, sdk_span, _CONCURRENCY),
            "raw httpx.AsyncClient": _concurrently(loop, httpx_span, _CONCURRENCY),
            "raw aiohttp": _concurrently(loop, aiohttp_span, _CONCURRENCY),
        }
        rows = compare(
            f"Prefactor spans created, {_CONCURRENCY} in flight",
            spans,
            Plan(
                n=settings.pick(2500, 250),
                rounds=3,
                warmup=_CONCURRENCY,
                deadline=settings.deadline,
            ),
            sdk="prefactor_http async",
            baselines=["raw httpx.AsyncClient", "raw aiohttp"],
        )
        # Issue #23's target: >= 0.95x raw aiohttp's rate at each of these.
        for in_flight in _LEVELS:
            rows += compare(
                f"Prefactor spans created, {in_flight} in flight",
                {
                    "prefactor_http async": _concurrently(loop, sdk_span, in_flight),
                    "raw aiohttp": _concurrently(loop, aiohttp_span, in_flight),
                },
                Plan(
                    n=settings.pick(1500, 150),
                    rounds=5,
                    warmup=max(in_flight, 50),
                    deadline=settings.deadline,
                ),
                sdk="prefactor_http async",
                baselines=["raw aiohttp"],
            )
        batched = f"bulk.execute ({_BATCH} per request)"
        batches: dict[str, Workload] = {
            batched: lambda n: loop.run_until_complete(bulk(n)),
            "agent_spans.create, one by one": lambda n: loop.run_until_complete(singles(n)),
        }
        return rows + compare(
            f"Prefactor {_BATCH}-span batches vs single calls",
            batches,
            Plan(n=_BATCH * 2, rounds=3, warmup=_BATCH, deadline=settings.deadline),
            sdk=batched,
            baselines=["agent_spans.create, one by one"],
        )
    finally:
        loop.run_until_complete(_close(sdk, raw, session))


async def _aiohttp_session(url: str, headers: dict[str, str]) -> aiohttp.ClientSession:
    # aiohttp wants its session created inside the running loop.
    return aiohttp.ClientSession(base_url=url, headers=headers)


async def _close(
    sdk: PrefactorHttpClient, raw: httpx.AsyncClient, session: aiohttp.ClientSession
) -> None:
    await sdk.close()
    await raw.aclose()
    await session.close()
