"""Response objects of the ClawOps API (snake_case attributes over the wire's camelCase)."""

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
from .number import Number, NumberSource, WebhookMethod
from .sender_number import SenderNumber, SenderNumberGrace, SenderNumberLimit, SenderNumberList
from .shared import PageMeta
from .sip import SipCredential

__all__ = [
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
    "Message",
    "MessageStatus",
    "MessageType",
    "Number",
    "NumberSource",
    "PageMeta",
    "SenderNumber",
    "SenderNumberGrace",
    "SenderNumberLimit",
    "SenderNumberList",
    "SipCredential",
    "TextMessageType",
    "WebhookMethod",
]
