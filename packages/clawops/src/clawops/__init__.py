"""ClawOps Voice API SDK: calls, numbers, SIP credentials, multi-account access and webhook
signatures, with a blocking (`ClawOps`) and an async (`AsyncClawOps`) client.

A local emulator of the API ships in `clawops.emulator` (extra `clawops[emulator]`).
"""

from sdkcore import APIResponse, RetryPolicy

from ._client import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, AsyncClawOps, ClawOps
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClawOpsError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    UnprocessableEntityError,
    WebhookVerificationError,
)
from ._version import __version__
from .pagination import AsyncPage, SyncPage
from .types import Call, CallControlResponse, Number, PageMeta, SipCredential

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClawOps",
    "AsyncPage",
    "AuthenticationError",
    "BadRequestError",
    "Call",
    "CallControlResponse",
    "ClawOps",
    "ClawOpsError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "Number",
    "PageMeta",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "SipCredential",
    "SyncPage",
    "UnprocessableEntityError",
    "WebhookVerificationError",
    "__version__",
]
