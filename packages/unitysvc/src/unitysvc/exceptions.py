"""Exception hierarchy for the customer SDK.

All errors raised by unitysvc are subclasses of :class:`UnitysvcSDKError`, which in turn is a
subclass of `Exception`::

    try:
        client.secrets.list()
    except NotFoundError:
        ...
    except UnitysvcSDKError:
        ...

Every :class:`APIError` carries ``status_code``, ``detail`` (the JSON-decoded error body, or
its text when it is not JSON) and ``response_body`` (the raw bytes), plus the ``request`` and
``response`` when they exist.
"""

from __future__ import annotations

import builtins
from typing import Any

import httpx

import sdkcore

__all__ = [
    "ERROR_MAP",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "ConflictError",
    "NotFoundError",
    "PermissionError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "UnitysvcSDKError",
    "ValidationError",
    "error_for_status",
]


class UnitysvcSDKError(sdkcore.SDKError):
    """Base class for all errors raised by unitysvc."""


class APIError(sdkcore.APIStatusError, UnitysvcSDKError):
    """The server returned a non-success status code.

    Attributes:
        status_code: HTTP status code (0 when no response arrived).
        detail: Parsed error payload from the server (usually ``{"detail": ...}``), or the raw
            text if not JSON.
        response_body: Raw response bytes, useful for debugging.
    """

    detail: Any
    response_body: bytes | None
    response: httpx.Response  # absent (None) when the error was built by hand
    request: httpx.Request

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        detail: Any = None,
        response_body: bytes | None = None,
        response: httpx.Response | None = None,
        body: object | None = None,
        request_id: str | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        if response is not None:
            super().__init__(message, response=response, body=body, request_id=request_id)
            detail = body if detail is None else detail
            response_body = response.content if response_body is None else response_body
        else:
            Exception.__init__(self, message)
            self.message = message
            self.body = detail
            self.request_id = request_id
            self.response = None  # type: ignore[assignment]
            self.request = request  # type: ignore[assignment]
            self.status_code = 0
        if status_code is not None:
            self.status_code = status_code
        self.detail = detail
        self.response_body = response_body

    def __str__(self) -> str:
        return self.message


class AuthenticationError(APIError):
    """401 Unauthorized. The API key is missing, invalid, or expired."""


class PermissionError(APIError):
    """403 Forbidden. The authenticated customer cannot perform this action."""


class NotFoundError(APIError):
    """404 Not Found. The requested resource does not exist for this customer."""


class ValidationError(APIError):
    """400/422. The request body failed server-side validation.

    ``detail`` typically contains a list of per-field errors.
    """


class ConflictError(APIError):
    """409 Conflict. The request conflicts with server state (e.g. duplicate name)."""


class RateLimitError(APIError):
    """429 Too Many Requests. Retry after the backoff window."""


class ServerError(APIError):
    """5xx. The server encountered an error. Safe to retry idempotent requests."""


class APIConnectionError(APIError):
    """No usable response: connect failure, reset, or a stream cut short.

    ``status_code`` is 0, as the public 0.2.1 package reports transport failures.
    """

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, status_code=0, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class StreamInterruptedError(APIConnectionError):
    """A streamed body ended in the middle of an event (connection cut)."""


class _ResponseValidationError(APIError):
    """A success response whose body is not of the documented shape."""

    def __init__(
        self,
        message: str = "Data returned by API invalid for expected schema.",
        *,
        response: httpx.Response,
        body: object | None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, response=response, body=body, request_id=request_id)


_STATUS: dict[int, builtins.type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def _message(status_code: int, body: object | None) -> str:
    return f"API request failed with status {status_code}"


def error_for_status(
    status_code: int, *, detail: Any = None, response_body: bytes | None = None
) -> APIError:
    """The exception class the SDK raises for ``status_code``, built from its parts."""
    cls = _STATUS.get(status_code) or (ServerError if status_code >= 500 else APIError)
    return cls(
        _message(status_code, detail),
        status_code=status_code,
        detail=detail,
        response_body=response_body,
    )


ERROR_MAP = sdkcore.ErrorMap(
    status=_STATUS,
    server_error=ServerError,
    fallback=APIError,
    connection=APIConnectionError,  # type: ignore[arg-type]
    timeout=APITimeoutError,  # type: ignore[arg-type]
    validation=_ResponseValidationError,  # type: ignore[arg-type]
    message=_message,
)
