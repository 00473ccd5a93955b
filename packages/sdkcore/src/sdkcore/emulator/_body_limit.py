"""Refusing request bodies over a size limit (413) before they are read into memory."""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.datastructures import Headers, State
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._errors import ERROR_BODY_STATE, error_response
from ._layers import BODY_LIMIT_RANK, add_outer_layer

__all__ = ["DEFAULT_MAX_BODY_SIZE", "BodyLimit", "BodyTooLarge", "install_body_limit"]

DEFAULT_MAX_BODY_SIZE = 8 * 1024 * 1024
"""The largest request body (bytes) an app accepts unless configured otherwise: 8 MiB."""


def _check_size(value: int | None, name: str) -> None:
    if value is not None and (isinstance(value, bool) or value < 0):
        raise ValueError(f"{name} must be a non-negative number of bytes, got {value!r}")


@dataclass(frozen=True)
class _Allowance:
    pattern: re.Pattern[str]
    method: str | None
    max_bytes: int | None


class BodyLimit:
    """The largest request body an app accepts, with larger allowances for upload routes.

    ``max_bytes`` applies to every request except those matching an `allow` rule. Safe to
    change from another thread while serving.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BODY_SIZE) -> None:
        """Accept bodies of at most ``max_bytes`` bytes."""
        _check_size(max_bytes, "max_bytes")
        self._max_bytes = max_bytes
        self._allowances: list[_Allowance] = []
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int:
        """The limit for requests no `allow` rule matches."""
        return self._max_bytes

    @max_bytes.setter
    def max_bytes(self, value: int) -> None:
        _check_size(value, "max_bytes")
        self._max_bytes = value

    def allow(self, path: str, max_bytes: int | None = None, *, method: str | None = None) -> None:
        """Let requests to ``path`` (a regular expression matching the whole path) carry up to
        ``max_bytes`` (None: any size), e.g. a route that streams uploads to disk.

        ``method`` restricts the rule to one method. The first matching rule applies.
        """
        _check_size(max_bytes, "max_bytes")
        try:
            pattern = re.compile(path)
        except re.error as exc:
            raise ValueError(f"invalid path pattern {path!r}: {exc}") from None
        with self._lock:
            self._allowances.append(_Allowance(pattern, method and method.upper(), max_bytes))

    def limit_for(self, method: str, path: str) -> int | None:
        """The limit of one request (None: unlimited)."""
        with self._lock:
            for allowance in self._allowances:
                if allowance.method in (None, method) and allowance.pattern.fullmatch(path):
                    return allowance.max_bytes
        return self._max_bytes


class BodyTooLarge(HTTPException):
    """Raised by ``receive`` once a request body passes its limit.

    An `HTTPException`, so an app reading the body answers 413 in its own error shape;
    when it escapes the app (e.g. from the request journal), the limit answers itself.
    """

    def __init__(self, limit: int) -> None:
        """Name the ``limit`` that was passed."""
        super().__init__(413, f"request body larger than {limit} bytes")


class _BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limit: BodyLimit, state: State) -> None:
        self.app = app
        self.limit = limit
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit.limit_for(scope["method"], scope["path"])
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        # A declared size over the limit fails on the first read, before any byte is taken;
        # a chunked body fails once the bytes received pass it.
        received = limit + 1 if declared.isdigit() and int(declared) > limit else 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            if received > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge as exc:
            if started:
                raise
            response = error_response(
                getattr(self.state, ERROR_BODY_STATE, None), exc.status_code, exc.detail
            )
            await response(scope, receive, send)


def install_body_limit(app: Starlette, max_bytes: int | None = None) -> BodyLimit:
    """Refuse request bodies over ``max_bytes`` (default `DEFAULT_MAX_BODY_SIZE`) with 413;
    return the `BodyLimit` (also ``app.state.body_limit``) to change it or `BodyLimit.allow`
    larger uploads.

    A ``Content-Length`` over the limit is refused before any body byte is read; a chunked
    body is counted as it arrives and refused once it passes the limit, so an oversized body
    is never held in memory. The app answers in its own error shape when it is reading the
    body at that moment; otherwise the body is the one given to `install_error_handlers`.
    `install_journal` installs the limit too (it sits outside the journal). Calling this
    again on the same app changes the limit when ``max_bytes`` is given.
    """
    existing = getattr(app.state, "body_limit", None)
    if isinstance(existing, BodyLimit):
        if max_bytes is not None:
            existing.max_bytes = max_bytes
        return existing
    limit = app.state.body_limit = BodyLimit(
        DEFAULT_MAX_BODY_SIZE if max_bytes is None else max_bytes
    )
    layer = functools.partial(_BodyLimitMiddleware, limit=limit, state=app.state)
    add_outer_layer(app, BODY_LIMIT_RANK, layer)
    return limit
