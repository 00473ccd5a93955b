"""A request as the flow builds it: plain values, with the `httpx.Request` made only on demand.

Most calls never need the httpx object: on the pool a client made for itself, the sync
(httpcore) and async (aiohttp) senders send these values as they are, and only a custom
`http_client`, a cookie jar with cookies, an error or a debug log line asks for it. Building it
costs more than the rest of the request's preparation together, so it is made at most once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import httpx

__all__ = ["PreparedRequest", "merge_query"]

# Characters a URL may carry as they are; any other means httpx would percent-encode it.
_NEEDS_QUOTING = r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"


@functools.cache
def _needs_quoting() -> re.Pattern[str]:
    # Compiled on first use, not at import: most imports of an SDK never send a request.
    return re.compile(_NEEDS_QUOTING)


class PreparedRequest:
    """What one call sends.

    Attributes:
        method: HTTP method.
        base: The client's base URL.
        url: The full URL without the query: `base` + the operation's path.
        params: Query parameters, or None.
        headers: The client's merged headers (shared by every request: never mutated).
        overlay: Headers of this request only, laid over `headers`.
        content: The encoded body, or None.
        timeout: The timeout of this request.
    """

    __slots__ = (
        "_http",
        "_request",
        "base",
        "content",
        "headers",
        "method",
        "overlay",
        "params",
        "timeout",
        "url",
    )

    def __init__(
        self,
        *,
        method: str,
        base: str,
        path: str,
        params: Mapping[str, Any] | None,
        headers: httpx.Headers,
        overlay: dict[str, str],
        content: bytes | None,
        timeout: httpx.Timeout,
        http: httpx.Client | httpx.AsyncClient,
    ) -> None:
        self.method = method
        self.base = base
        self.url = base + path
        self.params = params
        self.headers = headers
        self.overlay = overlay
        self.content = content
        self.timeout = timeout
        self._http = http
        self._request: httpx.Request | None = None

    def sends_as_is(self) -> bool:
        """Whether these values are the whole request: the client they were built for adds
        nothing of its own (cookies from its jar, default query parameters) and is open. When
        not, only `http.send` of `httpx_request` sends what httpx would."""
        http = self._http
        return not (http.cookies or http.params or http.is_closed)

    def has_header(self, name: str) -> bool:
        """Whether the request sends header `name` (compared case-insensitively)."""
        if name in self.headers:
            return True
        lowered = name.lower()
        return any(key.lower() == lowered for key in self.overlay)

    @property
    def httpx_request(self) -> httpx.Request:
        """The equivalent `httpx.Request`, built on first use."""
        request = self._request
        if request is None:
            request = self._request = self._build()
        return request

    def _build(self) -> httpx.Request:
        headers = self.headers
        if self.overlay:
            headers = httpx.Headers(headers)
            headers.update(self.overlay)
        http = self._http
        parts: dict[str, Any] = {"params": self.params, "content": self.content, "headers": headers}
        if not self.sends_as_is():
            # Rare for an API client: let httpx merge the pool's cookies and query defaults.
            return http.build_request(self.method, self.url, timeout=self.timeout, **parts)
        timeout = {"timeout": self.timeout.as_dict()}
        return httpx.Request(self.method, self.url, extensions=timeout, **parts)

    def target(self) -> str:
        """The URL to send, percent-encoded and with the query, as httpx would send it."""
        url = self.url
        if _needs_quoting().search(url):
            url = str(httpx.URL(url))
        if self.params:
            query = str(httpx.QueryParams(self.params))
            if query:
                url = f"{url}?{query}"
        return url

    def __repr__(self) -> str:
        return f"<PreparedRequest {self.method} {self.url}>"


def merge_query(
    query: Mapping[str, Any] | None, extra: Mapping[str, object] | None
) -> dict[str, Any] | None:
    """An operation's query laid under the caller's `extra_query`, without the `None`
    values and with booleans spelt as the APIs expect (`true`/`false`); None if empty."""
    if not query and not extra:
        return None
    merged = {**(query or {}), **(extra or {})}
    return {k: _query_value(v) for k, v in merged.items() if v is not None}


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
