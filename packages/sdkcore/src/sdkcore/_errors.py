"""The error hierarchy every SDK specialises, and the table that maps statuses onto it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ._retry import parse_retry_after

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ErrorMap",
    "RateLimitError",
    "SDKError",
    "default_error_message",
    "parse_error_body",
]


class SDKError(Exception):
    """Root of every error raised by an sdkcore-based SDK."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses take keyword-only arguments, which Exception's default pickling
        # cannot pass back; rebuild from the attributes so errors cross process boundaries.
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


def _rebuild(cls: type[SDKError], args: tuple[Any, ...], state: dict[str, Any]) -> SDKError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class APIError(SDKError):
    """An error tied to one HTTP request.

    Attributes:
        message: Human-readable description (secrets redacted).
        request: The `httpx.Request` that failed.
        body: The parsed error body (JSON value), the raw text when it was not JSON, or None.
    """

    message: str
    request: httpx.Request
    body: object | None

    def __init__(self, message: str, request: httpx.Request, *, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class _ResponseError(APIError):
    """An error about a response that arrived: it carries the response and its request id."""

    response: httpx.Response
    status_code: int
    request_id: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = request_id
        self._read_response(response)

    def _read_response(self, response: httpx.Response) -> None:
        """Where a subclass takes more from the response (its constructor stays the same)."""


class APIStatusError(_ResponseError):
    """The server answered with a non-success HTTP status.

    Attributes:
        response: The `httpx.Response` (body already read).
        status_code: Its HTTP status.
        request_id: The server's request id header, when present.
    """


class RateLimitError(APIStatusError):
    """429 Too Many Requests, raised once retries are exhausted (or the requested wait exceeds
    the retry policy's `max_retry_after`).

    Attributes:
        retry_after: Seconds the server asked the client to wait before trying again, from
            `retry-after-ms` or `Retry-After` (seconds or HTTP-date, counted from when the
            response was received); None when the response names no wait.
    """

    retry_after: float | None

    def _read_response(self, response: httpx.Response) -> None:
        self.retry_after = parse_retry_after(response.headers)


class APIConnectionError(APIError):
    """The request could not be completed: connect failure, reset, or a stream cut short."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool timeout)."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(_ResponseError):
    """A success response whose body is not what the API promises (not JSON, or wrong shape).

    Carries `response`, `status_code` and `request_id` like `APIStatusError`.
    """

    def __init__(
        self,
        message: str = "Data returned by API invalid for expected schema.",
        *,
        response: httpx.Response,
        body: object | None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, response=response, body=body, request_id=request_id)


def parse_error_body(response: httpx.Response, *, keep_text: bool = True) -> object | None:
    """Decode an error body: the JSON value, else the text (or None when `keep_text` is
    false), and None for an empty body."""
    if not response.content:
        return None
    try:
        parsed: object = json.loads(response.content)
        return parsed
    except ValueError:
        return response.text if keep_text else None


def default_error_message(status_code: int, body: object | None) -> str:
    """Pick the message from common error-body shapes (`error`, `message`, `detail`)."""
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return str(value["message"])
    return f"HTTP {status_code}"


@dataclass(frozen=True)
class ErrorMap:
    """How one SDK turns failures into its own exception classes.

    Each class must accept the constructor of the matching sdkcore base class, which is what
    subclassing it gives for free.
    """

    status: Mapping[int, type[APIStatusError]]
    server_error: type[APIStatusError]
    fallback: type[APIStatusError]
    rate_limit: type[RateLimitError] = RateLimitError
    """The class for 429 unless `status` names one; an SDK passes its own subclass."""
    connection: type[APIConnectionError] = APIConnectionError
    timeout: type[APITimeoutError] = APITimeoutError
    validation: type[APIResponseValidationError] = APIResponseValidationError
    message: Callable[[int, object | None], str] = default_error_message
    request_id_header: str = "x-request-id"
    keep_text_body: bool = True
    """Whether a non-JSON error body is kept as text in `body` (else `body` is None)."""

    def status_class(self, status_code: int) -> type[APIStatusError]:
        """The exception class for one HTTP status."""
        cls = self.status.get(status_code)
        if cls is not None:
            return cls
        if status_code == 429:
            return self.rate_limit
        if status_code >= 500:
            return self.server_error
        return self.fallback
