"""The seed's exception hierarchy, built on sdkcore's so the runtime raises it directly.

`PrefactorApiError` and its subclasses are sdkcore status errors (``response``, ``request``,
``body``, ``request_id``) that also carry the seed's ``code``, ``status_code`` and, for
validation errors, ``errors``. They can still be built the seed's way,
``PrefactorApiError(message, code, status_code)``, e.g. in a caller's tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

import sdkcore

__all__ = [
    "ERROR_MAP",
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorClientError",
    "PrefactorConnectionError",
    "PrefactorHttpError",
    "PrefactorNotFoundError",
    "PrefactorRateLimitError",
    "PrefactorResponseContractError",
    "PrefactorRetryExhaustedError",
    "PrefactorTimeoutError",
    "PrefactorValidationError",
    "is_permanent_http_error",
    "is_transient_http_error",
]


class PrefactorHttpError(sdkcore.SDKError):
    """Base of every error this SDK raises."""


def _built_by_hand(
    error: sdkcore.APIStatusError | sdkcore.APIResponseValidationError,
    message: str,
    body: object | None,
    request_id: str | None,
    status_code: int | None,
) -> None:
    """What the response would have set, for an error built the public packages' way; there
    is no exchange to attach (``request`` and ``response`` are None, ``status_code`` 0 when
    none is given)."""
    Exception.__init__(error, message)
    error.message = message
    error.body = body
    error.request_id = request_id
    error.status_code = 0 if status_code is None else status_code
    error.__dict__.update(request=None, response=None)


class PrefactorApiError(sdkcore.APIStatusError, PrefactorHttpError):
    """The API answered with an error status.

    Attributes:
        message: The body's ``message``, else ``HTTP <status>``.
        code: The body's ``code``, else ``"unknown"``.
        status_code: The HTTP status.
        response, request, body, request_id: As on `sdkcore.APIStatusError` (None when the
            error was built by hand).
    """

    code: str

    def __init__(
        self,
        message: str,
        code: str | None = None,
        status_code: int | None = None,
        *,
        response: httpx.Response | None = None,
        body: object | None = None,
        request_id: str | None = None,
    ) -> None:
        """Build from a response (as the client does) or from the seed's three values."""
        if response is not None:
            super().__init__(message, response=response, body=body, request_id=request_id)
        else:
            _built_by_hand(self, message, body, request_id, status_code)
        if status_code is not None:
            self.status_code = status_code
        self.code = code if code is not None else _body_text(body, "code") or "unknown"


class PrefactorAuthError(PrefactorApiError):
    """401 (bad or missing token) and 403 (a resource of another account)."""


class PrefactorNotFoundError(PrefactorApiError):
    """404: no such resource (or route)."""


class PrefactorValidationError(PrefactorApiError):
    """400 and 422: the request was refused; ``errors`` maps field names to messages."""

    errors: dict[str, Any]

    def __init__(
        self,
        message: str,
        code: str | None = None,
        status_code: int | None = None,
        errors: Mapping[str, Any] | None = None,
        *,
        response: httpx.Response | None = None,
        body: object | None = None,
        request_id: str | None = None,
    ) -> None:
        """As `PrefactorApiError`, plus the field errors (the body's ``errors``, else {})."""
        super().__init__(
            message, code, status_code, response=response, body=body, request_id=request_id
        )
        if errors is None and isinstance(body, Mapping):
            found = body.get("errors")
            errors = found if isinstance(found, Mapping) else None
        self.errors = dict(errors or {})


class PrefactorRateLimitError(sdkcore.RateLimitError, PrefactorApiError):
    """429 with retries off, or a ``Retry-After`` longer than ``max_retry_delay``;
    ``retry_after`` holds the seconds the server asked for (None when it named none)."""


class PrefactorRetryExhaustedError(PrefactorHttpError):
    """Every attempt failed with a retryable error; ``last_error`` is the final one."""

    def __init__(self, message: str, last_error: Exception | None = None) -> None:
        """The message names the path and the number of attempts."""
        super().__init__(message)
        self.message = message
        self.last_error = last_error


class PrefactorClientError(PrefactorHttpError):
    """Client-side misuse, e.g. a request on a closed client."""


class PrefactorConnectionError(sdkcore.APIConnectionError, PrefactorHttpError):
    """The request could not reach the API, or the connection broke."""


class PrefactorTimeoutError(sdkcore.APITimeoutError, PrefactorConnectionError):
    """The request timed out."""


class PrefactorResponseContractError(sdkcore.APIResponseValidationError, PrefactorHttpError):
    """A 2xx response whose body is not JSON or not of the documented shape.

    Besides ``status_code``, ``body`` and ``response``: ``body_snippet`` (the body on one
    line, cut at 200 characters) and ``cause`` (the parsing error), as prefactor-http 0.4.3.
    It can be built 0.4.3's way too, ``PrefactorResponseContractError(message,
    status_code=, body_snippet=, cause=)`` (``status_code`` 0 when none is given).
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None = None,
        body: object | None = None,
        request_id: str | None = None,
        status_code: int | None = None,
        body_snippet: str | None = None,
        cause: BaseException | None = None,
    ) -> None:
        """Build from a response (as the client does) or from 0.4.3's values."""
        if response is not None:
            super().__init__(message, response=response, body=body, request_id=request_id)
        else:
            _built_by_hand(self, message, body, request_id, status_code)
        self._body_snippet = body_snippet
        self._cause = cause

    @property
    def body_snippet(self) -> str | None:
        """The body, whitespace collapsed and cut at 200 characters; None when empty."""
        if self._body_snippet is not None:
            return self._body_snippet
        text = " ".join(str("" if self.body is None else self.body).split())
        if not text:
            return None
        return text if len(text) <= _SNIPPET else f"{text[:_SNIPPET]}..."

    @property
    def cause(self) -> BaseException | None:
        """Why the body was refused (the JSON or validation error)."""
        return self._cause if self._cause is not None else self.__cause__


_SNIPPET = 200


def _retryable_status(status_code: int | None) -> bool:
    return status_code is not None and (status_code == 429 or status_code >= 500)


def is_transient_http_error(error: BaseException) -> bool:
    """Whether ``error`` may pass if the same call is made again later: connection failures,
    timeouts, 429 and 5xx (also as the last error of an exhausted retry)."""
    if isinstance(error, PrefactorRetryExhaustedError) and error.last_error is not None:
        return is_transient_http_error(error.last_error)
    if isinstance(error, (PrefactorConnectionError, TimeoutError)):
        return True
    if isinstance(error, (PrefactorApiError, PrefactorResponseContractError)):
        return _retryable_status(error.status_code)
    return False


def is_permanent_http_error(error: BaseException) -> bool:
    """Whether making the same call again is pointless: 4xx other than 429, and a malformed
    success body (also as the last error of an exhausted retry)."""
    if isinstance(error, PrefactorRetryExhaustedError) and error.last_error is not None:
        return is_permanent_http_error(error.last_error)
    if isinstance(error, PrefactorResponseContractError):
        return not _retryable_status(error.status_code)
    if isinstance(error, PrefactorApiError):
        return 400 <= error.status_code < 500 and error.status_code != 429
    return False


def _body_text(body: object | None, key: str) -> str | None:
    if isinstance(body, Mapping):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _error_message(status_code: int, body: object | None) -> str:
    return _body_text(body, "message") or f"HTTP {status_code}"


ERROR_MAP = sdkcore.ErrorMap(
    status={
        400: PrefactorValidationError,
        401: PrefactorAuthError,
        403: PrefactorAuthError,
        404: PrefactorNotFoundError,
        422: PrefactorValidationError,
    },
    rate_limit=PrefactorRateLimitError,
    server_error=PrefactorApiError,
    fallback=PrefactorApiError,
    connection=PrefactorConnectionError,
    timeout=PrefactorTimeoutError,
    validation=PrefactorResponseContractError,
    message=_error_message,
    keep_text_body=False,
)
