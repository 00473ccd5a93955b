"""A local fake of the Anthropic Messages API (`POST /v1/messages`, streaming only), for the
`anthropic` engine's tests: the real SSE event sequence and the real error bodies.

The test sets what the next calls do through the attributes of `FakeMessagesAPI` (the server
runs in another thread of the same process) and reads back the requests it received.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from sdkcore.emulator import serve

API_KEY = "sk-ant-fake-0123456789"
INPUT_TOKENS = 1000
OUTPUT_TOKENS = 2000
WAIT_LIMIT = 20.0


@dataclass
class HTTPFailure:
    """An error answer instead of a stream."""

    status: int
    error_type: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeMessagesAPI:
    """The fake's behaviour (set by the test) and what it received.

    `failure` answers with an error status; `stream_error` sends an SSE `error` event after the
    first delta; `truncate` ends the stream after the first delta; `gate`, when set up, holds
    the stream after the first delta until the test sets it; `tool_call` (name, input) makes the
    answer to a prompt a tool use, and the answer to its tool result "Done: <result>".
    """

    failure: HTTPFailure | None = None
    stream_error: str | None = None
    truncate: bool = False
    tool_call: tuple[str, dict[str, Any]] | None = None
    gate: threading.Event | None = None
    delay: float = 0.005
    base_url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    disconnected: threading.Event = field(default_factory=threading.Event)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/messages")
        async def messages(request: Request) -> Response:
            body = await request.json()
            self.requests.append({"headers": dict(request.headers), "body": body})
            # Older clients send `x-api-key`, newer ones a bearer token.
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if API_KEY not in (request.headers.get("x-api-key"), bearer):
                return error_response(HTTPFailure(401, "authentication_error", "invalid x-api-key"))
            if self.failure:
                return error_response(self.failure)
            return StreamingResponse(self._watched(body), media_type="text/event-stream")

        return app

    async def _watched(self, body: dict[str, Any]) -> AsyncIterator[str]:
        """The events; notes a client that went away mid-stream (the server cancels us)."""
        try:
            async for event in self._events(body):
                yield event
        except asyncio.CancelledError:
            self.disconnected.set()
            raise

    async def _events(self, body: dict[str, Any]) -> AsyncIterator[str]:
        # The last user turn: newer CLIs send their environment as a `system` message after it.
        content = [m for m in body["messages"] if m.get("role") == "user"][-1]["content"]
        result = tool_result(content)
        yield message_start(f"msg_fake_{len(self.requests)}", body["model"])
        if self.tool_call is not None and result is None:
            name, arguments = self.tool_call
            block = {"type": "tool_use", "id": "toolu_fake_1", "name": name, "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(arguments)}
            yield sse("content_block_start", content_block_start(block))
            yield sse(
                "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}
            )
            for event in message_end("tool_use"):
                yield event
            return
        yield sse("content_block_start", content_block_start({"type": "text", "text": ""}))
        yield sse("ping", {"type": "ping"})
        texts = ["Echo: ", last_text(content)] if result is None else ["Done: ", result]
        for number, text in enumerate(texts):
            delta = {"type": "text_delta", "text": text}
            yield sse(
                "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}
            )
            await asyncio.sleep(self.delay)
            if number == 0:
                if self.truncate:
                    return
                if self.stream_error:
                    error = {
                        "type": self.stream_error,
                        "message": f"{self.stream_error} mid-stream",
                    }
                    yield sse("error", {"type": "error", "error": error})
                    return
                await self._hold()
        for event in message_end("end_turn"):
            yield event

    async def _hold(self) -> None:
        if self.gate is None:
            return
        for _ in range(int(WAIT_LIMIT / 0.01)):
            if self.gate.is_set() or self.released.is_set():
                return
            await asyncio.sleep(0.01)


@contextlib.contextmanager
def served(fake: FakeMessagesAPI) -> Iterator[FakeMessagesAPI]:
    """`fake` serving on 127.0.0.1 (its `base_url` set) for the duration of the block."""
    with serve(fake.app()) as handle:
        fake.base_url = handle.url
        try:
            yield fake
        finally:
            fake.released.set()


def message_start(message_id: str, model: str) -> str:
    message = {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": INPUT_TOKENS, "output_tokens": 1},
    }
    return sse("message_start", {"type": "message_start", "message": message})


def content_block_start(block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": 0, "content_block": block}


def message_end(stop_reason: str) -> list[str]:
    delta = {"stop_reason": stop_reason, "stop_sequence": None}
    usage = {"output_tokens": OUTPUT_TOKENS}
    return [
        sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
        sse("message_delta", {"type": "message_delta", "delta": delta, "usage": usage}),
        sse("message_stop", {"type": "message_stop"}),
    ]


def tool_result(content: str | list[dict[str, Any]]) -> str | None:
    """The text of the tool result a user message carries, if it carries one."""
    if isinstance(content, str):
        return None
    for block in content:
        if block.get("type") == "tool_result":
            inner = block.get("content", "")
            if isinstance(inner, list):
                return "".join(part.get("text", "") for part in inner)
            return str(inner)
    return None


def last_text(content: str | list[dict[str, Any]]) -> str:
    """The prompt of a user message: its text, or its last text block (clients such as the
    `claude` CLI send blocks)."""
    if isinstance(content, str):
        return content
    return [block["text"] for block in content if block.get("type") == "text"][-1]


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def error_response(failure: HTTPFailure) -> JSONResponse:
    body = {"type": "error", "error": {"type": failure.error_type, "message": failure.message}}
    headers = {"request-id": "req_fake_1", **failure.headers}
    return JSONResponse(body, status_code=failure.status, headers=headers)


@contextlib.asynccontextmanager
async def connection_dropping_api() -> AsyncIterator[str]:
    """A server that starts a stream and drops the connection mid-chunk (no well-behaved ASGI
    app can); yields its base URL."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        delta = {"type": "text_delta", "text": "Half"}
        data = sse(
            "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}
        )
        writer.write(b"%x\r\n%s\r\n" % (len(data) + 100, data.encode()))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
