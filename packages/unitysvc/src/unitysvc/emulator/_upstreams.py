"""The catalogue's upstream services: real HTTP apps served next to the emulator.

One Starlette app on its own port (see `UnitysvcEmulator` and the CLI) with four services:

- ``/chat/...``: OpenAI-style chat completions; JSON, or SSE chunks ending with
  ``data: [DONE]`` when the body asks for ``"stream": true``.
- ``/ndjson/...``: an NDJSON stream (``application/x-ndjson``) of ``count`` objects.
- ``/lines/...``: a ``text/plain`` stream of ``count`` lines.
- ``/echo/...``: the request as received (method, path, query, headers, body) as JSON.
- ``/replay/...``: streams the chunks its JSON body lists (``{"content_type", "chunks"}``).
- ``/slow/...``: answers after ``X-Upstream-Delay`` seconds (for gateway timeouts).
- ``/flaky/...``: chat, or the error status named by ``X-Upstream-Fail`` (fails on demand).

Streams honour three test headers: ``X-Upstream-Chunk-Delay`` (seconds between chunks),
``X-Upstream-Cut`` (N: drop the connection in the middle of the N-th event) and
``X-Upstream-Hold`` (token: after the first event, wait until `release_upstream` is called
with the token, so a test can prove events arrive before the upstream has finished).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

__all__ = ["create_upstream_app", "release_upstream"]


class _Cut(Exception):
    """Raised inside a body iterator to abort the response mid-body (uvicorn drops it)."""


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _count(body: dict[str, Any], default: int) -> int:
    value = body.get("count", default)
    return value if isinstance(value, int) and 0 <= value <= 10_000 else default


_HOLDS: defaultdict[str, threading.Event] = defaultdict(threading.Event)
_HOLD_LIMIT = 30.0


def release_upstream(token: str) -> None:
    """Let the streams held with ``X-Upstream-Hold: <token>`` continue."""
    _HOLDS[token].set()


async def _emit(request: Request, frames: list[bytes]) -> AsyncIterator[bytes]:
    delay = float(request.headers.get("x-upstream-chunk-delay", "0") or 0)
    cut = int(request.headers.get("x-upstream-cut", "0") or 0)
    hold = request.headers.get("x-upstream-hold")
    for index, frame in enumerate(frames, start=1):
        if index == cut:
            yield frame[: max(1, len(frame) // 2)]
            raise _Cut("connection cut mid-event on request")
        yield frame
        if hold and index == 1:
            await asyncio.to_thread(_HOLDS[hold].wait, _HOLD_LIMIT)
        if delay:
            await asyncio.sleep(delay)


def _reply_text(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    last = messages[-1].get("content", "") if messages and isinstance(messages[-1], dict) else ""
    return f"Echo from {body.get('model', 'default')}: {last}".strip()


async def chat(request: Request) -> Response:
    """An OpenAI-compatible chat completion (JSON or SSE)."""
    body = await _body(request)
    text = _reply_text(body)
    model = str(body.get("model") or request.headers.get("x-unitysvc-service", "default"))
    created = int(time.time())
    if not body.get("stream"):
        return JSONResponse(
            {
                "id": "chatcmpl-emulator",
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": 1,
                    "completion_tokens": len(text.split()),
                    "total_tokens": 1 + len(text.split()),
                },
                "served_by": request.headers.get("x-unitysvc-service"),
            }
        )
    frames = []
    for word in text.split(" "):
        chunk = {
            "id": "chatcmpl-emulator",
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}],
        }
        frames.append(f"data: {json.dumps(chunk)}\n\n".encode())
    frames.append(b": keep-alive comment\n\n")
    frames.append(b"data: [DONE]\n\n")
    return StreamingResponse(_emit(request, frames), media_type="text/event-stream")


async def ndjson(request: Request) -> Response:
    """``count`` JSON objects, one per line."""
    body = await _body(request)
    frames = [
        (json.dumps({"seq": i, "value": f"item-{i}"}) + "\n").encode()
        for i in range(_count(body, 5))
    ]
    return StreamingResponse(_emit(request, frames), media_type="application/x-ndjson")


async def lines(request: Request) -> Response:
    """``count`` lines of plain text."""
    body = await _body(request)
    frames = [f"line {i}\n".encode() for i in range(_count(body, 5))]
    return StreamingResponse(_emit(request, frames), media_type="text/plain; charset=utf-8")


async def echo(request: Request) -> Response:
    """The request as received."""
    raw = await request.body()
    return JSONResponse(
        {
            "method": request.method,
            "path": request.url.path,
            "query": request.url.query,
            "headers": dict(request.headers),
            "body": raw.decode("utf-8", "replace"),
        }
    )


async def replay(request: Request) -> Response:
    """Send back the body ``{"content_type", "chunks": [hex, ...]}`` describes, one write per
    chunk (to test decoding across arbitrary chunk boundaries)."""
    body = await _body(request)
    try:
        chunks = [bytes.fromhex(c) for c in body.get("chunks", [])]
    except (TypeError, ValueError):
        return JSONResponse({"detail": "chunks must be hex strings"}, status_code=400)

    async def emit() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk
            # Yield to the loop so each chunk leaves as its own write.
            await asyncio.sleep(0)

    return StreamingResponse(emit(), media_type=str(body.get("content_type") or "text/plain"))


async def flaky(request: Request) -> Response:
    """A chat completion, or, when the request carries ``X-Upstream-Fail: <status>``, that
    error status (503 when the value is not a 4xx/5xx code): an upstream that fails on demand,
    so failover through chains and ``/f/`` can be shown with healthy services beside it."""
    fail = request.headers.get("x-upstream-fail")
    if fail is None:
        return await chat(request)
    code = int(fail) if fail.isdigit() and 400 <= int(fail) <= 599 else 503
    return JSONResponse({"detail": "failing on demand", "status": code}, status_code=code)


async def slow(request: Request) -> Response:
    """Answer after ``X-Upstream-Delay`` seconds (at most 30)."""
    await asyncio.sleep(min(float(request.headers.get("x-upstream-delay", "1") or 1), 30.0))
    return JSONResponse({"slow": True})


async def status(request: Request) -> Response:
    """Answer with the status in the path (``/status/503``), for failover tests."""
    code = int(request.path_params["code"])
    return JSONResponse({"status": code}, status_code=code)


_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def create_upstream_app() -> Starlette:
    """The upstream services as one ASGI app."""
    routes = []
    for prefix, handler in (
        ("chat", chat),
        ("ndjson", ndjson),
        ("lines", lines),
        ("echo", echo),
        ("replay", replay),
        ("slow", slow),
        ("flaky", flaky),
    ):
        routes.append(Route(f"/{prefix}", handler, methods=_METHODS))
        routes.append(Route(f"/{prefix}/{{rest:path}}", handler, methods=_METHODS))
    routes.append(Route("/status/{code:int}", status, methods=_METHODS))
    routes.append(Route("/status/{code:int}/{rest:path}", status, methods=_METHODS))
    return Starlette(routes=routes)
