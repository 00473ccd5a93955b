"""The HTTP API gateway: ``/gateway/api/<path>``.

A request is routed (`_routing.resolve`), the customer's secrets are injected where the
service asks for them, and the upstream's response is streamed back unchanged, chunk by chunk,
as it arrives (httpx stream -> Starlette StreamingResponse; nothing is buffered except by the
``/m/`` memoize wrapper, which must keep the body). Every dispatch is recorded in the request
log unless the customer turned logging off (``/l/`` forces it).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from sdkcore.emulator import EmulatorError

from ._deps import EmulatorState, authenticate, state_of
from ._routing import Resolution, resolve, split_wrappers
from ._store import dumps, loads, new_uuid, now

__all__ = ["NAMED_ROUTES", "Forwarded", "forward", "record_log", "router"]

router = APIRouter()

_UPSTREAM_PATHS = {
    "chat": "/chat",
    "ndjson": "/ndjson",
    "lines": "/lines",
    "echo": "/echo",
    "replay": "/replay",
    "slow": "/slow",
    "status503": "/status/503",
    "flaky": "/flaky",
}
# Gateway paths that name a broadcast (fan-out) or a chain (steps), not one upstream.
NAMED_ROUTES = ("b/", "c/")
# Nothing listens on the discard port of loopback: connecting fails at once.
_OFFLINE_URL = "http://127.0.0.1:9"
_HOP_BY_HOP = frozenset(
    {
        "host",
        "authorization",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-authorization",
    }
)
_DROP_RESPONSE = frozenset({"connection", "keep-alive", "transfer-encoding", "server", "date"})
_PREVIEW = 8 * 1024
_TTL = re.compile(r"(\d+)([smhd])")
_TTL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_MAX_TTL = 7 * 86400
_SECRET_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")


@dataclass
class Forwarded:
    """One request on its way through the gateway, and what the log will say about it."""

    customer: str
    method: str
    path: str
    body: bytes
    headers: dict[str, str]
    query: list[tuple[str, str]]
    letters: set[str] = field(default_factory=set)
    recurrent_request_id: str | None = None
    started: float = field(default_factory=time.monotonic)
    resolution: Resolution | None = None
    status: int | None = None
    elapsed_ms: float | None = None
    error: tuple[str, str, str] | None = None
    preview: bytearray = field(default_factory=bytearray)
    secrets: list[str] = field(default_factory=list)
    request_id: str = field(default_factory=new_uuid)


def _ttl(value: str | None) -> float:
    if value is None or value == "":
        return 3600.0
    match = _TTL.fullmatch(value)
    if match is None:
        raise EmulatorError(400, f"_ttl must look like 60s, 5m, 1h or 1d; got {value!r}")
    return float(min(int(match.group(1)) * _TTL_UNITS[match.group(2)], _MAX_TTL))


def _routing_key(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    key: dict[str, Any] = {}
    if body:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            key.update(parsed)
    header = headers.get("x-routing-key")
    if header:
        try:
            extra = json.loads(header)
        except ValueError:
            raise EmulatorError(400, "X-Routing-Key must be a JSON object") from None
        if isinstance(extra, dict):
            key.update(extra)
    return key


def upstream_base(state: EmulatorState, upstream: str) -> str:
    """The base URL of a catalogue service's upstream."""
    if upstream == "offline" or not state.upstream_url:
        return _OFFLINE_URL
    return state.upstream_url + _UPSTREAM_PATHS[upstream]


def _inject_secrets(state: EmulatorState, fwd: Forwarded, service: dict[str, Any]) -> None:
    wanted = loads(service["secret_headers"]) or {}
    for name, template in wanted.items():

        def value_of(match: re.Match[str]) -> str:
            row = state.db.query_one(
                "SELECT value FROM secrets WHERE customer_id = ? AND name = ?",
                (fwd.customer, match.group(1)),
            )
            if row is None:
                fwd.error = ("gateway", "missing_secret", f"secret {match.group(1)} is not set")
                raise EmulatorError(
                    400, f"this service needs the secret {match.group(1)}; set it first"
                )
            state.db.execute(
                "UPDATE secrets SET last_used_at = ? WHERE customer_id = ? AND name = ?",
                (now(), fwd.customer, match.group(1)),
            )
            fwd.secrets.append(str(row["value"]))
            return str(row["value"])

        fwd.headers[name] = _SECRET_REF.sub(value_of, template)


def _target(state: EmulatorState, fwd: Forwarded, path: str) -> tuple[str, dict[str, str]]:
    """Route ``path`` and build the upstream URL and headers for it."""
    res = resolve(state, fwd.customer, path, _routing_key(fwd.headers, fwd.body), None, commit=True)
    fwd.resolution = res
    _inject_secrets(state, fwd, res.service)
    query = [(k, v) for k, v in fwd.query if not k.startswith("_")]
    url = upstream_base(state, res.service["upstream"])
    if res.rest:
        url += "/" + res.rest
    if query:
        url += "?" + urlencode(query)
    headers = dict(fwd.headers)
    headers["x-unitysvc-service"] = res.service["name"]
    return url, headers


async def _send(state: EmulatorState, fwd: Forwarded, path: str) -> httpx.Response:
    if path.lstrip("/")[:2] in NAMED_ROUTES:
        assert state.dispatch_named is not None
        return await state.dispatch_named(state, fwd, path)
    url, headers = _target(state, fwd, path)
    assert state.http is not None
    request = state.http.build_request(fwd.method, url, headers=headers, content=fwd.body)
    try:
        return await state.http.send(request, stream=True)
    except httpx.TimeoutException:
        fwd.error = ("upstream", "timeout", "the upstream did not answer in time")
        raise EmulatorError(504, "Upstream service timed out") from None
    except httpx.HTTPError as exc:
        fwd.error = ("upstream", "connection_error", f"{type(exc).__name__}: {exc}")
        raise EmulatorError(502, "Upstream service unavailable") from None


def _params(fwd: Forwarded) -> dict[str, str]:
    return dict(fwd.query)


async def forward(state: EmulatorState, fwd: Forwarded, path: str) -> httpx.Response:
    """Send ``fwd`` to the upstream ``path`` routes to (failover and tee applied); returns
    the upstream response with its body unread."""
    params = _params(fwd)
    if "t" in fwd.letters and params.get("_to"):
        asyncio.get_running_loop().create_task(_tee(state, fwd, params["_to"]))
    if "f" not in fwd.letters or not params.get("_else"):
        return await _send(state, fwd, path)
    try:
        response = await _send(state, fwd, path)
        if response.status_code < 500 and response.status_code != 429:
            return response
        await response.aclose()
    except EmulatorError as exc:
        if exc.status_code not in (502, 504):
            raise
    fwd.error = None
    return await _send(state, fwd, split_wrappers(params["_else"])[1])


async def _tee(state: EmulatorState, fwd: Forwarded, secondary: str) -> None:
    copy = Forwarded(fwd.customer, fwd.method, secondary, fwd.body, dict(fwd.headers), [])
    try:
        response = await _send(state, copy, split_wrappers(secondary)[1])
        await response.aread()
        await response.aclose()
        copy.status = response.status_code
    except EmulatorError:
        pass
    record_log(state, copy, force=False)


def _logging_mode(state: EmulatorState, customer: str) -> str | None:
    row = state.db.query_one(
        "SELECT value FROM preferences WHERE customer_id = ? AND name = 'request-log'",
        (customer,),
    )
    if row is None:
        return "truncated"
    value = loads(row["value"]) or {}
    return value.get("mode") if value.get("enabled", True) else None


def record_log(state: EmulatorState, fwd: Forwarded, *, force: bool) -> None:
    """Store the request log row of ``fwd`` if logging is on (or ``force``, the /l/ wrapper)."""
    mode = _logging_mode(state, fwd.customer)
    if mode is None and not force:
        return
    complete = mode == "complete" or "_complete" in _params(fwd)
    limit = None if complete else _PREVIEW
    res = fwd.resolution
    enrollment = res.enrollment if res else None
    redacted = {k: ("***" if k.lower() == "authorization" else v) for k, v in fwd.headers.items()}
    detail = {
        "user_id": fwd.customer,
        "user_request": {
            "method": fwd.method,
            "path": "/" + fwd.path.lstrip("/"),
            "content_type": fwd.headers.get("content-type"),
            "headers": redacted,
            "body": fwd.body[:limit].decode("utf-8", "replace"),
        },
        "upstream_response": None
        if fwd.status is None
        else {
            "status_code": fwd.status,
            "time_ms": fwd.elapsed_ms,
            "body": bytes(fwd.preview[:limit]).decode("utf-8", "replace"),
        },
        "usage_event": None,
        "error": None
        if fwd.error is None
        else {
            "category": fwd.error[1],
            "request_id": fwd.request_id,
            "source": fwd.error[0],
            "message": fwd.error[2],
        },
    }
    stored = dumps(detail) or ""
    # The upstream may echo credentials back; a log never keeps an injected secret.
    for secret in fwd.secrets:
        if secret:
            stored = stored.replace(secret, "***")
    state.db.execute(
        "INSERT INTO request_logs (log_id, event_id, event_timestamp, gateway_source, "
        "user_request_method, user_request_path, customer_id, service_id, "
        "service_enrollment_id, upstream_response_status_code, upstream_response_time_ms, "
        "error_source, error_type, recurrent_request_id, detail) "
        "VALUES (?, ?, ?, 'backend', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new_uuid(),
            new_uuid(),
            now(),
            fwd.method,
            "/" + fwd.path.lstrip("/"),
            fwd.customer,
            res.service["id"] if res else None,
            enrollment["id"] if enrollment else None,
            fwd.status,
            fwd.elapsed_ms,
            fwd.error[0] if fwd.error else None,
            fwd.error[1] if fwd.error else None,
            fwd.recurrent_request_id,
            stored,
        ),
    )


def _memo_key(fwd: Forwarded, path: str) -> str:
    digest = hashlib.sha256()
    for part in (fwd.customer, fwd.method, path, fwd.body):
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _response_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in _DROP_RESPONSE}


async def _memoized(state: EmulatorState, fwd: Forwarded, path: str) -> Response:
    params = _params(fwd)
    ttl = _ttl(params.get("_ttl"))
    key = _memo_key(fwd, path)
    row = state.db.query_one("SELECT * FROM memo WHERE key = ?", (key,))
    if row is not None and "_renew" not in params and row["expires"] > time.time():
        fwd.status = row["status"]
        if path.lstrip("/")[:2] not in NAMED_ROUTES:
            routing = _routing_key(fwd.headers, fwd.body)
            fwd.resolution = resolve(state, fwd.customer, path, routing, None, commit=False)
        fwd.elapsed_ms = (time.monotonic() - fwd.started) * 1000
        fwd.preview += row["body"][:_PREVIEW]
        headers = {**(loads(row["headers"]) or {}), "x-unitysvc-cache": "hit"}
        return Response(row["body"], status_code=row["status"], headers=headers)
    response = await forward(state, fwd, path)
    try:
        body = await response.aread()
    except httpx.HTTPError as exc:
        fwd.error = ("upstream", "stream_interrupted", str(exc))
        raise EmulatorError(502, "Upstream response was cut") from None
    finally:
        await response.aclose()
    fwd.status = response.status_code
    fwd.elapsed_ms = (time.monotonic() - fwd.started) * 1000
    fwd.preview += body[:_PREVIEW]
    headers = {k: v for k, v in _response_headers(response).items() if k != "content-length"}
    if response.status_code < 400:
        state.db.execute(
            "INSERT OR REPLACE INTO memo (key, expires, status, headers, body) VALUES (?, ?, ?, "
            "?, ?)",
            (key, time.time() + ttl, response.status_code, dumps(headers), body),
        )
    return Response(
        body, status_code=response.status_code, headers={**headers, "x-unitysvc-cache": "miss"}
    )


async def _relay(
    state: EmulatorState, fwd: Forwarded, response: httpx.Response
) -> AsyncIterator[bytes]:
    """The upstream body, chunk by chunk as it arrives; the log row is written at the end."""
    try:
        async for chunk in response.aiter_raw():
            if len(fwd.preview) < _PREVIEW:
                fwd.preview += chunk[: _PREVIEW - len(fwd.preview)]
            yield chunk
    except httpx.HTTPError as exc:
        # Re-raising makes the server drop the connection mid-body, so the client sees the
        # cut as the upstream made it instead of a clean end.
        fwd.error = ("upstream", "stream_interrupted", str(exc))
        raise
    finally:
        await response.aclose()
        record_log(state, fwd, force="l" in fwd.letters)


@router.api_route(
    "/gateway/api/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def gateway(request: Request, path: str) -> Response:
    """Dispatch one request through the API gateway."""
    state = state_of(request)
    customer = authenticate(request)
    letters, target = split_wrappers(path)
    fwd = Forwarded(
        customer=customer,
        method=request.method,
        path=path,
        body=await request.body(),
        headers={k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP},
        query=parse_qsl(request.url.query, keep_blank_values=True),
        letters=letters,
    )
    try:
        if "m" in letters:
            result = await _memoized(state, fwd, target)
            record_log(state, fwd, force="l" in letters)
            return result
        response = await forward(state, fwd, target)
    except EmulatorError as exc:
        if fwd.error is None:
            fwd.error = (
                "gateway",
                "routing_error" if exc.status_code in (403, 404) else "bad_request",
                exc.message,
            )
        fwd.status = exc.status_code
        fwd.elapsed_ms = (time.monotonic() - fwd.started) * 1000
        record_log(state, fwd, force="l" in letters)
        raise
    fwd.status = response.status_code
    fwd.elapsed_ms = (time.monotonic() - fwd.started) * 1000
    if response.status_code >= 400:
        fwd.error = ("upstream", f"http_{response.status_code}", response.reason_phrase)
    return StreamingResponse(
        _relay(state, fwd, response),
        status_code=response.status_code,
        headers=_response_headers(response),
    )
