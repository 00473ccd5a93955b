"""An httpx transport over aiohttp's connection pool.

httpx's own async pool slows down as requests in flight grow (encode/httpx#3215); aiohttp's
does not. This transport keeps httpx's request and response objects (so everything above it is
unchanged) and lets aiohttp move the bytes. Imported only when chosen, so that importing an SDK
never imports aiohttp.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import NoReturn

import aiohttp
import httpx
from yarl import URL

__all__ = ["AiohttpTransport"]

# First match wins, so subclasses come before their bases. The httpx classes are the ones
# httpx's own pool raises for the same failure, so retry decisions above see no difference.
_ERRORS: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ClientConnectorError, httpx.ConnectError),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (asyncio.TimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientError, httpx.ReadError),
    (OSError, httpx.ReadError),
)
_HTTP_VERSIONS: dict[tuple[int, ...], bytes] = {(1, 1): b"HTTP/1.1", (1, 0): b"HTTP/1.0"}
_DROPPED_HEADERS = frozenset({b"transfer-encoding"})  # aiohttp frames streamed bodies itself
_TIMEOUT_CACHE_SIZE = 64


def _reraise(exc: Exception) -> NoReturn:
    """Raise `exc` as the httpx exception httpx's pool raises for the same failure."""
    for source, target in _ERRORS:
        if isinstance(exc, source):
            raise target(str(exc) or type(exc).__name__) from exc
    raise exc


def _client_timeout(timeout: dict[str, float | None]) -> aiohttp.ClientTimeout:
    """httpx's connect and read timeouts as aiohttp's. The pool timeout is the transport's own
    (aiohttp's would also count the connect). aiohttp has no write timeout: sending a request
    body is bounded only by the read timeout that follows it."""
    connect = timeout.get("connect")
    return aiohttp.ClientTimeout(
        total=None, connect=connect, sock_connect=connect, sock_read=timeout.get("read")
    )


class _Slots:
    """The pool limit, as httpx enforces it: a request waits up to the pool timeout for one of
    `max_connections` slots (`httpx.PoolTimeout` after that) and holds it until its response
    is closed, which a non-streamed response is as soon as it is read."""

    __slots__ = ("_semaphore",)

    def __init__(self, size: int) -> None:
        self._semaphore = asyncio.Semaphore(size)

    async def acquire(self, timeout: float | None) -> None:
        semaphore = self._semaphore
        if not semaphore.locked():
            await semaphore.acquire()  # free slot: returns at once
            return
        try:
            await asyncio.wait_for(semaphore.acquire(), timeout)
        except asyncio.TimeoutError:
            raise httpx.PoolTimeout("timed out waiting for a free connection") from None

    def release(self) -> None:
        self._semaphore.release()


class _ResponseStream(httpx.AsyncByteStream):
    """A response body as it arrives; closing it early drops the connection, as httpx does."""

    __slots__ = ("_response", "_slots")

    def __init__(self, response: aiohttp.ClientResponse, slots: _Slots | None) -> None:
        self._response = response
        self._slots = slots

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except Exception as exc:
            _reraise(exc)

    async def aclose(self) -> None:
        self._response.release()
        slots, self._slots = self._slots, None
        if slots is not None:
            slots.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Send httpx requests through one `aiohttp.ClientSession`, opened on first use.

    `limits.max_connections` caps the requests in flight (so the open connections) and
    `limits.keepalive_expiry` how long an idle connection is kept; aiohttp keeps every idle
    connection, so `max_keepalive_connections` has no counterpart. Certificates are checked
    as httpx checks them (`httpx.create_ssl_context`). Proxies are not handled here: an
    `httpx.AsyncClient` routes proxied URLs to its own mounts.
    """

    def __init__(self, *, limits: httpx.Limits, verify: bool = True) -> None:
        self._limits = limits
        self._verify = verify
        self._session: aiohttp.ClientSession | None = None
        self._slots: _Slots | None = None
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=0,  # the slots limit connections
            ssl=httpx.create_ssl_context(verify=self._verify),
            keepalive_timeout=self._limits.keepalive_expiry,  # None: never expire, as in httpx
        )
        session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        # aiohttp silently resends an idempotent request once when a kept-alive connection
        # fails; httpx does not, and retries are the retry policy's decision, counted there.
        if hasattr(session, "_retry_connection"):  # private: guarded for other aiohttp 3.x
            session._retry_connection = False
        self._session = session
        if self._limits.max_connections is not None:
            self._slots = _Slots(self._limits.max_connections)
        return session

    def _timeout(self, request: httpx.Request) -> aiohttp.ClientTimeout:
        timeout: dict[str, float | None] = request.extensions.get("timeout", {})
        key = (timeout.get("connect"), timeout.get("read"))
        cached = self._timeouts.get(key)
        if cached is None:
            if len(self._timeouts) >= _TIMEOUT_CACHE_SIZE:
                self._timeouts.clear()
            cached = self._timeouts[key] = _client_timeout(timeout)
        return cached

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` and return its response once the headers have arrived."""
        session = self._session or self._open()
        headers = [
            (name.decode(), value.decode())
            for name, value in request.headers.raw
            if name.lower() not in _DROPPED_HEADERS
        ]
        data: bytes | httpx.AsyncByteStream | None
        try:
            data = request.content or None
        except httpx.RequestNotRead:
            data = request.stream  # type: ignore[assignment]
        url = URL(str(request.url), encoded=True)  # httpx has already percent-encoded it
        timeout = self._timeout(request)
        slots = self._slots
        if slots is not None:
            await slots.acquire(request.extensions.get("timeout", {}).get("pool"))
        try:
            response = await session.request(
                request.method,
                url,
                headers=headers,
                data=data,
                allow_redirects=False,
                timeout=timeout,
                server_hostname=request.extensions.get("sni_hostname"),
            )
        except BaseException as exc:
            if slots is not None:
                slots.release()
            if not isinstance(exc, Exception):
                raise
            _reraise(exc)
        extensions: dict[str, object] = {
            "http_version": _HTTP_VERSIONS.get(tuple(response.version or ()), b"HTTP/1.1")
        }
        if response.reason:
            extensions["reason_phrase"] = response.reason.encode()
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_ResponseStream(response, slots),
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        """Close the session and every connection it holds."""
        if self._session is not None:
            await self._session.close()
