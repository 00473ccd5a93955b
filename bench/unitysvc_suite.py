"""UnitySVC rows: the gateway's overhead on a dispatch round trip, and SSE decoding speed.

- Dispatch: `Client.dispatch` through the emulator's API gateway (routing, secret lookup,
  request log, streaming relay) vs raw httpx straight to the same upstream chat service.
  The emulator runs as ``unitysvc-emulator serve`` in its own process.
- SSE: ``StreamingResponse.iter_events`` vs httpx-sse's ``iter_sse`` (+ ``json.loads``) on
  the same bytes, in process over `httpx.MockTransport`, so only decoding is measured.
"""

from __future__ import annotations

import json
import secrets
import sys
from functools import cache

import httpx
import httpx_sse

from unitysvc import Client, StreamingResponse

from . import servers
from .harness import Plan, Row, Section, Settings, compare

__all__ = ["suite"]

_CHAT = {"messages": [{"role": "user", "content": "benchmark"}]}
_SMALL = "p/f554903b-7318-56ac-b95c-339ce325d461"  # the catalogue's chat-small


def _emulator_command(port: int, upstream_port: int, api_key: str) -> list[str]:
    return [
        sys.executable, "-c", "from unitysvc.emulator._cli import main; main()", "serve",
        "--port", str(port), "--upstream-port", str(upstream_port), "--api-key", api_key,
        "--log-level", "warning",
    ]  # fmt: skip


def dispatch_rows(settings: Settings) -> list[Row]:
    """Gateway round trip vs the upstream called directly."""
    key = "svcpass_bench_" + secrets.token_hex(8)
    port, upstream_port = servers.free_port(), servers.free_port()
    upstream = f"http://{servers.HOST}:{upstream_port}/chat/v1/chat/completions"
    plan = Plan(n=settings.pick(500, 125), rounds=5, warmup=50, deadline=settings.deadline)
    with (
        servers.running(_emulator_command(port, upstream_port, key), port) as url,
        Client(key, base_url=f"{url}/v1", api_base_url=f"{url}/gateway/api") as client,
        httpx.Client() as raw,
    ):

        def via_gateway(count: int) -> None:
            for _ in range(count):
                client.dispatch(_SMALL, json=_CHAT).raise_for_status()

        def direct(count: int) -> None:
            for _ in range(count):
                raw.post(upstream, json=_CHAT).raise_for_status()

        contenders = {"unitysvc via gateway": via_gateway, "httpx direct to upstream": direct}
        return compare(
            "UnitySVC dispatch round trip (gateway overhead)",
            contenders,
            plan,
            sdk="unitysvc via gateway",
            baselines=["httpx direct to upstream"],
        )


@cache
def _sse_body(events: int) -> bytes:
    chunk = {"choices": [{"index": 0, "delta": {"content": "token "}}], "object": "chunk"}
    frame = f"data: {json.dumps(chunk)}\n\n".encode()
    return frame * events + b"data: [DONE]\n\n"


def _transport() -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        events = int(request.url.params["events"])
        return httpx.Response(
            200, content=_sse_body(events), headers={"content-type": "text/event-stream"}
        )

    return httpx.MockTransport(answer)


def sse_rows(settings: Settings) -> list[Row]:
    """Events per second through `iter_events` vs httpx-sse on the same bytes."""
    url = "http://sse.test/stream"
    with httpx.Client(transport=_transport()) as http:

        def ours(count: int) -> None:
            with StreamingResponse(http, "GET", url, {"params": {"events": count}}) as r:
                for _ in r.iter_events():
                    pass

        def theirs(count: int) -> None:
            with httpx_sse.connect_sse(http, "GET", url, params={"events": count}) as source:
                for event in source.iter_sse():
                    if event.data == "[DONE]":
                        break
                    json.loads(event.data)

        plan = Plan(
            n=settings.pick(50_000, 30_000), rounds=5, warmup=200, deadline=settings.deadline
        )
        return compare(
            "SSE events decoded (iter_events vs httpx-sse)",
            {"unitysvc iter_events": ours, "httpx-sse iter_sse": theirs},
            plan,
            sdk="unitysvc iter_events",
            baselines=["httpx-sse iter_sse"],
        )


def suite(settings: Settings) -> list[Section]:
    """Every UnitySVC row."""
    rows = sse_rows(settings) + dispatch_rows(settings)
    return [Section(title="UnitySVC gateway and SSE decoding", rows=rows)]
