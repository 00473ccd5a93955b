"""The response both native senders return: an `httpx.Response` made lazily around what the
pool received, so that calls which never look at headers or the request never build them."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import httpx

from .._request import PreparedRequest

__all__ = ["LazyResponse"]


class LazyResponse(httpx.Response):
    """An `httpx.Response` for a request sent without an `httpx.Request`: the headers, the
    request and `elapsed` are made on first access, which most successful calls never do. It
    pickles as a plain `httpx.Response` (errors carry responses across processes)."""

    def __init__(
        self,
        status_code: int,
        raw_headers: Sequence[tuple[bytes, bytes]],
        stream: httpx.SyncByteStream | httpx.AsyncByteStream,
        prepared: PreparedRequest,
        extensions: dict[str, Any],
    ) -> None:
        # What httpx.Response.__init__ sets, minus the eager headers and request.
        self.status_code = status_code
        self._raw_headers = raw_headers
        self._headers: httpx.Headers | None = None
        self._prepared = prepared
        self._seconds: float | None = None
        self.next_request = None
        self.extensions = extensions  # a fresh mapping per response, as httpx's transports give
        self.history = []
        self.is_closed = False
        self.is_stream_consumed = False
        self.default_encoding = "utf-8"
        self.stream = stream
        self._num_bytes_downloaded = 0

    @property
    def headers(self) -> httpx.Headers:
        headers = self._headers
        if headers is None:
            headers = self._headers = httpx.Headers(self._raw_headers)
        return headers

    @headers.setter
    def headers(self, value: httpx.Headers) -> None:
        self._headers = value

    @property
    def _request(self) -> httpx.Request | None:
        return self._prepared.httpx_request

    @_request.setter
    def _request(self, value: httpx.Request | None) -> None:
        if value is not None:
            self._prepared._request = value

    @property
    def elapsed(self) -> timedelta:
        if self._seconds is None:
            return super().elapsed  # httpx's error: not read or closed yet
        return timedelta(seconds=self._seconds)

    @elapsed.setter
    def elapsed(self, value: timedelta) -> None:
        self._seconds = value.total_seconds()

    def __reduce__(self) -> tuple[Any, ...]:
        state = {
            key: value
            for key, value in self.__dict__.items()
            if key not in _LAZY_STATE and key not in _UNPICKLED
        }
        state["headers"] = self.headers
        state["_request"] = self._request
        if self._seconds is not None:
            state["_elapsed"] = self.elapsed
        return (_plain_response, (state,))

    def finish(self, body: bytes, started: float) -> None:
        """Mark the body as read: `body` is the whole of it, received since `started`."""
        self._content = body
        self.is_stream_consumed = self.is_closed = True
        self.timed_from(started)

    def timed_from(self, started: float) -> None:
        """Set `elapsed` now: the body was read or closed after starting at `started`."""
        self._seconds = time.perf_counter() - started


_LAZY_STATE = frozenset({"_raw_headers", "_headers", "_prepared", "_seconds"})
_UNPICKLED = frozenset({"extensions", "stream", "is_closed", "_decoder"})  # as httpx leaves out


def _plain_response(state: dict[str, Any]) -> httpx.Response:
    response = httpx.Response.__new__(httpx.Response)
    response.__setstate__(state)
    return response
