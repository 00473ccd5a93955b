"""`client.messages`: send text (SMS/LMS/MMS), Kakao alimtalk and brand messages; list, get."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import Unpack

from sdkcore import (
    DualOp,
    Op,
    Raw,
    RequestOptions,
    as_model,
    dual,
    endpoint,
    path_segment,
    require_text,
)
from sdkcore import strip_not_given as _omit_none

from ..pagination import AsyncPage, SyncPage, pages_of
from ..types.message import (
    BrandSendParam,
    KakaoFallbackParam,
    KakaoSendParam,
    Message,
    MessageType,
)
from ._base import AccountResource, M, check_choice, page_query

__all__ = ["Messages"]

_TEXT_TYPES = frozenset({"sms", "lms", "mms"})
_TYPES = _TEXT_TYPES | {"ata", "bms"}
_FILTER_STATUSES = frozenset({"queued", "sent", "failed", "received"})
_MAX_MEDIA = 3
_PAGES = pages_of(Message)


def _mapping(value: object, argument: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{argument} must be a dict, got {type(value).__name__}")
    return value


def _send_block(value: object, argument: str) -> dict[str, Any]:
    """`kakao=` / `brand=` in the wire's PascalCase."""
    block = _mapping(value, argument)
    unknown = block.keys() - {"channel_id", "template_id", "variables", "free"}
    if unknown:
        raise TypeError(f"{argument} got unexpected key(s): {', '.join(sorted(unknown))}")
    require_text(block.get("channel_id"), argument=f"{argument}['channel_id']")
    variables = block.get("variables")
    if variables is not None:
        _mapping(variables, f"{argument}['variables']")
    return _omit_none(
        {
            "ChannelId": block["channel_id"],
            "TemplateId": block.get("template_id"),
            "Variables": variables,
            "Free": block.get("free"),
        }
    )


def _check_kakao_like(
    argument: str, want: str, type: str | None, text: Mapping[str, object]
) -> None:
    given = [name for name, value in text.items() if value is not None]
    if given:
        raise TypeError(
            f"{argument}= cannot be combined with {', '.join(given)}: the template sets the text"
        )
    if type is not None and type != want:
        raise TypeError(f"type must be {want!r} with {argument}=, got {type!r}")


def _create_body(
    *,
    to: str,
    from_: str,
    body: str | None,
    type: str | None,
    subject: str | None,
    media_url: list[str] | None,
    kakao: KakaoSendParam | None,
    brand: BrandSendParam | None,
    fallback: KakaoFallbackParam | None,
) -> dict[str, Any]:
    check_choice(type, _TYPES, argument="type")
    text = {"body": body, "subject": subject, "media_url": media_url}
    kakao_block = brand_block = None
    if kakao is not None and brand is not None:
        raise TypeError("give kakao= or brand=, not both")
    if kakao is not None:
        _check_kakao_like("kakao", "ata", type, text)
        kakao_block = _send_block(kakao, "kakao")
        require_text(kakao_block.get("TemplateId"), argument="kakao['template_id']")
        if "Free" in kakao_block:
            raise TypeError("kakao got unexpected key(s): free (free-form is for brand= only)")
    elif brand is not None:
        _check_kakao_like("brand", "bms", type, text)
        if fallback is not None:
            raise TypeError("fallback cannot be combined with brand=: brand messages have none")
        brand_block = _send_block(brand, "brand")
        if ("TemplateId" in brand_block) == ("Free" in brand_block):
            raise TypeError("brand needs exactly one of 'template_id' and 'free'")
        if "Free" in brand_block and "Variables" in brand_block:
            raise TypeError("brand['variables'] cannot be combined with brand['free']")
    else:
        if type in ("ata", "bms"):
            raise TypeError(f"type={type!r} needs {'kakao' if type == 'ata' else 'brand'}=")
        if fallback is not None:
            raise TypeError("fallback is for alimtalk only: give it with kakao=")
        if body is None:
            raise TypeError("give body= (text), kakao= (alimtalk) or brand= (brand message)")
        require_text(body, argument="body")
        media: object = media_url
        if media is not None and (not isinstance(media, list) or not 1 <= len(media) <= _MAX_MEDIA):
            raise ValueError(f"media_url must be a list of 1 to {_MAX_MEDIA} URLs")
        if type == "sms" and subject is not None:
            raise ValueError("subject is not allowed with type='sms' (use 'lms' or 'mms')")
        if type in ("sms", "lms") and media_url is not None:
            raise ValueError(f"media_url is not allowed with type={type!r} (use 'mms')")
    if fallback is not None:
        fallback = _mapping(fallback, "fallback")  # type: ignore[assignment]
        check_choice(fallback.get("type"), _TEXT_TYPES, argument="fallback['type']")
    return _omit_none(
        {
            "To": require_text(to, argument="to"),
            "From": require_text(from_, argument="from_"),
            "Body": body,
            "Type": type,
            "Subject": subject,
            "MediaUrl": media_url,
            "Kakao": kakao_block,
            "Brand": brand_block,
            "Fallback": None
            if fallback is None
            else _omit_none(
                {
                    "Type": fallback.get("type"),
                    "Subject": fallback.get("subject"),
                    "Body": fallback.get("body"),
                    "Disabled": fallback.get("disabled"),
                }
            ),
        }
    )


class Messages(AccountResource[M]):
    """Text, alimtalk and brand messages of one account."""

    @property
    def with_raw_response(self) -> Messages[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Messages[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self,
        *,
        to: str,
        from_: str,
        body: str | None = None,
        type: MessageType | None = None,
        subject: str | None = None,
        media_url: list[str] | None = None,
        kakao: KakaoSendParam | None = None,
        brand: BrandSendParam | None = None,
        fallback: KakaoFallbackParam | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[Message]:
        """Send a message: text with `body`, a Kakao alimtalk with `kakao`, or a brand message
        with `brand` (exactly one of the three).

        Args:
            to: Recipient phone number.
            from_: A sender number registered on the account (`sender_numbers`).
            body: Text of an SMS/LMS/MMS.
            type: "sms", "lms" or "mms" for text (default: chosen by the API from the length
                and attachments); "ata" with `kakao`, "bms" with `brand` (optional there).
            subject: Title of an LMS/MMS.
            media_url: Up to 3 image URLs (MMS).
            kakao: `{"channel_id", "template_id", "variables"}` of an approved template.
            brand: `{"channel_id", "template_id", "variables"}` or `{"channel_id", "free"}`.
            fallback: For an alimtalk, the text sent if it cannot be delivered.

        Raises:
            TypeError, ValueError: a combination the API refuses (nothing is sent).
            BadRequestError, NotFoundError, UnprocessableEntityError: refused by the API;
                `error.code` names why (e.g. "from_not_registered", "recipient_blocked").

        A send is never retried after the request may have reached the server (the API has no
        idempotency keys), so a lost response cannot send the message twice; it is retried only
        when the connection could not be opened or the API answered 408/429.
        """
        payload = _create_body(
            to=to,
            from_=from_,
            body=body,
            type=type,
            subject=subject,
            media_url=media_url,
            kakao=kakao,
            brand=brand,
            fallback=fallback,
        )
        return Op("POST", self._path("/messages"), as_model(Message), body=payload, options=options)

    @dual
    def list(
        self,
        *,
        type: MessageType | None = None,
        status: str | None = None,
        number: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[Message], AsyncPage[Message]]:
        """List messages, newest first, one page at a time.

        Args:
            type: Only messages of this type ("ata": alimtalk, "bms": brand).
            status: Only "queued", "sent", "failed" or "received" ones ("sending" shows in
                responses but the API does not filter on it).
            number: Only messages from or to this number.
            page: 0-based page number (server default 0).
            page_size: Items per page, 1 to 100 (server default 20).

        Returns a page; `auto_paging_iter()` walks every following page lazily.
        """
        check_choice(type, _TYPES, argument="type")
        check_choice(status, _FILTER_STATUSES, argument="status")
        query = page_query(page, page_size, type=type, status=status, number=number)
        return self._page_op(self._path("/messages"), _PAGES, query, options)

    @endpoint
    def get(self, message_id: str, **options: Unpack[RequestOptions]) -> Op[Message]:
        """Fetch one message by id, with its current status."""
        path = self._path("/messages/", path_segment(message_id, argument="message_id"))
        return Op("GET", path, as_model(Message), options=options)
