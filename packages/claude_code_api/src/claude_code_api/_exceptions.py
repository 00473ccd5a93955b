"""The seed's exception classes, built on sdkcore's hierarchy so the runtime raises them.

`PermissionError` and `TimeoutError` shadow the built-ins on purpose (the seed imports them by
these names) and subclass them, so `except builtins.TimeoutError` still catches a task timeout.
"""

from __future__ import annotations

import builtins
from typing import Any

import sdkcore

__all__ = [
    "ERROR_MAP",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BudgetExceededError",
    "ClaudeAPIError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionError",
    "RateLimitError",
    "ServiceUnavailableError",
    "TaskTimeoutError",
    "TimeoutError",
    "UpstreamError",
]


class ClaudeAPIError(sdkcore.SDKError):
    """Base of every error this package raises, configuration problems included."""


class APIStatusError(sdkcore.APIStatusError, ClaudeAPIError):
    """The service answered with an error status: `status_code`, `response`, `body`, `request`."""


class BadRequestError(APIStatusError):
    """400 / 422: the request was malformed (missing field, unknown model, oversize prompt)."""


class AuthenticationError(APIStatusError):
    """401: no API key sent, or the key is unknown or revoked."""


class PermissionError(APIStatusError, builtins.PermissionError):
    """403: the key's profile does not allow the tool, agent, skill, timeout, cost or project
    asked for. The message carries the reason."""


class NotFoundError(APIStatusError):
    """404: no such route or resource."""


class ConflictError(APIStatusError):
    """409: a request with the same idempotency key is still running."""


def _body_number(body: object | None, key: str) -> float | None:
    value = body.get(key) if isinstance(body, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


class BudgetExceededError(APIStatusError):
    """402: the request's estimated cost exceeds the project's remaining budget, or a task
    went over its `max_cost` and was stopped.

    Attributes:
        estimated_cost: USD the request would cost (or had cost when it was stopped).
        remaining: USD left in the budget (the project's, or the task's `max_cost`).
    """

    @property
    def estimated_cost(self) -> float | None:
        """USD the request would cost, from the error body."""
        return _body_number(self.body, "estimated_cost")

    @property
    def remaining(self) -> float | None:
        """USD left, from the error body (None when the budget is unlimited)."""
        return _body_number(self.body, "remaining")


class RateLimitError(APIStatusError):
    """429: the key's rate limit (or the engine's upstream limit) was hit.

    Attributes:
        retry_after: Seconds the service asked to wait (`Retry-After`), or None.
    """

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait before retrying, from the `Retry-After` header."""
        return sdkcore.parse_retry_after(self.response.headers)


class TimeoutError(ClaudeAPIError, builtins.TimeoutError):
    """A request or task took longer than its timeout (client side or service side)."""


class TaskTimeoutError(APIStatusError, TimeoutError):
    """504: the service stopped the completion or task at its timeout; `body` holds the
    partial result (`status` "timeout", execution log, artifacts, usage)."""


class InternalServerError(APIStatusError):
    """500 and any other 5xx without a class of its own."""


class UpstreamError(InternalServerError):
    """502: the engine (the model, its process or its API) failed."""


class ServiceUnavailableError(InternalServerError):
    """503: the engine is overloaded or not available."""


class APIConnectionError(sdkcore.APIConnectionError, ClaudeAPIError):
    """The service could not be reached, or the connection (or a stream) broke."""


class APITimeoutError(sdkcore.APITimeoutError, APIConnectionError, TimeoutError):
    """No answer within the client's timeout."""


class APIResponseValidationError(sdkcore.APIResponseValidationError, ClaudeAPIError):
    """A success response whose body is not JSON or not of the documented shape."""


def _problem(item: Any) -> str:
    """One FastAPI validation problem as `field.path: message`."""
    if not isinstance(item, dict):
        return str(item)
    where = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
    message = str(item.get("msg", item))
    return f"{where}: {message}" if where else message


def _error_message(status_code: int, body: object | None) -> str:
    """FastAPI errors are `{"detail": "..."}`; validation errors list their problems."""
    detail: Any = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str) and detail:
        return detail
    if isinstance(detail, list) and detail:
        return "; ".join(_problem(item) for item in detail)
    return f"HTTP {status_code}"


ERROR_MAP = sdkcore.ErrorMap(
    status={
        400: BadRequestError,
        401: AuthenticationError,
        402: BudgetExceededError,
        403: PermissionError,
        404: NotFoundError,
        409: ConflictError,
        422: BadRequestError,
        429: RateLimitError,
        502: UpstreamError,
        503: ServiceUnavailableError,
        504: TaskTimeoutError,
    },
    server_error=InternalServerError,
    fallback=APIStatusError,
    connection=APIConnectionError,
    timeout=APITimeoutError,
    validation=APIResponseValidationError,
    message=_error_message,
)
