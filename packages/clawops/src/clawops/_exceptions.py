"""The seed's exception hierarchy, built on sdkcore's so the runtime can raise it directly."""

from __future__ import annotations

import sdkcore

__all__ = [
    "ERROR_MAP",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClawOpsError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "UnprocessableEntityError",
    "WebhookVerificationError",
]


class ClawOpsError(sdkcore.SDKError):
    """Base of every error this SDK raises, configuration problems included."""


class APIError(sdkcore.APIError, ClawOpsError):
    """An error tied to one request; carries `message`, `request` and `body`."""


class APIStatusError(sdkcore.APIStatusError, APIError):
    """The API answered with an error status; adds `status_code`, `response` and `code`."""

    @property
    def code(self) -> str | None:
        """The API's reason, e.g. "recipient_blocked" or "from_not_registered" (None when the
        body names none): branch on it, not on the message text."""
        body = self.body
        code = body.get("code") if isinstance(body, dict) else None
        return code if isinstance(code, str) and code else None


class BadRequestError(APIStatusError):
    """400: the request was malformed (missing field, unregistered From number, bad paging)."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or invalid."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not access this account or resource."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the resource already exists or is in a conflicting state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but refused (limits, quota, invalid values)."""


class RateLimitError(sdkcore.RateLimitError, APIStatusError):
    """429: too many requests (e.g. the concurrent-call limit); raised once retries are spent.

    `retry_after` holds the seconds the API asked to wait (None when it named no wait).
    """


class InternalServerError(APIStatusError):
    """500 and any other 5xx without a class of its own."""


class ServiceUnavailableError(InternalServerError):
    """503: the telephony backend or the number pool is not available."""


class APIConnectionError(sdkcore.APIConnectionError, APIError):
    """The request could not reach the API, or the connection broke."""


class APITimeoutError(sdkcore.APITimeoutError, APIConnectionError):
    """The request timed out."""


class APIResponseValidationError(sdkcore.APIResponseValidationError, APIError):
    """A success response whose body is not valid JSON or not of the documented shape."""


class WebhookVerificationError(ClawOpsError):
    """A webhook's `X-Signature` does not match its URL and parameters."""


def _error_message(status_code: int, body: object | None) -> str:
    """The API puts its message in `{"error": "..."}`; anything else reads as `HTTP <status>`."""
    if isinstance(body, dict):
        message = body.get("error")
        if isinstance(message, str) and message:
            return message
    return f"HTTP {status_code}"


ERROR_MAP = sdkcore.ErrorMap(
    status={
        400: BadRequestError,
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: NotFoundError,
        409: ConflictError,
        422: UnprocessableEntityError,
        500: InternalServerError,
        503: ServiceUnavailableError,
    },
    server_error=InternalServerError,
    fallback=APIStatusError,
    rate_limit=RateLimitError,
    connection=APIConnectionError,
    timeout=APITimeoutError,
    validation=APIResponseValidationError,
    message=_error_message,
    keep_text_body=False,
)
