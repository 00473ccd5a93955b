"""An httpx transport over aiohttp's connection pool.

httpx's own async pool slows down as requests in flight grow (encode/httpx#3215); aiohttp's
does not. Requests reach it two ways: as `httpx.Request`s through `httpx.AsyncClient.send` (a
pool you pass in), or as `PreparedRequest`s straight from the client that made this pool
(`send_prepared`); either way the answer is an `httpx.Response`, so everything above is the
same. Imported only when chosen, so that importing an SDK never imports aiohttp.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any, NoReturn, cast
from urllib.parse import urlsplit

import aiohttp
import httpx
from aiohttp.client_proto import ResponseHandler
from aiohttp.connector import Connection
from aiohttp.helpers import TimerNoop
from multidict import CIMultiDict
from yarl import URL

from .._request import PreparedRequest
from ._cache import remember
from ._lazy import LazyResponse

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
_HTTP_VERSIONS: dict[tuple[int, ...] | None, bytes] = {(1, 1): b"HTTP/1.1", (1, 0): b"HTTP/1.0"}
_READ = httpx.ByteStream(b"")  # the stream of a response whose body was read here: never used
_DROPPED_HEADERS = frozenset({b"transfer-encoding"})  # aiohttp frames streamed bodies itself
_SCHEMES = frozenset({"http", "https"})
_READ_BUFSIZE = 2**16  # ClientSession's default
_NO_TIMER = TimerNoop()  # no total timeout: httpx has none, and the flow bounds retries itself
_NO_TRACES: list[Any] = []  # read by aiohttp, never appended to


def _reraise(exc: Exception) -> NoReturn:
    """Raise `exc` as the httpx exception httpx's pool raises for the same failure."""
    for source, target in _ERRORS:
        if isinstance(exc, source):
            raise target(str(exc) or type(exc).__name__) from exc
    raise exc


def _client_timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    """httpx's connect and read timeouts as aiohttp's. The pool timeout is the transport's own
    (aiohttp's would also count the connect). aiohttp has no write timeout: sending a request
    body is bounded only by the read timeout that follows it."""
    return aiohttp.ClientTimeout(total=None, connect=connect, sock_connect=connect, sock_read=read)


def _extensions(response: aiohttp.ClientResponse) -> dict[str, Any]:
    # aiohttp's HttpVersion is a named tuple: it hashes as the plain tuple keys do.
    extensions: dict[str, Any] = {"http_version": _HTTP_VERSIONS.get(response.version, b"HTTP/1.1")}
    if response.reason:
        extensions["reason_phrase"] = response.reason.encode()
    return extensions


class _Slots:
    """The pool limit, as httpx enforces it: a request waits up to the pool timeout for one of
    `max_connections` slots (`httpx.PoolTimeout` after that) and holds it until its response
    is closed, which a non-streamed response is as soon as it is read.

    A free slot is taken without awaiting anything (most requests); only when none is free
    does a request queue on the semaphore, which hands each released slot to the next waiter.
    Every slot is free, held, or a permit in the semaphore (one a waiter gave up on: the next
    waiter takes it at once), so none is ever lost."""

    __slots__ = ("_free", "_handover", "_waiting")

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting = 0
        self._handover = asyncio.Semaphore(0)

    def take(self) -> bool:
        """Take a free slot if there is one and nobody queues before us."""
        if self._free and not self._waiting:
            self._free -= 1
            return True
        return False

    async def wait(self, timeout: float | None) -> None:
        """Queue for the next released slot, up to `timeout` seconds."""
        self._waiting += 1
        try:
            await asyncio.wait_for(self._handover.acquire(), timeout)
        except asyncio.TimeoutError:
            raise httpx.PoolTimeout("timed out waiting for a free connection") from None
        finally:
            self._waiting -= 1

    def release(self) -> None:
        """Give the slot back: to a waiter if any, else to the free ones."""
        if self._waiting:
            self._handover.release()
        else:
            self._free += 1


class _ResponseStream(httpx.AsyncByteStream):
    """A response body as it arrives; closing it early drops the connection, as httpx does."""

    __slots__ = ("_response", "_slots", "_timed")

    def __init__(self, response: aiohttp.ClientResponse, slots: _Slots | None) -> None:
        self._response = response
        self._slots = slots
        self._timed: tuple[LazyResponse, float] | None = None

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
        timed, self._timed = self._timed, None
        if timed is not None:
            timed[0].timed_from(timed[1])


class _ReadTimer(ResponseHandler):
    """aiohttp's connection protocol with a cheaper read (`sock_read`) timer.

    aiohttp cancels its read timer and schedules a new one when a request starts and whenever
    bytes arrive: two timer handles per small response, each pushed on the event loop's heap
    (a cancelled one stays there until its time comes). That was the largest cost the async
    client had above raw aiohttp. Here arriving bytes only move a deadline: one handle per
    connection waits, and when it fires before the deadline (bytes came in the meantime, or a
    later request started) it waits again for the deadline. The timeout means what it means in
    aiohttp and httpx: the longest wait for the next bytes of a response.
    """

    _deadline: float | None = None

    def _reschedule_timeout(self) -> None:
        timeout = self._read_timeout
        if not timeout:
            self._drop_timeout()
            return
        loop = self._loop
        deadline = self._deadline = loop.time() + timeout
        handle = self._read_timeout_handle
        if handle is not None:
            if handle.when() <= deadline:
                return  # it fires first, then waits again for the deadline
            handle.cancel()  # a shorter timeout than the one it waits for
        self._read_timeout_handle = loop.call_at(deadline, self._on_deadline)

    def _drop_timeout(self) -> None:
        self._deadline = None  # a waiting handle fires to find nothing to time

    def _on_deadline(self) -> None:
        self._read_timeout_handle = None
        deadline = self._deadline
        if deadline is None:
            return
        if self._loop.time() < deadline:
            self._read_timeout_handle = self._loop.call_at(deadline, self._on_deadline)
            return
        self._deadline = None
        self._on_read_timeout()

    def connection_lost(self, exc: BaseException | None) -> None:
        handle, self._read_timeout_handle = self._read_timeout_handle, None
        if handle is not None:
            handle.cancel()
        super().connection_lost(exc)


# The timer methods `_ReadTimer` replaces, and `start_timeout` that calls them, are aiohttp's
# private ones (in every 3.x since 3.3); an aiohttp without them keeps its own timer.
_READ_TIMER_HOOKS = ("_reschedule_timeout", "_drop_timeout", "_on_read_timeout", "start_timeout")
_USE_READ_TIMER = all(hasattr(ResponseHandler, name) for name in _READ_TIMER_HOOKS)


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Send httpx requests through aiohttp's connection pool (a `TCPConnector`, in a
    `ClientSession` that owns it), opened on first use.

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
        self._bases: dict[str, tuple[str, str, str]] = {}
        self._headers: tuple[httpx.Headers, CIMultiDict[str]] | None = None

    def _open(self) -> aiohttp.ClientSession:
        self._loop = asyncio.get_running_loop()
        connector = aiohttp.TCPConnector(
            limit=0,  # the slots limit connections
            ssl=httpx.create_ssl_context(verify=self._verify),
            keepalive_timeout=self._limits.keepalive_expiry,  # None: never expire, as in httpx
        )
        if _USE_READ_TIMER and hasattr(connector, "_factory"):  # private: guarded as above
            factory = functools.partial(_ReadTimer, loop=self._loop)
            connector._factory = cast("functools.partial[ResponseHandler]", factory)
        self._connector = connector
        # The session owns the connector (closing it closes every connection) and is what
        # responses refer to; requests do not go through it (see `_send`).
        session = self._session = aiohttp.ClientSession(connector=connector)
        if self._limits.max_connections is not None:
            self._slots = _Slots(self._limits.max_connections)
        return session

    def _timeout(self, connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
        key = (connect, read)
        return self._timeouts.get(key) or remember(
            self._timeouts, key, _client_timeout(connect, read)
        )

    def _url(self, prepared: PreparedRequest) -> URL:
        """Where `prepared` goes, as yarl takes it: built from its parts, with the client's base
        URL split once (parsing the whole URL on every call costs yarl twice as much)."""
        target = prepared.target()
        base = prepared.base
        if not target.startswith(base):  # httpx re-encoded the base too: parse it all
            return URL(target, encoded=True)
        parts = self._bases.get(base) or remember(self._bases, base, urlsplit(base)[:3])
        scheme, authority, base_path = parts
        path, _, query = (base_path + target[len(base) :]).partition("?")
        return URL.build(
            scheme=scheme, authority=authority, path=path, query_string=query, encoded=True
        )

    async def _send(
        self,
        method: str,
        url: URL,
        headers: Any,
        data: Any,
        timeout: aiohttp.ClientTimeout,
        pool_timeout: float | None,
        server_hostname: str | None = None,
    ) -> tuple[aiohttp.ClientResponse, _Slots | None]:
        """Send once a pool slot is free; the slot stays held until the response is closed.

        What `ClientSession.request` does for the one kind of request sent here (no redirects,
        cookies, auth argument, proxy, traces, middlewares or total timeout: httpx and the flow
        above handle those), done with aiohttp's own pieces: build a `ClientRequest`, take a
        connection from the connector, send, read the response head. The session's general
        path cost a sixth of a small GET's instructions.
        """
        session = self._session or self._open()
        slots = self._slots
        if slots is not None and not slots.take():
            await slots.wait(pool_timeout)
        connection: Connection | None = None
        response: aiohttp.ClientResponse | None = None
        try:
            if session.closed:
                raise RuntimeError("Session is closed")
            if url.scheme not in _SCHEMES:
                raise aiohttp.NonHttpUrlClientError(url)
            request = aiohttp.ClientRequest(
                method,
                url,
                headers=headers,
                data=data,
                loop=self._loop,
                timer=_NO_TIMER,
                session=session,
                server_hostname=server_hostname,
                traces=_NO_TRACES,
            )
            try:
                connection = await self._connector.connect(request, _NO_TRACES, timeout)
            except asyncio.TimeoutError as exc:
                raise aiohttp.ConnectionTimeoutError(f"Connection timeout to host {url}") from exc
            protocol = cast(ResponseHandler, connection.protocol)
            protocol.set_response_params(
                timer=_NO_TIMER,
                skip_payload=method == "HEAD",
                read_until_eof=True,
                auto_decompress=False,
                read_timeout=timeout.sock_read,
                read_bufsize=_READ_BUFSIZE,
            )
            response = await request.send(connection)
            await response.start(connection)
        except BaseException as exc:
            # Bodies sent here (bytes, an httpx stream) hold nothing that needs closing.
            if response is not None:
                response.close()
            if connection is not None:
                connection.close()
            if slots is not None:
                slots.release()
            if not isinstance(exc, Exception):
                raise
            _reraise(exc)
        return response, slots

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` and return its response once the headers have arrived."""
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
        timeout: dict[str, float | None] = request.extensions.get("timeout", {})
        response, slots = await self._send(
            request.method,
            URL(str(request.url), encoded=True),  # httpx has already percent-encoded it
            headers,
            data,
            self._timeout(timeout.get("connect"), timeout.get("read")),
            timeout.get("pool"),
            request.extensions.get("sni_hostname"),
        )
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_ResponseStream(response, slots),
            request=request,
            extensions=_extensions(response),
        )

    async def send_prepared(
        self, prepared: PreparedRequest, stream: bool, cookies: httpx.Cookies
    ) -> httpx.Response:
        """Send `prepared` as `httpx.AsyncClient.send` would send its `httpx.Request` through
        this transport, without making either httpx object unless asked: a non-streamed body
        is read here, and Set-Cookie goes into `cookies` as the client's jar would take it."""
        started = time.perf_counter()
        timeout = prepared.timeout
        response, slots = await self._send(
            prepared.method,
            self._url(prepared),
            self._wire_headers(prepared.headers, prepared.overlay),
            prepared.content,
            self._timeout(timeout.connect, timeout.read),
            timeout.pool,
        )
        headers = response.headers
        if stream or "Content-Encoding" in headers:
            body = _ResponseStream(response, slots)
            result = LazyResponse(
                response.status, response.raw_headers, body, prepared, _extensions(response)
            )
            body._timed = (result, started)
            if "Set-Cookie" in headers:
                cookies.extract_cookies(result)
            if not stream:
                await result.aread()  # httpx decodes what the server compressed
            return result
        try:
            content = await response.read()
        except Exception as exc:
            _reraise(exc)
        finally:
            response.release()
            if slots is not None:
                slots.release()
        result = LazyResponse(
            response.status, response.raw_headers, _READ, prepared, _extensions(response)
        )
        result.finish(content, started)
        if "Set-Cookie" in headers:
            cookies.extract_cookies(result)
        return result

    def _wire_headers(self, headers: httpx.Headers, overlay: Mapping[str, str]) -> CIMultiDict[str]:
        """`headers` as aiohttp takes them, converted once per headers object (a client's
        merged headers are one object shared by its requests), with `overlay` laid over."""
        cached = self._headers
        if cached is None or cached[0] is not headers:
            wire: CIMultiDict[str] = CIMultiDict()
            for name, value in headers.raw:
                if name.lower() not in _DROPPED_HEADERS:
                    wire.add(name.decode(), value.decode())
            cached = self._headers = (headers, wire)
        if not overlay:
            return cached[1]
        merged: CIMultiDict[str] = cached[1].copy()
        merged.update(overlay)
        return merged

    async def aclose(self) -> None:
        """Close the session and every connection it holds."""
        if self._session is not None:
            await self._session.close()
