"""Streaming: SSE through both clients, failures mid-stream, and the WebSocket protocol."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from websockets.sync.client import connect

from claude_code_api import (
    APIConnectionError,
    AsyncClaudeClient,
    ClaudeClient,
    RateLimitError,
    UpstreamError,
)
from claude_code_api.service import ClaudeService


def _ws_url(service: ClaudeService) -> str:
    return service.url.replace("http://", "ws://") + "/v1/stream"


def test_sync_stream_matches_the_completion(client: ClaudeClient) -> None:
    chunks = list(client.stream("Write a story", model="opus"))
    assert len(chunks) > 10
    assert "".join(chunks) == client.complete("Write a story", model="opus").content


async def test_async_stream_matches_the_completion(aclient: AsyncClaudeClient) -> None:
    chunks = [chunk async for chunk in aclient.stream("Write a poem", model="haiku")]
    assert "".join(chunks) == (await aclient.complete("Write a poem", model="haiku")).content


def test_engine_failure_mid_stream_raises(start_service: Callable[..., ClaudeService]) -> None:
    svc = start_service(engine_options={"fail_after": 3})
    with ClaudeClient(**svc.client_kwargs(svc.create_key()), max_retries=0) as client:
        received: list[str] = []
        with pytest.raises(UpstreamError, match="simulated failure") as caught:
            received.extend(client.stream("Write a story"))
        assert len(received) == 3
        assert caught.value.status_code == 502
        with pytest.raises(UpstreamError) as plain:
            client.complete("Write a story")
        assert plain.value.response.headers["X-Error-Category"] == "upstream"


async def test_engine_rate_limit_maps_to_rate_limit_error(
    start_service: Callable[..., ClaudeService],
) -> None:
    options = {"fail_after": 0, "failure": "rate_limited", "retry_after": 7}
    svc = start_service(engine_options=options)
    key = svc.create_key()
    async with AsyncClaudeClient(**svc.client_kwargs(key), max_retries=0) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.complete("Hello")
        assert caught.value.retry_after == 7
        with pytest.raises(RateLimitError) as streamed:
            async for _ in client.stream("Hello"):
                pass
        assert streamed.value.retry_after == 7


def test_cut_stream_raises(start_service: Callable[..., ClaudeService]) -> None:
    svc = start_service(fault_injection=True, engine_options={"chunk_delay": 0.01})
    with ClaudeClient(**svc.client_kwargs(svc.create_key()), max_retries=0) as client:
        stream = client.stream("Write a story", extra_headers={"X-Emulator-Fault": "cut_stream"})
        with pytest.raises(APIConnectionError):
            list(stream)


@respx.mock
def test_stream_ending_without_done_raises() -> None:
    # A clean end of the body before `done` is not something the service sends.
    body = b'data: {"type":"token","content":"Hel"}\n\ndata: {"type":"token","content":"lo"}\n\n'
    respx.post("https://svc.test/v1/stream").mock(
        return_value=httpx.Response(
            200, content=body, headers={"Content-Type": "text/event-stream"}
        )
    )
    with ClaudeClient(base_url="https://svc.test", api_key="cc_" + "a" * 40) as client:
        received: list[str] = []
        with pytest.raises(APIConnectionError, match="ended before"):
            received.extend(client.stream("Hello"))
    assert received == ["Hel", "lo"]


def _collect(ws: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        event = json.loads(ws.recv(timeout=10))
        events.append(event)
        if event["type"] in ("done", "error", "result"):
            return events


def test_websocket_chat(service: ClaudeService, api_key: str, client: ClaudeClient) -> None:
    with connect(_ws_url(service)) as ws:
        message = {
            "type": "chat",
            "api_key": api_key,
            "model": "sonnet",
            "messages": [{"role": "user", "content": "Write a story"}],
        }
        ws.send(json.dumps(message))
        events = _collect(ws)
        ws.send(json.dumps({**message, "project_id": "project-a"}))
        second = _collect(ws)
    text = "".join(e["content"] for e in events if e["type"] == "token")
    assert text == client.complete("Write a story", model="sonnet").content
    assert events[-1]["type"] == "done"
    assert events[-1]["model"] == "offline:sonnet"
    assert events[-1]["cost"] > 0
    assert second[-1]["type"] == "done"


def test_websocket_errors_keep_the_connection(service: ClaudeService, api_key: str) -> None:
    with connect(_ws_url(service)) as ws:
        ws.send("{not json")
        assert json.loads(ws.recv(timeout=10)) == {
            "type": "error",
            "error": "malformed JSON",
            "status": 400,
        }
        ws.send(json.dumps({"type": "chat", "messages": [{"role": "user", "content": "x"}]}))
        assert json.loads(ws.recv(timeout=10))["status"] == 401
        ws.send(json.dumps({"type": "chat", "api_key": api_key, "messages": []}))
        invalid = json.loads(ws.recv(timeout=10))
        assert invalid["status"] == 422
        assert "messages" in invalid["error"]
        ws.send(json.dumps({"type": "dance", "api_key": api_key}))
        assert "unknown message type" in json.loads(ws.recv(timeout=10))["error"]


def test_websocket_agentic_task(service: ClaudeService, api_key: str) -> None:
    with connect(_ws_url(service), additional_headers={"Authorization": f"Bearer {api_key}"}) as ws:
        ws.send(
            json.dumps(
                {"type": "agentic_task", "description": "Summarise", "allow_tools": ["Write"]}
            )
        )
        events = _collect(ws)
    assert [e["type"] for e in events] == ["thinking", "result"]
    assert events[-1]["status"] == "completed"
    assert events[-1]["artifacts"][0]["path"] == "SUMMARY.md"


def test_websocket_closed_mid_stream(
    start_service: Callable[..., ClaudeService],
) -> None:
    svc = start_service(engine_options={"chunk_delay": 0.02})
    key = svc.create_key("gone")
    with connect(_ws_url(svc)) as ws:
        ws.send(
            json.dumps(
                {
                    "type": "chat",
                    "api_key": key,
                    "model": "opus",
                    "messages": [{"role": "user", "content": "Write a long story"}],
                }
            )
        )
        assert json.loads(ws.recv(timeout=10))["type"] == "token"
    # The service stops the run, books what it used, and stays healthy.
    deadline = time.monotonic() + 10
    while (usage := svc.admin.usage("gone"))["total_requests"] == 0:
        assert time.monotonic() < deadline, "the interrupted run was never booked"
        time.sleep(0.05)
    assert usage["total_tokens"] > 0
    assert httpx.get(f"{svc.url}/health").json()["services"]["worker_pool"]["active_runs"] == 0
