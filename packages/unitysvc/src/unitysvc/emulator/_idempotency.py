"""Idempotency keys on control-plane POSTs: a retried create returns the first answer.

A POST under ``/v1`` with an ``Idempotency-Key`` header is answered once; a repeat with the
same key and body replays the stored response, one with a different body is a 422.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sdkcore.emulator import bearer_token

from ._deps import state_of

__all__ = ["IdempotencyMiddleware"]

_HEADER = b"idempotency-key"


class IdempotencyMiddleware:
    """Pure ASGI middleware (keeps streaming responses of other routes untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith("/v1/")
            or _HEADER not in dict(scope["headers"])
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        state = state_of(request)
        customer = state.customer(bearer_token(request))
        if customer is None:
            await self.app(scope, receive, send)
            return
        key = request.headers["idempotency-key"]
        body = await request.body()
        # Every spelling of a route (/customer, trailing slash) is the same request.
        route = scope["path"].replace("/v1/customer/", "/v1/", 1).rstrip("/")
        fingerprint = hashlib.sha256(route.encode() + b"\0" + body).hexdigest()
        stored = state.db.query_one(
            "SELECT * FROM idempotency WHERE customer_id = ? AND key = ?", (customer, key)
        )
        if stored is not None:
            if stored["fingerprint"] != fingerprint:
                replay = Response(
                    b'{"detail":"Idempotency-Key reused with a different request"}',
                    status_code=422,
                    media_type="application/json",
                )
            else:
                replay = Response(
                    stored["body"],
                    status_code=stored["status"],
                    media_type=stored["content_type"],
                    headers={"Idempotent-Replayed": "true"},
                )
            await replay(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def replay_body() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replay_body, capture)
        status = start.get("status")
        content_type = dict(start.get("headers", [])).get(b"content-type", b"").decode()
        if isinstance(status, int) and status < 500:
            state.db.execute(
                "INSERT OR IGNORE INTO idempotency (customer_id, key, fingerprint, status, "
                "content_type, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    customer,
                    key,
                    fingerprint,
                    status,
                    content_type,
                    b"".join(chunks),
                ),
            )
