"""``/kakao/templates``, ``/kakao/brand-templates`` and ``/kakao/brand-images``: what Kakao
messages are built from."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request

from sdkcore.emulator import EmulatorError, document_response

from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State
from ._kakao_channels import find_channel
from ._messaging_schemas import (
    BrandImageListOut,
    BrandImageUploadOut,
    BrandTemplateListOut,
    KakaoTemplateListOut,
)
from ._messaging_store import fail, insert, page_envelope, read_page
from ._paging import PAGE_QUERY, PAGE_SIZE_QUERY, PageRequest
from ._store import now, timestamp

__all__ = ["IMAGE_BUBBLE_TYPES", "router", "template_variables"]

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/kakao", tags=["kakao templates"])

IMAGE_BUBBLE_TYPES = (
    "IMAGE",
    "WIDE",
    "WIDE_ITEM_LIST",
    "CAROUSEL_FEED",
    "COMMERCE",
    "CAROUSEL_COMMERCE",
)
_SLOTS = ("main", "sub")
_MAX_IMAGE = 5 * 1024 * 1024
_MAX_UPLOAD = 10 * 1024 * 1024
_TEMPLATES = "SELECT * FROM kakao_templates"
_IMAGES = "SELECT * FROM kakao_brand_images"


def template_variables(row: dict[str, Any]) -> list[str]:
    """The variable names a template needs filled."""
    return cast(list[str], json.loads(row["variables"]))


def _alimtalk(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "channelId": row["channel_id"],
        "name": row["name"],
        "content": row["content"],
        "status": row["status"],
        "dormant": bool(row["dormant"]),
        "sendable": row["status"] == "APPROVED" and not row["dormant"],
        "assignType": "CHANNEL",
        "messageType": "BA",
        "emphasizeType": "NONE",
        "variables": template_variables(row),
        "createdAt": timestamp(row["created_at"]),
        "updatedAt": timestamp(row["created_at"]),
    }


def _brand(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "channelId": row["channel_id"],
        "name": row["name"],
        "chatBubbleType": row["chat_bubble_type"],
        "content": row["content"],
        "header": row["header"],
        "variables": template_variables(row),
        "createdAt": timestamp(row["created_at"]),
        "updatedAt": timestamp(row["created_at"]),
    }


@dataclass(frozen=True)
class _TemplateQuery:
    channel_id: str
    window: PageRequest


async def _template_query(
    channel_id: str = Query(alias="channelId", min_length=1),
    page: str | None = PAGE_QUERY,
    page_size: str | None = PAGE_SIZE_QUERY,
) -> _TemplateQuery:
    return _TemplateQuery(channel_id, read_page(page, page_size, code="VALIDATION"))


_Templates = Annotated[_TemplateQuery, Depends(_template_query)]
"""The query of a template listing: its channel and page."""


def _template_page(
    state: EmulatorState,
    account_id: str,
    query: _TemplateQuery,
    kind: str,
    item: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    find_channel(state, account_id, query.channel_id)
    where = "channel_id = :channel AND kind = :kind"
    params = {"channel": query.channel_id, "kind": kind}
    return page_envelope(state.db, _TEMPLATES, where, params, query.window, item)


@router.get("/templates", **document_response(KakaoTemplateListOut))
async def list_templates(account_id: AccountId, state: State, query: _Templates) -> dict[str, Any]:
    """A channel's alimtalk templates; only ``sendable`` ones can be sent."""
    return _template_page(state, account_id, query, "alimtalk", _alimtalk)


@router.get("/brand-templates", **document_response(BrandTemplateListOut))
async def list_brand_templates(
    account_id: AccountId, state: State, query: _Templates
) -> dict[str, Any]:
    """A channel's brand message templates (no review: every listed one can be sent)."""
    return _template_page(state, account_id, query, "brand", _brand)


def _form(request: Request, raw: bytes) -> tuple[dict[str, str], tuple[str | None, bytes] | None]:
    """The text fields and the ``image`` file of a multipart/form-data body."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise fail(400, "VALIDATION", "Expected a multipart/form-data body")
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(head + raw)
    fields: dict[str, str] = {}
    image: tuple[str | None, bytes] | None = None
    if not message.is_multipart():
        raise fail(400, "VALIDATION", "Expected a multipart/form-data body")
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if name == "image":
            image = (part.get_filename(), data)
        elif isinstance(name, str):
            fields[name] = data.decode("utf-8", "replace")
    return fields, image


@router.post(
    "/brand-images",
    **document_response(BrandImageUploadOut, status_code=201),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["image", "bubbleType"],
                        "properties": {
                            "image": {"type": "string", "format": "binary"},
                            "bubbleType": {"type": "string", "enum": list(IMAGE_BUBBLE_TYPES)},
                            "slot": {"type": "string", "enum": list(_SLOTS)},
                        },
                    }
                }
            },
        }
    },
)
async def upload_brand_image(
    account_id: AccountId, state: State, request: Request
) -> dict[str, Any]:
    """Upload an image for free-form brand messages; send its ``id`` as ``imageId``."""
    raw = await request.body()
    if len(raw) > _MAX_UPLOAD:
        raise EmulatorError(413, "Payload too large")
    fields, image = _form(request, raw)
    if image is None:
        raise fail(400, "VALIDATION", "Missing required file: image")
    bubble_type = fields.get("bubbleType")
    if bubble_type not in IMAGE_BUBBLE_TYPES:
        raise fail(
            400, "VALIDATION", f"Invalid bubbleType: use one of {', '.join(IMAGE_BUBBLE_TYPES)}"
        )
    slot = fields.get("slot", "main")
    if slot not in _SLOTS:
        raise fail(400, "VALIDATION", "Invalid slot: use main or sub")
    if len(image[1]) > _MAX_IMAGE:
        raise fail(400, "VALIDATION", "The image is larger than 5 MB")
    row = {
        "id": "KI" + secrets.token_hex(10),
        "account_id": account_id,
        "bubble_type": bubble_type,
        "slot": slot,
        "name": image[0],
        "size": len(image[1]),
        "created_at": now(),
    }
    insert(state.db, "kakao_brand_images", row)
    return {"id": row["id"]}


@router.get("/brand-images", **document_response(BrandImageListOut))
async def list_brand_images(
    account_id: AccountId,
    state: State,
    page: str | None = PAGE_QUERY,
    page_size: str | None = PAGE_SIZE_QUERY,
) -> dict[str, Any]:
    """Uploaded brand images, newest first."""
    window = read_page(page, page_size, code="VALIDATION")
    where = "account_id = :account"
    return page_envelope(state.db, _IMAGES, where, {"account": account_id}, window, _image)


def _image(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "bubbleType": row["bubble_type"],
        "slot": row["slot"],
        "name": row["name"],
        "createdAt": timestamp(row["created_at"]),
    }
