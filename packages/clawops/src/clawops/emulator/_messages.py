"""``/messages``: send text, alimtalk and brand messages, list and inspect them.

A message starts ``queued``, is ``sending`` after `EmulatorConfig.message_delay` seconds and
``sent`` after as many again. Like a call's, its status follows from stored times alone, so it
keeps moving on across restarts. A Kakao message to 010-0000-xxxx (no KakaoTalk there) ends
``failed``; an alimtalk's fallback text is stored with it, ``queued`` until the alimtalk
fails, then sent like any text.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import APIRouter, Query, Request

from sdkcore.emulator import document_response, inline_definitions

from ._blocked_recipients import refuse_if_blocked
from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State, read_body
from ._message_rules import TEXT_TYPES, CreateMessage, Rendered, render
from ._messaging_schemas import MessageListOut, MessageOut
from ._messaging_store import (
    PHONE_PATTERN,
    check_choice,
    fail,
    insert,
    normalize_phone,
    page_envelope,
    read_page,
)
from ._paging import PAGE_QUERY, PAGE_SIZE_QUERY
from ._sender_numbers import require_sender
from ._store import now, timestamp

__all__ = ["router"]

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/messages", tags=["messages"])

MESSAGE_TYPES = (*TEXT_TYPES, "ata", "bms")
FILTER_STATUSES = ("queued", "sent", "failed", "received")
NO_KAKAOTALK_PREFIX = "0100000"
"""Recipients 010-0000-xxxx have no KakaoTalk: Kakao messages to them fail."""
_STATUS_SQL = (
    "CASE WHEN done_at <= :now THEN outcome WHEN sending_at <= :now THEN 'sending'"
    " ELSE 'queued' END"
)
_UPDATED_SQL = "CASE WHEN done_at <= :now THEN done_at WHEN sending_at <= :now THEN sending_at END"
_SELECT = f"SELECT *, {_STATUS_SQL} AS status, {_UPDATED_SQL} AS updated_at FROM messages"


def _create_schema() -> dict[str, Any]:
    schema = inline_definitions(CreateMessage.model_json_schema(by_alias=True))
    properties = schema["properties"]
    for name in ("To", "From"):
        properties[name] = {"type": "string", "pattern": PHONE_PATTERN}
    properties["Type"] = {"anyOf": [{"enum": list(MESSAGE_TYPES)}, {"type": "null"}]}
    schema["required"] = ["To", "From"]
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    media = json.loads(row["media_url"]) if row["media_url"] else None
    updated = row["updated_at"]
    return {
        "messageId": row["id"],
        "status": row["status"],
        "type": row["type"],
        "to": row["to_number"],
        "from": row["from_number"],
        "subject": row["subject"],
        "body": row["body"],
        "numMedia": len(media or ()),
        "mediaUrl": media,
        "direction": "outbound",
        "accountId": row["account_id"],
        "dateCreated": timestamp(row["created_at"]),
        "dateUpdated": None if updated is None else timestamp(updated),
    }


def _phone(value: str | None, field: str) -> str:
    number = normalize_phone(value or "")
    if number is None:
        raise fail(400, "invalid_phone", f"Invalid {field}: expected a phone number")
    return number


@router.post("", **document_response(MessageOut, status_code=201), openapi_extra=_create_schema())
async def create_message(account_id: AccountId, state: State, request: Request) -> dict[str, Any]:
    """Send a text (Body), alimtalk (Kakao) or brand (Brand) message."""
    message = await read_body(request, CreateMessage)
    to = _phone(message.to, "To")
    from_ = _phone(message.from_, "From")
    rendered = render(state, account_id, message)
    require_sender(state, account_id, from_)
    refuse_if_blocked(state, account_id, to, "message")
    created = now()
    delay = state.config.message_delay
    # Kakao cannot reach a number without KakaoTalk: the message fails when it would have
    # been delivered, and an alimtalk's fallback text, queued behind it, goes out instead.
    undeliverable = rendered.type in ("ata", "bms") and to.startswith(NO_KAKAOTALK_PREFIX)
    row = _row(account_id, to, from_, rendered, created, created + delay, delay)
    row["outcome"] = "failed" if undeliverable else "sent"
    with state.db.transaction():
        insert(state.db, "messages", row)
        if undeliverable and rendered.fallback is not None:
            fallback = _row(
                account_id, to, from_, rendered.fallback, created, row["done_at"], delay
            )
            insert(state.db, "messages", fallback)
    # The response shows the message as accepted, even when a zero delay sent it at once.
    return _resource({**row, "status": "queued", "updated_at": None})


def _row(
    account_id: str,
    to: str,
    from_: str,
    rendered: Rendered,
    created: float,
    sending: float,
    delay: float,
) -> dict[str, Any]:
    """A message stored at ``created`` that is ``sending`` from then, for ``delay`` seconds."""
    return {
        "id": "MG" + secrets.token_hex(16),
        "account_id": account_id,
        "type": rendered.type,
        "to_number": to,
        "from_number": from_,
        "subject": rendered.subject,
        "body": rendered.body,
        "media_url": None if rendered.media_url is None else json.dumps(rendered.media_url),
        "channel_id": rendered.channel_id,
        "template_id": rendered.template_id,
        "outcome": "sent",
        "created_at": created,
        "sending_at": sending,
        "done_at": sending + delay,
    }


@router.get("", **document_response(MessageListOut))
async def list_messages(
    account_id: AccountId,
    state: State,
    type: str | None = Query(default=None, json_schema_extra={"enum": list(MESSAGE_TYPES)}),
    status: str | None = Query(default=None, json_schema_extra={"enum": list(FILTER_STATUSES)}),
    number: str | None = None,
    page: str | None = PAGE_QUERY,
    page_size: str | None = PAGE_SIZE_QUERY,
) -> dict[str, Any]:
    """The account's messages, newest first, optionally filtered."""
    window = read_page(page, page_size, code="invalid_input")
    check_choice(type, MESSAGE_TYPES, "type", "invalid_input")
    check_choice(status, FILTER_STATUSES, "status", "invalid_input")
    where = ["account_id = :account"]
    params: dict[str, Any] = {"now": now(), "account": account_id}
    if type is not None:
        where.append("type = :type")
        params["type"] = type
    if status is not None:
        where.append(f"({_STATUS_SQL}) = :status")
        params["status"] = status
    if number:
        where.append(":number IN (to_number, from_number)")
        params["number"] = normalize_phone(number) or number
    return page_envelope(state.db, _SELECT, " AND ".join(where), params, window, _resource)


def _find(state: EmulatorState, account_id: str, message_id: str) -> dict[str, Any]:
    row = state.db.query_one(
        f"{_SELECT} WHERE id = :id AND account_id = :account",
        {"now": now(), "id": message_id, "account": account_id},
    )
    if row is None:
        raise fail(404, "not_found", f"Message {message_id} not found")
    return row


@router.get("/{message_id}", **document_response(MessageOut))
async def get_message(account_id: AccountId, state: State, message_id: str) -> dict[str, Any]:
    """One message of the account, with its current status."""
    return _resource(_find(state, account_id, message_id))
