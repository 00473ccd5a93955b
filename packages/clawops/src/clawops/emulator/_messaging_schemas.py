"""What the messaging endpoints answer, for the OpenAPI document (endpoints return dicts).

Extra keys are forbidden, so the conformance test catches a field the document omits.
"""

from __future__ import annotations

from pydantic import Field

from ._schemas import _Out, _Page, _timestamp

__all__ = [
    "BlockedRecipientListOut",
    "BlockedRecipientOut",
    "BrandImageListOut",
    "BrandImageUploadOut",
    "BrandTemplateListOut",
    "ChannelCategoryListOut",
    "KakaoChannelListOut",
    "KakaoChannelOut",
    "KakaoTemplateListOut",
    "KakaoTokenOut",
    "MessageListOut",
    "MessageOut",
    "SenderNumberListOut",
    "SenderNumberOut",
]


class MessageOut(_Out):
    """A text, alimtalk or brand message."""

    message_id: str = Field(alias="messageId")
    status: str = Field(json_schema_extra={"enum": ["queued", "sending", "sent", "failed"]})
    type: str = Field(json_schema_extra={"enum": ["sms", "lms", "mms", "ata", "bms"]})
    to: str
    from_: str = Field(alias="from")
    subject: str | None
    body: str | None
    num_media: int = Field(alias="numMedia")
    media_url: list[str] | None = Field(alias="mediaUrl")
    direction: str = Field(json_schema_extra={"enum": ["outbound"]})
    account_id: str = Field(alias="accountId")
    date_created: str = _timestamp("dateCreated")
    date_updated: str | None = _timestamp("dateUpdated")


class MessageListOut(_Page[MessageOut]):
    """One page of messages, newest first."""


class SenderNumberOut(_Out):
    """A registered sender number."""

    id: str
    number: str
    type: str
    verification_method: str = Field(alias="verificationMethod")
    status: str
    created_at: str = _timestamp("createdAt")


class _Grace(_Out):
    number: str
    expires_at: str = _timestamp("expiresAt")


class _Limit(_Out):
    used: int
    limit: int | None
    reached: bool


class SenderNumberListOut(_Out):
    """The account's sender numbers, numbers in a grace period, and the line limit."""

    sender_numbers: list[SenderNumberOut] = Field(alias="senderNumbers")
    grace: list[_Grace]
    limit: _Limit | None


class BlockedRecipientOut(_Out):
    """A blocked recipient (active or released)."""

    id: str
    recipient: str
    channel: str
    active: bool
    source: str
    source_ref: str | None = Field(alias="sourceRef")
    note: str | None
    created_by: str | None = Field(alias="createdBy")
    created_at: str = _timestamp("createdAt")
    updated_at: str = _timestamp("updatedAt")
    unblocked_at: str | None = _timestamp("unblockedAt")
    unblocked_source: str | None = Field(alias="unblockedSource")
    unblocked_by: str | None = Field(alias="unblockedBy")
    unblocked_note: str | None = Field(alias="unblockedNote")


class BlockedRecipientListOut(_Page[BlockedRecipientOut]):
    """One page of blocked recipients, newest first."""


class KakaoChannelOut(_Out):
    """A Kakao business channel connected to the account."""

    id: str
    search_id: str = Field(alias="searchId")
    name: str
    category_code: str = Field(alias="categoryCode")
    status: str = Field(json_schema_extra={"enum": ["connected", "needs_attention"]})
    manager_phone_masked: str | None = Field(alias="managerPhoneMasked")
    connected_at: str = _timestamp("connectedAt")
    synced_at: str | None = _timestamp("syncedAt")
    created_at: str = _timestamp("createdAt")
    updated_at: str = _timestamp("updatedAt")


class KakaoChannelListOut(_Page[KakaoChannelOut]):
    """One page of connected channels, newest first."""


class KakaoTokenOut(_Out):
    """The verification code was sent to the channel manager's phone (not in this body)."""

    requested: bool
    search_id: str = Field(alias="searchId")
    phone_number_masked: str = Field(alias="phoneNumberMasked")
    retry_after_seconds: int = Field(alias="retryAfterSeconds")


class _Category(_Out):
    code: str
    name: str


class _CategoryMeta(_Out):
    fetched_at: str = _timestamp("fetchedAt")
    cached: bool


class ChannelCategoryListOut(_Out):
    """Business categories a channel may be connected under."""

    data: list[_Category]
    meta: _CategoryMeta


class _TemplateOut(_Out):
    id: str
    channel_id: str = Field(alias="channelId")
    name: str
    variables: list[str]
    created_at: str = _timestamp("createdAt")
    updated_at: str = _timestamp("updatedAt")


class _KakaoTemplateOut(_TemplateOut):
    content: str
    status: str
    dormant: bool
    sendable: bool
    assign_type: str = Field(alias="assignType")
    message_type: str = Field(alias="messageType")
    emphasize_type: str = Field(alias="emphasizeType")


class KakaoTemplateListOut(_Page[_KakaoTemplateOut]):
    """One page of a channel's alimtalk templates."""


class _BrandTemplateOut(_TemplateOut):
    chat_bubble_type: str = Field(alias="chatBubbleType")
    content: str | None
    header: str | None


class BrandTemplateListOut(_Page[_BrandTemplateOut]):
    """One page of a channel's brand message templates."""


class BrandImageUploadOut(_Out):
    """The id to put in a free-form brand message's ``imageId``."""

    id: str


class _BrandImageOut(_Out):
    id: str
    bubble_type: str = Field(alias="bubbleType")
    slot: str
    name: str | None
    created_at: str = _timestamp("createdAt")


class BrandImageListOut(_Page[_BrandImageOut]):
    """One page of uploaded brand images, newest first."""
