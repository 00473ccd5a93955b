"""ClawOps Voice API SDK: calls, numbers, SIP credentials, multi-account access and webhook
signatures, with a blocking (`ClawOps`) and an async (`AsyncClawOps`) client.

A local emulator of the API ships in `clawops.emulator` (extra `clawops[emulator]`).
"""

from typing import TYPE_CHECKING

from sdkcore import APIResponse, RetryPolicy, lazy_exports

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

if TYPE_CHECKING:
    from .pagination import AsyncPage, SyncPage
    from .types import (
        AssignmentLink,
        AssignmentLinkCreated,
        BlockedRecipient,
        Call,
        CallControlResponse,
        KakaoBrandImage,
        KakaoBrandImageUpload,
        KakaoBrandTemplate,
        KakaoChannel,
        KakaoChannelCategoryList,
        KakaoTemplate,
        KakaoTokenRequest,
        Message,
        Number,
        PageMeta,
        RecordingDownload,
        SenderNumber,
        SenderNumberList,
        SipCredential,
        SipEndpoint,
        SummaryStatus,
        TranscriptRequestAccepted,
        TranscriptStatus,
        WebhookLog,
    )

# Models, pages and resources load on first use (PEP 562): defining pydantic models is most of
# what an import would cost, and a program that only configures a client, or never touches a
# resource, should not pay for it. The client loads its resources on first access.
_LAZY = {
    **{name: f".{name}" for name in ("pagination", "resources", "types", "webhooks")},
    **dict.fromkeys(["AsyncPage", "SyncPage"], ".pagination"),
    **dict.fromkeys(
        [
            "AssignmentLink",
            "AssignmentLinkCreated",
            "Call",
            "CallControlResponse",
            "Number",
            "PageMeta",
            "RecordingDownload",
            "SipCredential",
            "SipEndpoint",
            "SummaryStatus",
            "TranscriptRequestAccepted",
            "TranscriptStatus",
            "WebhookLog",
            "BlockedRecipient",
            "KakaoBrandImage",
            "KakaoBrandImageUpload",
            "KakaoBrandTemplate",
            "KakaoChannel",
            "KakaoChannelCategoryList",
            "KakaoTemplate",
            "KakaoTokenRequest",
            "Message",
            "SenderNumber",
            "SenderNumberList",
        ],
        ".types",
    ),
}
if not TYPE_CHECKING:
    __getattr__ = lazy_exports(__name__, _LAZY)


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
    "AssignmentLink",
    "AssignmentLinkCreated",
    "AsyncClawOps",
    "AsyncPage",
    "AuthenticationError",
    "BadRequestError",
    "BlockedRecipient",
    "Call",
    "CallControlResponse",
    "ClawOps",
    "ClawOpsError",
    "ConflictError",
    "InternalServerError",
    "KakaoBrandImage",
    "KakaoBrandImageUpload",
    "KakaoBrandTemplate",
    "KakaoChannel",
    "KakaoChannelCategoryList",
    "KakaoTemplate",
    "KakaoTokenRequest",
    "Message",
    "NotFoundError",
    "Number",
    "PageMeta",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordingDownload",
    "RetryPolicy",
    "SenderNumber",
    "SenderNumberList",
    "ServiceUnavailableError",
    "SipCredential",
    "SipEndpoint",
    "SummaryStatus",
    "SyncPage",
    "TranscriptRequestAccepted",
    "TranscriptStatus",
    "UnprocessableEntityError",
    "WebhookLog",
    "WebhookVerificationError",
    "__version__",
]
