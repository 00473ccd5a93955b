"""``/kakao/channels`` and ``/kakao/channel-categories``: connect Kakao business channels.

Connecting takes two steps, as in the API: ``POST /kakao/channels/token`` "texts" a code to the
channel manager, ``POST /kakao/channels`` connects with it. The emulator has no phone to text,
so the code is always `DEMO_KAKAO_TOKEN` (printed in the banner); a connect with no pending
request, or a wrong code, answers 422 ``KAKAO_TOKEN_INVALID`` and uses the request up.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.convertors import Convertor, register_url_convertor

from sdkcore.emulator import document_response, json_request_body

from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State, read_body
from ._messaging_schemas import (
    ChannelCategoryListOut,
    KakaoChannelListOut,
    KakaoChannelOut,
    KakaoTokenOut,
)
from ._messaging_store import (
    DEMO_KAKAO_TOKEN,
    PHONE_PATTERN,
    fail,
    insert,
    normalize_phone,
    page_envelope,
    read_page,
)
from ._paging import PAGE_QUERY, PAGE_SIZE_QUERY
from ._store import now, timestamp

__all__ = ["find_channel", "router"]

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/kakao", tags=["kakao channels"])

CATEGORIES = (
    ("00100010001", "Retail / Online shopping"),
    ("00200020001", "Food / Restaurants"),
    ("00300030001", "Education / Academies"),
    ("00400040001", "Finance / Insurance"),
    ("00500050001", "Healthcare / Clinics"),
)
_CATEGORY_CODES = tuple(code for code, _ in CATEGORIES)
_RETRY_AFTER = 30
_SEARCH_ID = re.compile(r"@?([A-Za-z0-9_.-]{1,40})")
_SEARCH_ID_PATTERN = r"^@?[A-Za-z0-9_.-]{1,40}$"
_SELECT = "SELECT *, connected_at AS created_at FROM kakao_channels"


class _ChannelId(Convertor[str]):
    """A channel id in a path: anything but ``token``, so ``/channels/token`` (POST only) is
    not also ``/channels/{channel_id}`` (GET, DELETE) and a 405 there allows just POST."""

    regex = "(?!token$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("kakao_channel_id", _ChannelId())


class _TokenRequest(BaseModel):
    search_id: str | None = Field(
        default=None, alias="searchId", json_schema_extra={"pattern": _SEARCH_ID_PATTERN}
    )
    phone_number: str | None = Field(
        default=None, alias="phoneNumber", json_schema_extra={"pattern": PHONE_PATTERN}
    )


class _Connect(_TokenRequest):
    category_code: str | None = Field(
        default=None, alias="categoryCode", json_schema_extra={"enum": list(_CATEGORY_CODES)}
    )
    token: str | None = Field(default=None, json_schema_extra={"minLength": 1})


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    synced = row["synced_at"]
    return {
        "id": row["id"],
        "searchId": row["search_id"],
        "name": row["name"],
        "categoryCode": row["category_code"],
        "status": "connected",
        "managerPhoneMasked": row["manager_phone_masked"],
        "connectedAt": timestamp(row["connected_at"]),
        "syncedAt": None if synced is None else timestamp(synced),
        "createdAt": timestamp(row["connected_at"]),
        "updatedAt": timestamp(row["updated_at"]),
    }


def find_channel(
    state: EmulatorState, account_id: str, channel_id: str, *, code: str = "not_found"
) -> dict[str, Any]:
    """The channel ``channel_id`` connected to the account; otherwise 404 with ``code``."""
    row = state.db.query_one(f"{_SELECT} WHERE id = ? AND account_id = ?", (channel_id, account_id))
    if row is None:
        raise fail(404, code, f"Kakao channel {channel_id} is not connected to this account")
    return row


def _search_id(value: str | None) -> str:
    match = _SEARCH_ID.fullmatch(value or "")
    if match is None:
        raise fail(400, "VALIDATION", "Invalid searchId: expected a Kakao channel search id")
    return match[1]


def _phone(value: str | None) -> str:
    number = normalize_phone(value or "")
    if number is None:
        raise fail(400, "VALIDATION", "Invalid phoneNumber: expected a phone number")
    return number


def _masked(number: str) -> str:
    return f"{number[:3]}-****-{number[-4:]}"


@router.get("/channel-categories", **document_response(ChannelCategoryListOut))
async def channel_categories(account_id: AccountId) -> dict[str, Any]:
    """The business categories a channel may be connected under."""
    return {
        "data": [{"code": code, "name": name} for code, name in CATEGORIES],
        "meta": {"fetchedAt": timestamp(now()), "cached": False},
    }


@router.get("/channels", **document_response(KakaoChannelListOut))
async def list_channels(
    account_id: AccountId,
    state: State,
    status: str | None = Query(
        default=None, json_schema_extra={"enum": ["connected", "needs_attention", "all"]}
    ),
    page: str | None = PAGE_QUERY,
    page_size: str | None = PAGE_SIZE_QUERY,
) -> dict[str, Any]:
    """Channels connected to the account, newest first (every emulated channel is connected)."""
    window = read_page(page, page_size, code="VALIDATION")
    if status not in (None, "connected", "needs_attention", "all"):
        raise fail(400, "VALIDATION", "Invalid status: use connected, needs_attention or all")
    where = "account_id = :account" + (" AND 0" if status == "needs_attention" else "")
    return page_envelope(state.db, _SELECT, where, {"account": account_id}, window, _resource)


@router.get("/channels/{channel_id:kakao_channel_id}", **document_response(KakaoChannelOut))
async def retrieve_channel(account_id: AccountId, state: State, channel_id: str) -> dict[str, Any]:
    """One channel, its state checked "with Kakao" now (which sets ``syncedAt``)."""
    find_channel(state, account_id, channel_id)
    state.db.execute("UPDATE kakao_channels SET synced_at = ? WHERE id = ?", (now(), channel_id))
    return _resource(find_channel(state, account_id, channel_id))


@router.post(
    "/channels/token",
    **document_response(KakaoTokenOut, status_code=202),
    openapi_extra=json_request_body(_TokenRequest, required=("searchId", "phoneNumber")),
)
async def request_token(account_id: AccountId, state: State, request: Request) -> dict[str, Any]:
    """Send the verification code to the channel manager's phone (never in the response)."""
    body = await read_body(request, _TokenRequest)
    search_id = _search_id(body.search_id)
    phone = _phone(body.phone_number)
    state.db.execute(
        "INSERT OR REPLACE INTO kakao_tokens (account_id, search_id, phone_number, requested_at)"
        " VALUES (?, ?, ?, ?)",
        (account_id, search_id, phone, now()),
    )
    return {
        "requested": True,
        "searchId": search_id,
        "phoneNumberMasked": _masked(phone),
        "retryAfterSeconds": _RETRY_AFTER,
    }


@router.post(
    "/channels",
    **document_response(KakaoChannelOut, status_code=201),
    openapi_extra=json_request_body(
        _Connect, required=("searchId", "phoneNumber", "categoryCode", "token")
    ),
)
async def connect_channel(
    account_id: AccountId, state: State, request: Request, response: Response
) -> dict[str, Any]:
    """Connect a channel with the code sent to its manager; connecting it again returns it (200)."""
    body = await read_body(request, _Connect)
    search_id = _search_id(body.search_id)
    phone = _phone(body.phone_number)
    if body.category_code not in _CATEGORY_CODES:
        raise fail(400, "VALIDATION", "Invalid categoryCode: see /kakao/channel-categories")
    if not body.token:
        raise fail(400, "VALIDATION", "Missing required field: token")
    linked = state.db.query_one(f"{_SELECT} WHERE search_id = ?", (search_id,))
    if linked is not None and linked["account_id"] == account_id:
        response.status_code = 200
        return _resource(linked)
    if linked is not None:
        raise fail(409, "KAKAO_CHANNEL_ALREADY_LINKED", "The channel is linked to another account")
    # A failed attempt uses the code up too, as the API does.
    pending = state.db.execute(
        "DELETE FROM kakao_tokens WHERE account_id = ? AND search_id = ? AND phone_number = ?",
        (account_id, search_id, phone),
    )
    if pending < 1 or body.token != DEMO_KAKAO_TOKEN:
        raise fail(422, "KAKAO_TOKEN_INVALID", "The verification code is wrong or expired")
    connected = now()
    row = {
        "id": "KC" + secrets.token_hex(8),
        "account_id": account_id,
        "search_id": search_id,
        "name": search_id,
        "category_code": body.category_code,
        "manager_phone_masked": _masked(phone),
        "connected_at": connected,
        "synced_at": connected,
        "updated_at": connected,
    }
    insert(state.db, "kakao_channels", row)
    return _resource(row)


@router.delete("/channels/{channel_id:kakao_channel_id}", **document_response(KakaoChannelOut))
async def disconnect_channel(
    account_id: AccountId, state: State, channel_id: str
) -> dict[str, Any]:
    """Disconnect a channel; its templates are deleted with it."""
    row = find_channel(state, account_id, channel_id)
    state.db.execute("DELETE FROM kakao_channels WHERE id = ?", (channel_id,))
    return _resource(row)
