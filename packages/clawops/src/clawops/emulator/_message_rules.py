"""What a message create must satisfy, and what it sends: the API's rules for text (SMS, LMS,
MMS), alimtalk and brand messages, each refusal with the API's ``code``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from ._deps import EmulatorState
from ._kakao_channels import find_channel
from ._kakao_templates import IMAGE_BUBBLE_TYPES, template_variables
from ._messaging_store import fail

__all__ = ["TEXT_TYPES", "CreateMessage", "Rendered", "render"]

TEXT_TYPES = ("sms", "lms", "mms")
SMS_MAX_BYTES = 90
LMS_MAX_BYTES = 2000
MAX_MEDIA = 3
_VARIABLE = re.compile(r"#\{([^}]+)\}")


class SendBlock(BaseModel):
    """``Kakao`` or ``Brand``: which channel and template (or free-form bubble) to send."""

    channel_id: str | None = Field(default=None, alias="ChannelId")
    template_id: str | None = Field(default=None, alias="TemplateId")
    variables: dict[str, str] | None = Field(default=None, alias="Variables")
    free: dict[str, Any] | None = Field(default=None, alias="Free")


class Fallback(BaseModel):
    """The text message an alimtalk falls back to when it cannot be delivered."""

    type: str | None = Field(
        default=None, alias="Type", json_schema_extra={"enum": list(TEXT_TYPES)}
    )
    subject: str | None = Field(default=None, alias="Subject")
    body: str | None = Field(default=None, alias="Body")
    disabled: bool | None = Field(default=None, alias="Disabled")


class CreateMessage(BaseModel):
    """The body of ``POST /messages`` (lenient: the rules below answer the API's codes)."""

    to: str | None = Field(default=None, alias="To")
    from_: str | None = Field(default=None, alias="From")
    body: str | None = Field(default=None, alias="Body")
    type: str | None = Field(default=None, alias="Type")
    subject: str | None = Field(default=None, alias="Subject")
    media_url: list[str] | None = Field(default=None, alias="MediaUrl")
    kakao: SendBlock | None = Field(default=None, alias="Kakao")
    brand: SendBlock | None = Field(default=None, alias="Brand")
    fallback: Fallback | None = Field(default=None, alias="Fallback")


@dataclass(frozen=True)
class Rendered:
    """What a valid create sends."""

    type: str
    subject: str | None
    body: str
    media_url: list[str] | None
    channel_id: str | None
    template_id: str | None
    fallback: Rendered | None = None
    """For an alimtalk: the text message sent instead if it cannot be delivered."""


def render(state: EmulatorState, account_id: str, message: CreateMessage) -> Rendered:
    """Check ``message`` against the API's rules and return what it sends."""
    if message.kakao is not None and message.brand is not None:
        raise fail(400, "kakao_type_conflict", "Give Kakao or Brand, not both")
    if message.kakao is not None:
        return _kakao(state, account_id, message, message.kakao, "ata")
    if message.brand is not None:
        return _kakao(state, account_id, message, message.brand, "bms")
    if message.type == "ata":
        raise fail(400, "kakao_required", "Type ata needs a Kakao block")
    if message.type == "bms":
        raise fail(400, "kakao_brand_required", "Type bms needs a Brand block")
    return _text(message)


def _euc_kr_length(text: str) -> int:
    return len(text.encode("euc-kr", errors="replace"))


def _text(message: CreateMessage) -> Rendered:
    if message.fallback is not None:
        raise fail(400, "invalid_input", "Fallback is only for alimtalk (Kakao) messages")
    if not message.body:
        raise fail(400, "invalid_input", "Missing required field: Body")
    if message.type is not None and message.type not in TEXT_TYPES:
        raise fail(400, "invalid_input", "Invalid Type: use sms, lms, mms, ata or bms")
    media = message.media_url or None
    if media is not None and len(media) > MAX_MEDIA:
        raise fail(400, "invalid_input", f"At most {MAX_MEDIA} MediaUrl entries")
    size = _euc_kr_length(message.body)
    kind = message.type or ("mms" if media else "lms" if size > SMS_MAX_BYTES else "sms")
    if kind == "sms" and message.subject is not None:
        raise fail(400, "sms_no_subject", "An SMS has no Subject: send it as lms")
    if kind != "mms" and media is not None:
        raise fail(400, "sms_no_media", "Only an mms carries MediaUrl")
    limit = SMS_MAX_BYTES if kind == "sms" else LMS_MAX_BYTES
    if size > limit:
        raise fail(400, "body_too_long", f"Body is {size} bytes (EUC-KR); {kind} allows {limit}")
    return Rendered(kind, message.subject, message.body, media, None, None)


def _kakao(
    state: EmulatorState, account_id: str, message: CreateMessage, block: SendBlock, kind: str
) -> Rendered:
    if message.type is not None and message.type != kind:
        raise fail(400, "kakao_type_conflict", f"Type must be {kind} for this message")
    for value, field, code in (
        (message.body, "Body", "kakao_body_not_allowed"),
        (message.subject, "Subject", "kakao_subject_not_allowed"),
        (message.media_url, "MediaUrl", "kakao_media_not_allowed"),
    ):
        if value is not None:
            raise fail(400, code, f"{field} is not allowed: the template sets the content")
    if kind == "bms" and message.fallback is not None:
        raise fail(400, "kakao_fallback_not_allowed", "Brand messages have no fallback")
    channel = block.channel_id or ""
    find_channel(state, account_id, channel, code="kakao_channel_not_found")
    if kind == "bms" and (bool(block.template_id) == (block.free is not None)):
        raise fail(400, "invalid_input", "Brand needs exactly one of TemplateId and Free")
    if block.free is not None:
        return _free(state, account_id, block, channel)
    template = state.db.query_one(
        "SELECT * FROM kakao_templates WHERE id = ? AND channel_id = ? AND kind = ?",
        (block.template_id or "", channel, "alimtalk" if kind == "ata" else "brand"),
    )
    if template is None:
        code = "kakao_template_not_found" if kind == "ata" else "kakao_brand_template_not_found"
        raise fail(404, code, f"Template {block.template_id} not found on channel {channel}")
    if template["status"] != "APPROVED":
        raise fail(422, "kakao_template_not_approved", "The template is not approved yet")
    if template["dormant"]:
        raise fail(422, "kakao_template_dormant", "The template is dormant")
    body = _fill(template["content"], template_variables(template), block.variables or {})
    fallback = None
    if kind == "ata" and not (message.fallback and message.fallback.disabled):
        fallback = _fallback(message.fallback or Fallback(), body)
    return Rendered(kind, None, body, None, channel, template["id"], fallback)


def _fallback(fallback: Fallback, body: str) -> Rendered:
    """The text an alimtalk falls back to (its own text by default), checked as a text send
    now, so that a fallback the API would refuse refuses the alimtalk."""
    text = CreateMessage.model_validate(
        {"Body": fallback.body or body, "Subject": fallback.subject, "Type": fallback.type}
    )
    return _text(text)


def _fill(content: str, needed: list[str], given: dict[str, str]) -> str:
    values = {_VARIABLE.sub(r"\1", key): value for key, value in given.items()}
    missing = [name for name in needed if name not in values]
    if missing:
        raise fail(400, "kakao_variable_missing", f"Missing template variables: {missing}")
    unknown = sorted(values.keys() - set(needed))
    if unknown:
        raise fail(400, "kakao_variable_unknown", f"Unknown template variables: {unknown}")
    return _VARIABLE.sub(lambda match: values[match[1]], content)


def _free(state: EmulatorState, account_id: str, block: SendBlock, channel: str) -> Rendered:
    free = block.free or {}
    if block.variables is not None:
        raise fail(400, "invalid_input", "A free-form brand message takes no Variables")
    bubble = free.get("chatBubbleType")
    if bubble not in ("TEXT", *IMAGE_BUBBLE_TYPES):
        raise fail(400, "invalid_input", "Free.chatBubbleType is missing or unknown")
    image = free.get("imageId")
    if image is not None:
        found = state.db.scalar(
            "SELECT 1 FROM kakao_brand_images WHERE id = ? AND account_id = ?",
            (str(image), account_id),
        )
        if found is None:
            raise fail(400, "kakao_brand_image_not_found", f"Brand image {image} not found")
    text = free.get("content") or free.get("text")
    if not isinstance(text, str) or not text:
        raise fail(400, "kakao_brand_body_empty", "The free-form bubble has no text")
    return Rendered("bms", None, text, None, channel, None)
