"""Blocking calls straight to httpcore's pool: what `httpx.Client.send` does through
`httpx.HTTPTransport`, for the pool an SDK's client made for itself, minus building the
`httpx.Request` and running the client's auth, redirect, cookie and hook machinery per call.

httpcore is the pool httpx's transport already uses; only how a request reaches it changes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NoReturn

import httpcore
import httpx

from .._request import PreparedRequest
from ._cache import remember
from ._lazy import LazyResponse

__all__ = ["HttpcoreSender"]

# The most specific class first: these are the exceptions `httpx.HTTPTransport` raises for the
# same httpcore ones, so retry decisions see no difference.
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})  # httpx sends Content-Length: 0 for these


def _reraise(exc: Exception) -> NoReturn:
    for source, target in _ERRORS:
        if isinstance(exc, source):
            raise target(str(exc)) from exc
    raise exc


class _Origin:
    """What every request to one base URL shares: its httpcore URL parts and header prefix."""

    __slots__ = ("host", "netloc", "port", "prefix", "scheme")

    def __init__(self, base: str) -> None:
        url = httpx.URL(base)
        self.scheme = url.raw_scheme
        self.host = url.raw_host
        self.port = url.port
        self.netloc = url.netloc  # the Host header httpx sends
        self.prefix = f"{url.scheme}://{url.netloc.decode('ascii')}"


class _ResponseStream(httpx.SyncByteStream):
    """A streamed body, with httpcore's errors raised as httpx's."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream
        self._timed: tuple[LazyResponse, float] | None = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as exc:
            _reraise(exc)

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        try:
            if close is not None:
                close()
        finally:
            timed, self._timed = self._timed, None
            if timed is not None:
                timed[0].timed_from(timed[1])


class HttpcoreSender:
    """Sends `PreparedRequest`s for `http` (a client an SDK made for itself) through `pool`,
    its transport's httpcore pool; anything `http` would add to a request of its own (cookies
    in its jar, default query parameters) sends through `http.send` instead."""

    def __init__(self, http: httpx.Client, pool: httpcore.ConnectionPool) -> None:
        self._http = http
        self._pool = pool
        self._origins: dict[str, _Origin] = {}
        self._headers: tuple[httpx.Headers, str, list[tuple[bytes, bytes]]] | None = None
        self._timeouts: dict[tuple[float | None, ...], dict[str, Any]] = {}

    def __call__(self, prepared: PreparedRequest, stream: bool) -> httpx.Response:
        """Send `prepared` and return its response (its body read unless `stream`)."""
        http = self._http
        base = prepared.base
        origin = self._origins.get(base) or remember(self._origins, base, _Origin(base))
        url = prepared.target()
        if not (prepared.sends_as_is() and url.startswith(origin.prefix)):
            return http.send(prepared.httpx_request, stream=stream)
        started = time.perf_counter()
        request = httpcore.Request(
            prepared.method,
            httpcore.URL(
                scheme=origin.scheme,
                host=origin.host,
                port=origin.port,
                target=url[len(origin.prefix) :].encode("ascii") or b"/",
            ),
            headers=self._wire_headers(prepared, origin),
            content=prepared.content,
            extensions={"timeout": self._timeout(prepared.timeout)},
        )
        try:
            response = self._pool.handle_request(request)
        except Exception as exc:
            _reraise(exc)
        headers = response.headers
        body = _ResponseStream(response.stream)  # type: ignore[arg-type]
        result = LazyResponse(response.status, headers, body, prepared, dict(response.extensions))
        compressed = False
        for name, _ in headers:
            lowered = name.lower()
            if lowered == b"set-cookie":
                http.cookies.extract_cookies(result)
            elif lowered == b"content-encoding":
                compressed = True
        if stream or compressed:
            body._timed = (result, started)
            if not stream:
                result.read()  # httpx decodes what the server compressed
            return result
        try:
            content = response.read()
        except Exception as exc:
            _reraise(exc)
        finally:
            body.close()
        result.finish(content, started)
        return result

    def _timeout(self, timeout: httpx.Timeout) -> dict[str, Any]:
        key = (timeout.connect, timeout.read, timeout.write, timeout.pool)
        return self._timeouts.get(key) or remember(self._timeouts, key, timeout.as_dict())

    def _wire_headers(
        self, prepared: PreparedRequest, origin: _Origin
    ) -> list[tuple[bytes, bytes]]:
        """The header lines httpx would send: Host, the client's headers with this request's
        laid over them in place, then Content-Length; the shared part converted once."""
        cached = self._headers
        if cached is None or cached[0] is not prepared.headers or cached[1] != origin.prefix:
            lines = [(b"Host", origin.netloc), *prepared.headers.raw]
            cached = self._headers = (prepared.headers, origin.prefix, lines)
        lines = cached[2]
        overlay, content = prepared.overlay, prepared.content
        sized = content is not None or prepared.method in _BODY_METHODS
        if not (overlay or sized):
            return lines
        lines = _overlaid(lines, overlay) if overlay else list(lines)
        if sized:
            lines.append((b"Content-Length", str(len(content or b"")).encode("ascii")))
        return lines


def _overlaid(
    lines: list[tuple[bytes, bytes]], overlay: Mapping[str, str]
) -> list[tuple[bytes, bytes]]:
    """`lines` with `overlay` laid over as `httpx.Headers.update` does: a header already there
    is replaced at its first place (its other occurrences dropped), a new one goes last."""
    replacements = {
        name.lower().encode("ascii"): (name.encode("ascii"), value.encode("ascii"))
        for name, value in overlay.items()
    }
    placed: set[bytes] = set()
    result: list[tuple[bytes, bytes]] = []
    for name, value in lines:
        key = name.lower()
        replacement = replacements.get(key)
        if replacement is None:
            result.append((name, value))
        elif key not in placed:
            result.append(replacement)
            placed.add(key)
    result.extend(line for key, line in replacements.items() if key not in placed)
    return result
