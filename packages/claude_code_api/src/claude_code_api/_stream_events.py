"""The stream's events (`token`, `done`, `error`, ...) turned into text chunks or exceptions,
shared by the blocking and the async `stream()`."""

from __future__ import annotations

import json
from typing import Any

import httpx

from sdkcore import ServerSentEvent

from ._exceptions import ERROR_MAP, APIConnectionError

__all__ = ["chunk_of", "decode_event", "stream_ended"]


def decode_event(event: ServerSentEvent) -> dict[str, Any]:
    """The event's JSON object; anything else becomes an `error` event (a broken stream)."""
    try:
        value = event.json()
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return {"type": "error", "status": 502, "error": "malformed stream event"}
    return value


def chunk_of(event: dict[str, Any], response: httpx.Response) -> str | None:
    """Text to hand out for `event` ("" for events that carry none), None once `done`.

    An `error` event raises the exception its `status` maps to, with the event as `body`.
    """
    kind = event["type"]
    if kind == "token":
        content = event.get("content")
        return content if isinstance(content, str) else ""
    if kind == "done":
        return None
    if kind == "error":
        status = event.get("status")
        status = status if isinstance(status, int) and 400 <= status <= 599 else 502
        headers = {}
        if isinstance(event.get("retry_after"), (int, float)):
            headers["Retry-After"] = str(event["retry_after"])
        synthetic = httpx.Response(status, headers=headers, json=event, request=response.request)
        message = str(event.get("error") or f"HTTP {status}")
        raise ERROR_MAP.status_class(status)(message, response=synthetic, body=event)
    return ""


def stream_ended(response: httpx.Response, error: type[APIConnectionError]) -> APIConnectionError:
    """The error for a stream that stopped before its `done` event."""
    return error("Stream ended before the service's done event.", request=response.request)
