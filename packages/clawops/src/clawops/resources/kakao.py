"""`client.kakao`: Kakao business channels, their templates, brand images and categories.

Sending is `client.messages.create(..., kakao={...})` or `(..., brand={...})`.
"""

from __future__ import annotations

import mimetypes
from typing import Any, ClassVar, Generic, TypeVar

import pydantic
from typing_extensions import Unpack

from sdkcore import (
    DualOp,
    Op,
    PageFactory,
    Raw,
    RequestOptions,
    as_model,
    dual,
    endpoint,
    multipart_form,
    path_segment,
    require_text,
)
from sdkcore import strip_not_given as _omit_none

from ..pagination import AsyncPage, SyncPage, pages_of
from ..types.kakao import (
    BrandBubbleType,
    KakaoBrandImage,
    KakaoBrandImageUpload,
    KakaoBrandTemplate,
    KakaoChannel,
    KakaoChannelCategoryList,
    KakaoChannelListStatus,
    KakaoTemplate,
    KakaoTokenRequest,
)
from ._base import AccountResource, M, check_choice, page_query

__all__ = ["Kakao", "KakaoBrandImages", "KakaoBrandTemplates", "KakaoChannels", "KakaoTemplates"]

_CHANNEL_STATUSES = frozenset({"connected", "needs_attention", "all"})
_IMAGE_BUBBLES = frozenset(
    {"IMAGE", "WIDE", "WIDE_ITEM_LIST", "CAROUSEL_FEED", "COMMERCE", "CAROUSEL_COMMERCE"}
)
_SLOTS = frozenset({"main", "sub"})
_CHANNEL_PAGES = pages_of(KakaoChannel)
_IMAGE_PAGES = pages_of(KakaoBrandImage)


class KakaoChannels(AccountResource[M]):
    """Connected Kakao business channels. Connecting takes two steps: `request_token` sends a
    code to the channel manager's phone, `connect` completes with it."""

    @property
    def with_raw_response(self) -> KakaoChannels[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: KakaoChannels[Raw[M]] = self._raw_copy()
        return raw

    @dual
    def list(
        self,
        *,
        status: KakaoChannelListStatus | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[KakaoChannel], AsyncPage[KakaoChannel]]:
        """Connected channels as stored (not checked with Kakao: use `retrieve` for that).

        Args:
            status: "connected", "needs_attention" or "all" (default).
            page: 0-based page number.
            page_size: Items per page, 1 to 100.
        """
        check_choice(status, _CHANNEL_STATUSES, argument="status")
        query = page_query(page, page_size, status=status)
        return self._page_op(self._path("/kakao/channels"), _CHANNEL_PAGES, query, options)

    @endpoint
    def retrieve(self, channel_id: str, **options: Unpack[RequestOptions]) -> Op[KakaoChannel]:
        """One channel, its state checked with Kakao now; safe to repeat."""
        return Op("GET", self._channel_path(channel_id), as_model(KakaoChannel), options=options)

    @endpoint
    def request_token(
        self, *, search_id: str, phone_number: str, **options: Unpack[RequestOptions]
    ) -> Op[KakaoTokenRequest]:
        """Have the verification code sent to the channel manager's phone (never returned).

        Args:
            search_id: The channel's Kakao search id (a leading "@" is dropped).
            phone_number: The manager's phone, as registered with the channel.
        """
        body = {
            "searchId": require_text(search_id, argument="search_id"),
            "phoneNumber": require_text(phone_number, argument="phone_number"),
        }
        path = self._path("/kakao/channels/token")
        return Op("POST", path, as_model(KakaoTokenRequest), body=body, options=options)

    @endpoint
    def connect(
        self,
        *,
        search_id: str,
        phone_number: str,
        category_code: str,
        token: str,
        **options: Unpack[RequestOptions],
    ) -> Op[KakaoChannel]:
        """Connect the channel with the code its manager received (after `request_token`).

        Connecting a channel already on this account returns it without using the code. Not
        retried once sent: after a timeout, check with `retrieve` or `list` instead.

        Args:
            search_id: As sent to `request_token`.
            phone_number: The phone that received the code.
            category_code: A `code` from `kakao.channel_categories()`.
            token: The verification code.
        """
        body = {
            "searchId": require_text(search_id, argument="search_id"),
            "phoneNumber": require_text(phone_number, argument="phone_number"),
            "categoryCode": require_text(category_code, argument="category_code"),
            "token": require_text(token, argument="token"),
        }
        path = self._path("/kakao/channels")
        return Op("POST", path, as_model(KakaoChannel), body=body, options=options)

    @endpoint
    def disconnect(self, channel_id: str, **options: Unpack[RequestOptions]) -> Op[KakaoChannel]:
        """Disconnect a channel. Irreversible: its alimtalk templates are deleted with it."""
        return Op("DELETE", self._channel_path(channel_id), as_model(KakaoChannel), options=options)

    def _channel_path(self, channel_id: str) -> str:
        return self._path("/kakao/channels/", path_segment(channel_id, argument="channel_id"))


ItemT = TypeVar("ItemT", bound=pydantic.BaseModel)


class _TemplateListing(AccountResource[M], Generic[M, ItemT]):
    """A channel's templates of one kind: `list(channel_id=...)`."""

    _collection: ClassVar[str]
    _pages: ClassVar[PageFactory[Any, Any]]

    @dual
    def list(
        self,
        *,
        channel_id: str,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[ItemT], AsyncPage[ItemT]]:
        """One page of the channel's templates (`channel_id` from `kakao.channels.list()`)."""
        channel = require_text(channel_id, argument="channel_id")
        query = page_query(page, page_size, channelId=channel)
        return self._page_op(self._path(self._collection), self._pages, query, options)


class KakaoTemplates(_TemplateListing[M, KakaoTemplate]):
    """Alimtalk templates of a connected channel: send only `sendable` ones, filling every
    name in `variables`."""

    _collection = "/kakao/templates"
    _pages = pages_of(KakaoTemplate)

    @property
    def with_raw_response(self) -> KakaoTemplates[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: KakaoTemplates[Raw[M]] = self._raw_copy()
        return raw


class KakaoBrandTemplates(_TemplateListing[M, KakaoBrandTemplate]):
    """Brand message templates of a connected channel (a separate list from alimtalk's; not
    reviewed, so every one listed can be sent)."""

    _collection = "/kakao/brand-templates"
    _pages = pages_of(KakaoBrandTemplate)

    @property
    def with_raw_response(self) -> KakaoBrandTemplates[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: KakaoBrandTemplates[Raw[M]] = self._raw_copy()
        return raw


class KakaoBrandImages(AccountResource[M]):
    """Images for free-form brand bubbles: upload once, send the `id` many times."""

    @property
    def with_raw_response(self) -> KakaoBrandImages[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: KakaoBrandImages[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def upload(
        self,
        *,
        file: bytes,
        filename: str,
        bubble_type: BrandBubbleType,
        slot: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[KakaoBrandImageUpload]:
        """Upload an image (multipart, at most 5 MB) for bubbles of `bubble_type`.

        Args:
            file: The image's bytes.
            filename: Its name, shown by `list`.
            bubble_type: The bubble type it is for ("TEXT" has no image).
            slot: "sub" for a wide-list's small item; default "main".
        """
        if not isinstance(file, (bytes, bytearray)):
            raise TypeError(f"file must be bytes, got {type(file).__name__}")
        require_text(filename, argument="filename")
        check_choice(bubble_type, _IMAGE_BUBBLES, argument="bubble_type")
        check_choice(slot, _SLOTS, argument="slot")
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        form = multipart_form(
            _omit_none({"bubbleType": bubble_type, "slot": slot}),
            {"image": (filename, bytes(file), content_type)},
        )
        path = self._path("/kakao/brand-images")
        return Op("POST", path, as_model(KakaoBrandImageUpload), body=form, options=options)

    @dual
    def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[KakaoBrandImage], AsyncPage[KakaoBrandImage]]:
        """Uploaded images, newest first (how to find a lost `id`)."""
        query = page_query(page, page_size)
        return self._page_op(self._path("/kakao/brand-images"), _IMAGE_PAGES, query, options)


class Kakao(AccountResource[M]):
    """Kakao resources of one account."""

    @property
    def with_raw_response(self) -> Kakao[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Kakao[Raw[M]] = self._raw_copy()
        return raw

    @property
    def channels(self) -> KakaoChannels[M]:
        """Connected business channels."""
        return self._child(KakaoChannels)  # type: ignore[no-any-return]

    @property
    def templates(self) -> KakaoTemplates[M]:
        """Alimtalk templates."""
        return self._child(KakaoTemplates)  # type: ignore[no-any-return]

    @property
    def brand_templates(self) -> KakaoBrandTemplates[M]:
        """Brand message templates."""
        return self._child(KakaoBrandTemplates)  # type: ignore[no-any-return]

    @property
    def brand_images(self) -> KakaoBrandImages[M]:
        """Images for free-form brand messages."""
        return self._child(KakaoBrandImages)  # type: ignore[no-any-return]

    def _child(self, cls: type[AccountResource[Any]]) -> Any:
        # Built on each access, not cached: a raw view's children must be raw too.
        child = cls(self._client, self._account_id)
        return child._raw_copy() if self._raw else child

    @endpoint
    def channel_categories(self, **options: Unpack[RequestOptions]) -> Op[KakaoChannelCategoryList]:
        """The business categories a channel can be connected under (an open set)."""
        path = self._path("/kakao/channel-categories")
        return Op("GET", path, as_model(KakaoChannelCategoryList), options=options)
