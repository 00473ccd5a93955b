"""Response objects of the ClawOps API (snake_case attributes over the wire's camelCase)."""

from .assignment_link import (
    AssignmentLink,
    AssignmentLinkAssignment,
    AssignmentLinkCreated,
    LinkStatus,
)
from .blocked_recipient import (
    BlockedChannel,
    BlockedRecipient,
    BlockedRecipientSource,
    BlockedRecipientStatus,
)
from .call import Call, CallControlResponse, CallDirection, CallStatus
from .kakao import (
    BrandBubbleType,
    KakaoBrandImage,
    KakaoBrandImageUpload,
    KakaoBrandTemplate,
    KakaoChannel,
    KakaoChannelCategory,
    KakaoChannelCategoryList,
    KakaoChannelCategoryMeta,
    KakaoChannelListStatus,
    KakaoTemplate,
    KakaoTokenRequest,
)
from .message import (
    BrandSendParam,
    KakaoFallbackParam,
    KakaoSendParam,
    Message,
    MessageStatus,
    MessageType,
    TextMessageType,
)
from .number import Number, NumberSource, RoutingType, WebhookMethod
from .recording import RecordingDownload
from .sender_number import SenderNumber, SenderNumberGrace, SenderNumberLimit, SenderNumberList
from .shared import PageMeta
from .sip import SipCredential, SipEndpoint, SipStatus
from .transcript import (
    AnalysisStatus,
    SummaryStatus,
    TranscriptRequestAccepted,
    TranscriptSegment,
    TranscriptStatus,
)
from .webhook_log import WebhookLog

__all__ = [
    "AnalysisStatus",
    "AssignmentLink",
    "AssignmentLinkAssignment",
    "AssignmentLinkCreated",
    "BlockedChannel",
    "BlockedRecipient",
    "BlockedRecipientSource",
    "BlockedRecipientStatus",
    "BrandBubbleType",
    "BrandSendParam",
    "Call",
    "CallControlResponse",
    "CallDirection",
    "CallStatus",
    "KakaoBrandImage",
    "KakaoBrandImageUpload",
    "KakaoBrandTemplate",
    "KakaoChannel",
    "KakaoChannelCategory",
    "KakaoChannelCategoryList",
    "KakaoChannelCategoryMeta",
    "KakaoChannelListStatus",
    "KakaoFallbackParam",
    "KakaoSendParam",
    "KakaoTemplate",
    "KakaoTokenRequest",
    "LinkStatus",
    "Message",
    "MessageStatus",
    "MessageType",
    "Number",
    "NumberSource",
    "PageMeta",
    "RecordingDownload",
    "RoutingType",
    "SenderNumber",
    "SenderNumberGrace",
    "SenderNumberLimit",
    "SenderNumberList",
    "SipCredential",
    "SipEndpoint",
    "SipStatus",
    "SummaryStatus",
    "TextMessageType",
    "TranscriptRequestAccepted",
    "TranscriptSegment",
    "TranscriptStatus",
    "WebhookLog",
    "WebhookMethod",
]
