"""Streaming-response primitives for `Services.stream` / `Groups.stream`.

Lazy iteration over HTTP response bodies (SSE, NDJSON, plain lines, or raw bytes) selected by
Content-Type, decoded by sdkcore's incremental decoders: a frame split across TCP chunks is
reassembled, ``data: [DONE]`` ends the iteration, and a body cut in the middle of an event
raises :class:`~unitysvc.exceptions.StreamInterruptedError` instead of passing for a clean end.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from sdkcore import (
    IncompleteStreamError,
    LineDecoder,
    SSEDecoder,
    aiter_decoded,
    content_kind,
    iter_decoded,
)

from .exceptions import APIConnectionError, APITimeoutError, StreamInterruptedError

__all__ = ["AsyncStreamingResponse", "StreamEvent", "StreamingResponse"]

_DONE = "[DONE]"


@dataclass(slots=True)
class StreamEvent:
    """One frame from a streaming response body.

    Attributes:
        kind: ``"sse"`` | ``"ndjson"`` | ``"line"`` | ``"bytes"`` | ``"done"``. See
            :meth:`StreamingResponse.iter_events` for the taxonomy.
        parsed: JSON-decoded payload for ``"sse"`` / ``"ndjson"`` (the string itself for an SSE
            payload that is not JSON, None for an NDJSON line that is not), else None.
        raw: The raw bytes of this frame: the SSE event's data, the line without its
            terminator for ``"ndjson"`` / ``"line"``, or the chunk for ``"bytes"``.
        text: Decoded UTF-8 text for ``"line"`` events; None otherwise.
    """

    kind: str
    parsed: Any = None
    raw: bytes = b""
    text: str | None = None


class _EventDecoder:
    """Sans-I/O: body chunks in, `StreamEvent` s out, chosen by the Content-Type's kind."""

    def __init__(self, content_type: str | None) -> None:
        self.kind = content_kind(content_type)
        self._sse = SSEDecoder()
        self._lines = LineDecoder()
        self._done = False

    def feed(self, chunk: bytes) -> Iterable[StreamEvent]:
        if self._done or not chunk:
            return []
        if self.kind == "bytes":
            return [StreamEvent("bytes", raw=chunk)]
        if self.kind == "sse":
            # A generator: each event's JSON is parsed only when it is reached, and freed as
            # soon as the consumer moves on, however many events one chunk holds.
            return self._sse_events(self._sse.feed(chunk))
        return [e for line in self._lines.feed(chunk) if (e := self._line_event(line, False))]

    def close(self) -> Iterable[StreamEvent]:
        if self._done:
            return []
        if self.kind == "sse":
            return self._sse_events(self._sse.close())
        if self.kind == "bytes":
            return []
        return [e for line in self._lines.flush() if (e := self._line_event(line, True))]

    def _sse_events(self, events: list[Any]) -> Iterator[StreamEvent]:
        for event in events:
            data: str = event.data
            if data.strip() == _DONE:
                self._done = True
                yield StreamEvent("done", raw=_DONE.encode())
                return
            try:
                parsed: Any = json.loads(data)
            except ValueError:
                parsed = data
            yield StreamEvent("sse", parsed=parsed, raw=data.encode())

    def _line_event(self, line: str, last: bool) -> StreamEvent | None:
        if self.kind == "line":
            return StreamEvent("line", raw=line.encode(), text=line)
        stripped = line.strip()
        if not stripped:
            return None
        try:
            parsed: Any = json.loads(stripped)
        except ValueError:
            if last:
                # An unterminated last line that is not JSON was cut mid-value.
                raise IncompleteStreamError("NDJSON stream ended mid-line", stripped) from None
            parsed = None
        return StreamEvent("ndjson", parsed=parsed, raw=stripped.encode())


class _Base:
    """What both faces share: the request to open, the open response, error translation."""

    __slots__ = ("_cm", "_httpx_client", "_kwargs", "_method", "_response", "_url")

    def __init__(self, httpx_client: Any, method: str, url: str, kwargs: dict[str, Any]) -> None:
        self._httpx_client = httpx_client
        self._method = method
        self._url = url
        self._kwargs = kwargs
        self._cm: Any = None
        self._response: httpx.Response | None = None

    @property
    def response(self) -> httpx.Response:
        """The underlying `httpx.Response`. Only valid inside the ``with`` block."""
        if self._response is None:
            raise RuntimeError("the stream is not open; use it in a with block")
        return self._response

    @property
    def status_code(self) -> int:
        """HTTP status of the response (upstream errors are not raised)."""
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.response.headers

    def _decoder(self) -> _EventDecoder:
        return _EventDecoder(self.response.headers.get("content-type"))

    def __repr__(self) -> str:
        state = "closed" if self._response is None else str(self._response.status_code)
        return f"<{type(self).__name__} {self._method} {self._url} {state}>"

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        request = self._response.request if self._response is not None else None
        try:
            yield
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request=request) from exc
        except IncompleteStreamError as exc:
            raise StreamInterruptedError(
                "Stream ended in the middle of an event.", request=request
            ) from exc
        except httpx.TransportError as exc:
            raise StreamInterruptedError(f"Stream interrupted: {exc}", request=request) from exc


class StreamingResponse(_Base):
    """Sync context-managed wrapper around an `httpx.Response` stream.

    Created by `Services.stream` / `Groups.stream`. Opens the underlying
    ``httpx.Client.stream()`` on ``__enter__`` and closes it on ``__exit__``. Status and headers
    are available before iteration; the body is consumed lazily by `iter_events`,
    `iter_bytes` or `iter_lines`.
    """

    __slots__ = ()

    def __enter__(self) -> StreamingResponse:
        self._cm = self._httpx_client.stream(self._method, self._url, **self._kwargs)
        try:
            self._response = self._cm.__enter__()
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request=None) from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(f"Connection error: {exc}") from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        cm, self._cm, self._response = self._cm, None, None
        if cm is not None:
            cm.__exit__(exc_type, exc, tb)

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """Yield raw body chunks as they arrive."""
        with self._translated():
            yield from self.response.iter_bytes(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        """Yield decoded text lines (LF, CRLF or CR terminated)."""
        with self._translated():
            yield from iter_decoded(self.response.iter_bytes(), LineDecoder())

    def iter_events(self) -> Iterator[StreamEvent]:
        """Yield :class:`StreamEvent` objects, discriminated by Content-Type.

        - ``text/event-stream``: ``"sse"`` per event, ``"done"`` on ``data: [DONE]`` (which
          ends the iteration).
        - ``application/x-ndjson`` / ``application/jsonl`` / ``application/ndjson``:
          ``"ndjson"`` per non-empty line.
        - other ``text/*``: ``"line"`` per line (text in ``event.text``).
        - anything else: ``"bytes"`` per chunk.
        """
        with self._translated():
            for event in iter_decoded(self.response.iter_bytes(), self._decoder()):
                yield event
                if event.kind == "done":
                    return


class AsyncStreamingResponse(_Base):
    """Async sibling of :class:`StreamingResponse`. ``async with`` to enter."""

    __slots__ = ()

    async def __aenter__(self) -> AsyncStreamingResponse:
        self._cm = self._httpx_client.stream(self._method, self._url, **self._kwargs)
        try:
            self._response = await self._cm.__aenter__()
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request=None) from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(f"Connection error: {exc}") from exc
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        cm, self._cm, self._response = self._cm, None, None
        if cm is not None:
            await cm.__aexit__(exc_type, exc, tb)

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """Async sibling of :meth:`StreamingResponse.iter_bytes`."""
        with self._translated():
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        """Async sibling of :meth:`StreamingResponse.iter_lines`."""
        with self._translated():
            async for line in aiter_decoded(self.response.aiter_bytes(), LineDecoder()):
                yield line

    async def iter_events(self) -> AsyncIterator[StreamEvent]:
        """Async sibling of :meth:`StreamingResponse.iter_events`."""
        with self._translated():
            async for event in aiter_decoded(self.response.aiter_bytes(), self._decoder()):
                yield event
                if event.kind == "done":
                    return
