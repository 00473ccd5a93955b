"""Raw response access: the HTTP response of a call, with the parsed result on demand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

__all__ = ["APIResponse"]

T = TypeVar("T")

_UNSET: Any = object()


class APIResponse(Generic[T]):
    """What `resource.with_raw_response.<method>(...)` returns.

    Attributes:
        http_response: The underlying `httpx.Response`.
        retries_taken: How many retries happened before this response.
    """

    __slots__ = ("_parse", "_parsed", "http_response", "request_id", "retries_taken")

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parse: Callable[[], T],
        retries_taken: int,
        request_id: str | None,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self.request_id = request_id
        self._parse = parse
        self._parsed: T = _UNSET

    @property
    def status_code(self) -> int:
        """HTTP status of the response."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.http_response.headers

    @property
    def url(self) -> httpx.URL:
        """Final URL of the request."""
        return self.http_response.url

    @property
    def content(self) -> bytes:
        """Raw response body (empty for a streamed response that was not read)."""
        return self.http_response.content

    def json(self) -> Any:
        """The body decoded as JSON, without model validation."""
        return self.http_response.json()

    def parse(self) -> T:
        """The result the normal (non-raw) method would have returned; computed once."""
        if self._parsed is _UNSET:
            self._parsed = self._parse()
        return self._parsed

    def __repr__(self) -> str:
        response = self.http_response
        return (
            f"<APIResponse [{response.status_code}] {response.request.method} {response.url.path}>"
        )
