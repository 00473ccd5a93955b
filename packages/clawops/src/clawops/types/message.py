"""Message objects and the shapes `messages.create` takes for Kakao and brand sends."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from typing_extensions import Required, TypedDict

from sdkcore import CamelModel

__all__ = [
    "BrandSendParam",
    "KakaoFallbackParam",
    "KakaoSendParam",
    "Message",
    "MessageStatus",
    "MessageType",
    "TextMessageType",
]

TextMessageType = Literal["sms", "lms", "mms"]
MessageType = Literal["sms", "lms", "mms", "ata", "bms"]
"""`ata` is a Kakao alimtalk, `bms` a Kakao brand message."""
MessageStatus = Literal["queued", "sending", "sent", "failed", "received"]


class Message(CamelModel):
    """A text, alimtalk or brand message.

    `status` and `type` are typed with the documented values but accept new ones the API may
    add. For an alimtalk, `body` is the template with its variables filled in.
    """

    message_id: str
    status: MessageStatus | str
    type: MessageType | str
    to: str
    from_: str = Field(alias="from")
    subject: str | None = None
    body: str | None = None
    num_media: int = 0
    media_url: list[str] | None = None
    direction: Literal["outbound", "inbound"] | str
    account_id: str
    date_created: datetime
    date_updated: datetime | None = None


class KakaoSendParam(TypedDict, total=False):
    """An alimtalk: the connected channel, an approved template, and its variables."""

    channel_id: Required[str]
    """The channel's id (from `kakao.channels.list()`), not its search id."""
    template_id: Required[str]
    """The template's id (from `kakao.templates.list(channel_id=...)`)."""
    variables: dict[str, str]
    """Every variable the template names; keys as `name` or `#{name}`."""


class BrandSendParam(TypedDict, total=False):
    """A brand message: a template (`template_id` + `variables`) or a free-form bubble (`free`),
    exactly one of the two."""

    channel_id: Required[str]
    """The channel's id (from `kakao.channels.list()`)."""
    template_id: str
    """A brand template's id (from `kakao.brand_templates.list(channel_id=...)`)."""
    variables: dict[str, str]
    """The template's variables (not allowed with `free`)."""
    free: dict[str, Any]
    """The bubble itself, passed as is (`chatBubbleType`, `content`, `imageId`, ...)."""


class KakaoFallbackParam(TypedDict, total=False):
    """The text message an alimtalk falls back to when it cannot be delivered (billed as one
    more message); without it the template's text is sent."""

    body: str
    subject: str
    type: TextMessageType
    disabled: bool
    """True: no fallback; a failed alimtalk stays failed."""
