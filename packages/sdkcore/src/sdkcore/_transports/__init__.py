"""How the async clients move bytes: aiohttp's pool on asyncio when installed, else httpx's."""

from __future__ import annotations

import functools
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Literal
from urllib.request import getproxies

import httpx

from .._request import PreparedRequest

if TYPE_CHECKING:
    from .._flow import AsyncSender, SyncSender
    from ._aiohttp import AiohttpTransport

__all__ = [
    "AsyncTransportChoice",
    "AutoTransport",
    "async_http_client",
    "own_async_client",
    "own_sync_client",
]

AsyncTransportChoice = Literal["auto", "aiohttp", "httpx"]


def _aiohttp_transport(limits: httpx.Limits, verify: bool) -> AiohttpTransport | None:
    try:
        from ._aiohttp import AiohttpTransport
    except ImportError:
        return None
    return AiohttpTransport(limits=limits, verify=verify)


class AutoTransport(httpx.AsyncBaseTransport):
    """Picks the transport on the first request, when the event loop is known: aiohttp's pool
    on asyncio when `aiohttp` is importable (`sdkcore[aiohttp]`), httpx's own pool on trio or
    without aiohttp. Deciding late lets a client be made outside any event loop."""

    def __init__(
        self, *, limits: httpx.Limits, choice: AsyncTransportChoice = "auto", verify: bool = True
    ) -> None:
        self._limits = limits
        self._choice = choice
        self._verify = verify
        self._inner: httpx.AsyncBaseTransport | None = None
        self._native: AiohttpTransport | None = None

    @property
    def chosen(self) -> str | None:
        """``"aiohttp"`` or ``"httpx"`` once the first request has chosen, else None."""
        if self._inner is None:
            return None
        return "httpx" if isinstance(self._inner, httpx.AsyncHTTPTransport) else "aiohttp"

    def _choose(self) -> httpx.AsyncBaseTransport:
        import sniffio  # here: only an async client's first request asks

        native = None
        if self._choice != "httpx" and sniffio.current_async_library() == "asyncio":
            native = _aiohttp_transport(self._limits, self._verify)
            if native is None and self._choice == "aiohttp":
                raise RuntimeError("the aiohttp transport needs aiohttp: install sdkcore[aiohttp]")
        self._native = native
        self._inner = native or httpx.AsyncHTTPTransport(limits=self._limits, verify=self._verify)
        return self._inner

    def send_prepared(
        self, http: httpx.AsyncClient, prepared: PreparedRequest, stream: bool
    ) -> Awaitable[httpx.Response]:
        """Send `prepared` through `http`, the client this transport serves: straight to
        aiohttp when it is the chosen pool and `http` adds nothing of its own to a request
        (no cookies or default query yet), else as an `httpx.Request` through `http.send`.
        (A plain function handing back the sender's coroutine: no coroutine of its own.)"""
        if self._inner is None:
            self._choose()
        native = self._native
        if native is not None and prepared.sends_as_is():
            return native.send_prepared(prepared, stream, http.cookies)
        return http.send(prepared.httpx_request, stream=stream)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the chosen transport (choosing it on the first call)."""
        return await (self._inner or self._choose()).handle_async_request(request)

    async def aclose(self) -> None:
        """Close the chosen transport, if any."""
        if self._inner is not None:
            await self._inner.aclose()


class _Cookies(httpx.Cookies):
    """httpx's cookie jar, minus its costs while it holds no cookie (most API clients): httpx
    builds two urllib adapter objects per response to let the jar look for Set-Cookie, and
    walks the whole jar to say whether it is empty, which every call asks (`sends_as_is`)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)

    def __bool__(self) -> bool:
        # The stdlib jar's private dict of domains is empty until a cookie is stored; when it
        # is not (or is not there), count as httpx does.
        return bool(getattr(self.jar, "_cookies", True)) and super().__bool__()


def async_http_client(
    *,
    transport: AsyncTransportChoice = "auto",
    timeout: httpx.Timeout | float | None = 60.0,
    limits: httpx.Limits | None = None,
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` like the one an SDK's async client makes for itself.

    `transport="auto"` (the default) uses aiohttp's pool on asyncio when aiohttp is installed
    and httpx's own pool otherwise; ``"httpx"`` always uses httpx's pool; ``"aiohttp"`` insists
    on aiohttp under asyncio (RuntimeError on the first request when it is missing). Pass the
    result as ``http_client=`` to force a transport; the caller then closes it.
    """
    if transport not in ("auto", "aiohttp", "httpx"):
        raise ValueError(f"transport must be 'auto', 'aiohttp' or 'httpx', got {transport!r}")
    limits = limits or httpx.Limits(max_connections=1000, max_keepalive_connections=100)
    return _client_over(AutoTransport(limits=limits, choice=transport), timeout)


def _client_over(
    transport: AutoTransport, timeout: httpx.Timeout | float | None
) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False)
    client._cookies = _Cookies()  # the setter would copy it into a plain httpx.Cookies
    return client


def own_async_client(
    *, timeout: httpx.Timeout, limits: httpx.Limits, verify: bool = True
) -> tuple[httpx.AsyncClient, AsyncSender | None]:
    """The pool an SDK's async client makes for itself, and the sender its calls go through
    (see `AutoTransport.send_prepared`); no sender when the environment names a proxy, which
    httpx routes to a pool of its own."""
    transport = AutoTransport(limits=limits, verify=verify)
    client = _client_over(transport, timeout)
    if getproxies():
        return client, None
    return client, functools.partial(transport.send_prepared, client)


def own_sync_client(
    *, timeout: httpx.Timeout, limits: httpx.Limits, verify: bool = True
) -> tuple[httpx.Client, SyncSender | None]:
    """The pool an SDK's blocking client makes for itself, and the sender its calls go through
    (`HttpcoreSender`: straight to the httpcore pool of httpx's transport); no sender when the
    environment names a proxy, which httpx routes to a pool of its own."""
    if getproxies():
        plain = httpx.Client(timeout=timeout, limits=limits, follow_redirects=False, verify=verify)
        return plain, None
    # httpcore is imported here, not at the top: httpx loads it only when a pool is made, and
    # at the top it would add its whole package (and certifi) to every `import` of an SDK.
    import httpcore

    from ._httpcore import HttpcoreSender

    transport = httpx.HTTPTransport(limits=limits, verify=verify)
    client = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)
    client._cookies = _Cookies()
    # httpx keeps its httpcore pool private; without the attribute, calls go through send().
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.ConnectionPool):
        return client, None
    return client, HttpcoreSender(client, pool)
