"""Kakao channels, templates, brand images and channel categories."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sdkcore import CamelModel

__all__ = [
    "BrandBubbleType",
    "KakaoBrandImage",
    "KakaoBrandImageUpload",
    "KakaoBrandTemplate",
    "KakaoChannel",
    "KakaoChannelCategory",
    "KakaoChannelCategoryList",
    "KakaoChannelCategoryMeta",
    "KakaoChannelListStatus",
    "KakaoTemplate",
    "KakaoTokenRequest",
]

KakaoChannelListStatus = Literal["connected", "needs_attention", "all"]
BrandBubbleType = Literal[
    "TEXT", "IMAGE", "WIDE", "WIDE_ITEM_LIST", "CAROUSEL_FEED", "COMMERCE", "CAROUSEL_COMMERCE"
]


class KakaoChannel(CamelModel):
    """A Kakao business channel connected to the account; `id` is what sends name."""

    id: str
    search_id: str
    name: str
    category_code: str
    status: Literal["connected", "needs_attention"] | str
    manager_phone_masked: str | None = None
    connected_at: datetime
    synced_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class KakaoTemplate(CamelModel):
    """An alimtalk template; only a `sendable` one can be sent, with every `variables` filled."""

    id: str
    channel_id: str
    name: str
    content: str
    status: str
    dormant: bool
    sendable: bool
    assign_type: str
    message_type: str
    emphasize_type: str
    variables: list[str]
    created_at: datetime
    updated_at: datetime


class KakaoBrandTemplate(CamelModel):
    """A brand message template (not reviewed: every listed one can be sent)."""

    id: str
    channel_id: str
    name: str
    chat_bubble_type: BrandBubbleType | str
    content: str | None = None
    header: str | None = None
    variables: list[str]
    created_at: datetime
    updated_at: datetime


class KakaoBrandImageUpload(CamelModel):
    """An uploaded image's id, for a free-form bubble's `imageId`."""

    id: str


class KakaoBrandImage(CamelModel):
    """An uploaded brand image; usable only with the bubble type it was uploaded for."""

    id: str
    bubble_type: BrandBubbleType | str
    slot: str
    name: str | None = None
    created_at: datetime


class KakaoChannelCategory(CamelModel):
    """A business category; send its `code` as `category_code` when connecting."""

    code: str
    name: str


class KakaoChannelCategoryMeta(CamelModel):
    """When the category list was fetched, and whether from a cache."""

    fetched_at: datetime
    cached: bool


class KakaoChannelCategoryList(CamelModel):
    """Every category (an open set: read it, do not hard-code it)."""

    data: list[KakaoChannelCategory]
    meta: KakaoChannelCategoryMeta


class KakaoTokenRequest(CamelModel):
    """The verification code went to the channel manager's phone; it is never in this body."""

    requested: bool
    search_id: str
    phone_number_masked: str
    retry_after_seconds: int
