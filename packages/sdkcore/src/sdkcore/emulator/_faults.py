"""Fault injection middleware: make an emulator misbehave the way real networks do."""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from email.utils import formatdate

import anyio
from starlette.applications import Starlette
from starlette.datastructures import Headers, State
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._connection import Connection, connection_for
from ._errors import ERROR_BODY_STATE, ErrorBodyFactory, error_response, status_phrase
from ._fault_spec import Fault, FaultRule, parse_fault_header
from ._layers import FAULT_RANK, add_outer_layer

__all__ = ["FAULT_HEADER", "FAULT_KEY_HEADER", "FaultInjector", "fault_headers", "install_faults"]

FAULT_HEADER = "x-emulator-fault"
"""Request header selecting a fault for that one request."""
FAULT_KEY_HEADER = "x-emulator-fault-key"
"""Request header naming the counter that ``times=N`` in `FAULT_HEADER` counts against."""


def fault_headers(spec: str, *, key: str | None = None) -> dict[str, str]:
    """Request headers (e.g. a call's ``extra_headers``) making an emulator inject ``spec``.

    ``spec`` is in `FAULT_HEADER` syntax, checked here (ValueError on a mistake). Its
    ``times=N`` counts against ``key``, by default a new one: every attempt of the call these
    headers are given to, retries included, shares the count, and no other call does.
    """
    parse_fault_header(spec)
    return {FAULT_HEADER: spec, FAULT_KEY_HEADER: key or uuid.uuid4().hex}


_MALFORMED_JSON = b'{"truncated": '
_POLL_SECONDS = 0.05


class _ArmedRule:
    def __init__(self, rule: FaultRule) -> None:
        self.rule = rule
        self.used = 0


class FaultInjector:
    """The faults an app injects: configured rules plus per-request header selections.

    A request carrying `FAULT_HEADER` gets that fault and no rule applies to it. With
    ``times=N`` only the first N requests sharing a counter get the fault; the counter is
    the `FAULT_KEY_HEADER` value, else method, path and header value together. Otherwise
    the first rule that matches and still has uses left applies. Safe to change from
    another thread while serving.
    """

    def __init__(
        self, rules: Sequence[FaultRule] = (), *, error_body: ErrorBodyFactory | None = None
    ) -> None:
        """Start with ``rules``; ``error_body`` shapes injected error statuses."""
        self.error_body = error_body
        self._lock = threading.Lock()
        self._rules = [_ArmedRule(rule) for rule in rules]
        self._header_counts: dict[str, int] = {}

    @property
    def rules(self) -> list[FaultRule]:
        """The configured rules, in matching order."""
        with self._lock:
            return [armed.rule for armed in self._rules]

    def add(self, rule: FaultRule) -> None:
        """Append ``rule``; it applies after the rules already configured."""
        with self._lock:
            self._rules.append(_ArmedRule(rule))

    def clear(self) -> None:
        """Remove every rule and reset every ``times`` counter."""
        with self._lock:
            self._rules.clear()
            self._header_counts.clear()

    def select(
        self, method: str, path: str, header: str | None = None, key: str | None = None
    ) -> Fault | None:
        """Return the fault for one request, counting it against any ``times`` limit.

        ``header`` and ``key`` are the request's `FAULT_HEADER` and `FAULT_KEY_HEADER`
        values. Raises ValueError for a malformed ``header``.
        """
        if header is not None:
            fault, times = parse_fault_header(header)
            if times is None:
                return fault
            counter = key if key is not None else f"{method} {path} {header}"
            with self._lock:
                used = self._header_counts.get(counter, 0)
                if used >= times:
                    return None
                self._header_counts[counter] = used + 1
            return fault
        with self._lock:
            for armed in self._rules:
                limit = armed.rule.times
                if (limit is None or armed.used < limit) and armed.rule.matches(method, path):
                    armed.used += 1
                    return armed.rule.fault
        return None


async def _discard(message: Message) -> None:
    pass


async def _pause(seconds: float, connection: Connection | None) -> None:
    # Poll rather than sleep once so a client that gave up does not keep a task alive
    # (and delay server shutdown) for the rest of the pause.
    deadline = anyio.current_time() + seconds
    while (remaining := deadline - anyio.current_time()) > 0:
        if connection is not None and connection.closed:
            return
        await anyio.sleep(min(remaining, _POLL_SECONDS))


def _require_connection(scope: Scope, fault: Fault) -> Connection:
    connection = connection_for(scope)
    if connection is None:
        raise RuntimeError(
            f"the {fault.kind} fault needs socket access: serve the app with "
            "sdkcore.emulator.serve() or run_server()"
        )
    return connection


def _format_number(value: float) -> str:
    return f"{value:g}"


def _retry_headers(fault: Fault) -> dict[str, str]:
    headers: dict[str, str] = {}
    if fault.retry_after is not None:
        if fault.retry_after_date:
            # HTTP-dates have whole seconds; round up so the wait is never shortened.
            when = math.ceil(time.time() + fault.retry_after)
            headers["Retry-After"] = formatdate(when, usegmt=True)
        else:
            headers["Retry-After"] = _format_number(fault.retry_after)
    if fault.retry_after_ms is not None:
        headers["retry-after-ms"] = _format_number(fault.retry_after_ms)
    return headers


def _html_page(status: int) -> str:
    title = f"{status} {status_phrase(status)}"
    return (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n"
        f"<body><h1>{title}</h1><hr><p>emulator proxy</p></body></html>\n"
    )


def _half_chunk(body: bytes) -> Message:
    # more_body=True: the response must look unfinished when the connection then closes.
    return {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}


_Handler = Callable[[Fault, Scope, Receive, Send], Awaitable[None]]


class _FaultMiddleware:
    def __init__(self, app: ASGIApp, *, injector: FaultInjector, state: State) -> None:
        self.app = app
        self.injector = injector
        self.state = state
        self._handlers: dict[str, _Handler] = {
            "delay": self._delay,
            "status": self._status,
            "reset": self._reset,
            "truncate": self._truncate,
            "malformed_json": self._malformed_json,
            "html": self._html,
            "stall": self._stall,
            "cut_stream": self._cut_stream,
        }

    def _error_body(self) -> ErrorBodyFactory | None:
        if self.injector.error_body is not None:
            return self.injector.error_body
        factory: ErrorBodyFactory | None = getattr(self.state, ERROR_BODY_STATE, None)
        return factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        header = headers.get(FAULT_HEADER)
        try:
            fault = self.injector.select(
                scope["method"], scope["path"], header, headers.get(FAULT_KEY_HEADER)
            )
        except ValueError as exc:
            message = f"invalid X-Emulator-Fault header {header!r}: {exc}"
            await error_response(self._error_body(), 400, message)(scope, receive, send)
            return
        if fault is None:
            await self.app(scope, receive, send)
        else:
            await self._handlers[fault.kind](fault, scope, receive, send)

    async def _delay(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        await _pause(fault.seconds, connection_for(scope))
        await self.app(scope, receive, send)

    async def _status(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        assert fault.status is not None
        response = error_response(
            self._error_body(), fault.status, "injected fault", None, _retry_headers(fault)
        )
        await response(scope, receive, send)

    async def _html(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        assert fault.status is not None
        page = _html_page(fault.status)
        await HTMLResponse(page, fault.status, _retry_headers(fault))(scope, receive, send)

    async def _reset(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        connection = _require_connection(scope, fault)
        if fault.processed:
            await self.app(scope, receive, _discard)
        connection.reset()

    async def _malformed_json(
        self, fault: Fault, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await self.app(scope, receive, _discard)
        response = Response(_MALFORMED_JSON, 200, media_type="application/json")
        await response(scope, receive, send)

    async def _truncate(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        connection = _require_connection(scope, fault)
        start: Message = {}
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(parts)
        headers = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() not in (b"content-length", b"transfer-encoding")
        ]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send(_half_chunk(body))
        connection.close()

    async def _stall(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        connection = connection_for(scope)

        async def stalling_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                await _pause(fault.seconds, connection)

        await self.app(scope, receive, stalling_send)

    async def _cut_stream(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        connection = _require_connection(scope, fault)
        # The first chunk is held back until the next arrives: only then is it known whether
        # the body came in one piece (cut that piece) or several (cut the second).
        held: bytes | None = None
        cut = False

        async def cutting_send(message: Message) -> None:
            nonlocal held, cut
            if cut:
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body: bytes = message.get("body", b"")
            final = not message.get("more_body", False)
            if not final:
                if held is None:
                    held = body or None
                    return
                if not body:
                    return
            if held is not None and body:
                await send({"type": "http.response.body", "body": held, "more_body": True})
                tail = body
            else:
                tail = held if held is not None else body
            cut = True
            await send(_half_chunk(tail))
            connection.close()

        await self.app(scope, receive, cutting_send)


def install_faults(
    app: Starlette,
    rules: Sequence[FaultRule] = (),
    *,
    error_body: ErrorBodyFactory | None = None,
) -> FaultInjector:
    """Let ``app`` inject faults; return the injector (also ``app.state.faults``).

    Faults come from ``rules`` (and later `FaultInjector.add`) or per request from the
    `FAULT_HEADER` header; a malformed header is answered with 400. Injected error statuses
    use ``error_body``, defaulting to the one given to `install_error_handlers`, else
    ``{"error": "injected fault"}``. Faults act before any of the app's own middleware (as a
    misbehaving network would) and inside the request journal, which still records them.
    """
    injector = FaultInjector(rules, error_body=error_body)
    add_outer_layer(
        app,
        FAULT_RANK,
        lambda inner: _FaultMiddleware(inner, injector=injector, state=app.state),
    )
    app.state.faults = injector
    return injector
