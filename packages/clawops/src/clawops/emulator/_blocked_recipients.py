"""``/blocked-recipients``: the do-not-contact list; sends to an active entry are refused."""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from sdkcore.emulator import document_response, json_request_body

from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State, read_body
from ._messaging_schemas import BlockedRecipientListOut, BlockedRecipientOut
from ._messaging_store import check_choice, fail, insert, normalize_phone, page_envelope, read_page
from ._paging import PAGE_QUERY, PAGE_SIZE_QUERY
from ._store import now, timestamp

__all__ = ["refuse_if_blocked", "router"]

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/blocked-recipients", tags=["blocked recipients"])

CHANNELS = ("call", "message", "email")
SOURCES = ("api", "console", "import", "agent")
STATUSES = ("active", "released", "all")
_MAX_NOTE = 500
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SELECT = "SELECT * FROM blocked_recipients"


class _CreateBlock(BaseModel):
    recipient: str | None = Field(default=None, json_schema_extra={"minLength": 1})
    channel: str | None = Field(default=None, json_schema_extra={"enum": list(CHANNELS)})
    source: str | None = Field(default=None, json_schema_extra={"enum": list(SOURCES)})
    source_ref: str | None = Field(default=None, alias="sourceRef")
    note: str | None = Field(default=None, json_schema_extra={"maxLength": _MAX_NOTE})


class _UpdateBlock(BaseModel):
    note: str | None = Field(default=None, json_schema_extra={"maxLength": _MAX_NOTE})


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    unblocked = row["unblocked_at"]
    return {
        "id": row["id"],
        "recipient": row["recipient"],
        "channel": row["channel"],
        "active": bool(row["active"]),
        "source": row["source"],
        "sourceRef": row["source_ref"],
        "note": row["note"],
        "createdBy": None,
        "createdAt": timestamp(row["created_at"]),
        "updatedAt": timestamp(row["updated_at"]),
        "unblockedAt": None if unblocked is None else timestamp(unblocked),
        "unblockedSource": row["unblocked_source"],
        "unblockedBy": None,
        "unblockedNote": row["unblocked_note"],
    }


def _normalize(recipient: str, channel: str) -> str:
    if channel == "email":
        address = recipient.strip().lower()
        if not _EMAIL.fullmatch(address):
            raise fail(400, "VALIDATION", "Invalid recipient: expected an email address")
        return address
    number = normalize_phone(recipient)
    if number is None:
        raise fail(400, "VALIDATION", "Invalid recipient: expected a phone number")
    return number


def _check_note(note: str | None) -> None:
    if note is not None and len(note) > _MAX_NOTE:
        raise fail(400, "VALIDATION", f"Invalid note: at most {_MAX_NOTE} characters")


def refuse_if_blocked(state: EmulatorState, account_id: str, to: str, channel: str) -> None:
    """Refuse (422 ``recipient_blocked``) a send to an actively blocked recipient."""
    blocked = state.db.scalar(
        "SELECT 1 FROM blocked_recipients WHERE account_id = ? AND channel = ?"
        " AND recipient = ? AND active = 1",
        (account_id, channel, normalize_phone(to) or to),
    )
    if blocked is not None:
        raise fail(422, "recipient_blocked", f"Recipient {to} is on the blocked list")


def _find(state: EmulatorState, account_id: str, block_id: str) -> dict[str, Any]:
    row = state.db.query_one(f"{_SELECT} WHERE id = ? AND account_id = ?", (block_id, account_id))
    if row is None:
        raise fail(404, "not_found", f"Blocked recipient {block_id} not found")
    return row


async def _read_note(
    request: Request, state: EmulatorState, account_id: str, block_id: str
) -> str | None:
    """The checked ``note`` of an update or release body, once the entry is known to exist."""
    body = await read_body(request, _UpdateBlock)
    _check_note(body.note)
    _find(state, account_id, block_id)
    return body.note


@router.post(
    "",
    **document_response(BlockedRecipientOut, status_code=201),
    openapi_extra=json_request_body(_CreateBlock, required=("recipient", "channel")),
)
async def create_block(account_id: AccountId, state: State, request: Request) -> dict[str, Any]:
    """Block a recipient on one channel; blocking an already blocked one returns that entry."""
    body = await read_body(request, _CreateBlock)
    if body.channel not in CHANNELS:
        raise fail(400, "VALIDATION", f"Invalid channel: use one of {', '.join(CHANNELS)}")
    check_choice(body.source, SOURCES, "source", "VALIDATION")
    _check_note(body.note)
    recipient = _normalize(body.recipient or "", body.channel)
    existing = state.db.query_one(
        f"{_SELECT} WHERE account_id = ? AND channel = ? AND recipient = ? AND active = 1",
        (account_id, body.channel, recipient),
    )
    if existing is not None:
        return _resource(existing)
    created = now()
    row = {
        "id": "BR" + secrets.token_hex(12),
        "account_id": account_id,
        "recipient": recipient,
        "channel": body.channel,
        "active": 1,
        "source": body.source or "api",
        "source_ref": body.source_ref,
        "note": body.note,
        "created_at": created,
        "updated_at": created,
        "unblocked_at": None,
        "unblocked_source": None,
        "unblocked_note": None,
    }
    insert(state.db, "blocked_recipients", row)
    return _resource(row)


@router.get("", **document_response(BlockedRecipientListOut))
async def list_blocks(
    account_id: AccountId,
    state: State,
    channel: str | None = Query(default=None, json_schema_extra={"enum": list(CHANNELS)}),
    recipient: str | None = None,
    status: str | None = Query(default=None, json_schema_extra={"enum": list(STATUSES)}),
    page: str | None = PAGE_QUERY,
    page_size: str | None = PAGE_SIZE_QUERY,
) -> dict[str, Any]:
    """Blocked recipients, newest first; by default only the active ones."""
    window = read_page(page, page_size, code="VALIDATION")
    check_choice(channel, CHANNELS, "channel", "VALIDATION")
    check_choice(status, STATUSES, "status", "VALIDATION")
    where = ["account_id = :account"]
    params: dict[str, Any] = {"account": account_id}
    if status != "all":
        where.append("active = :active")
        params["active"] = 0 if status == "released" else 1
    if channel is not None:
        where.append("channel = :channel")
        params["channel"] = channel
    if recipient:
        where.append("recipient IN (:raw, :phone)")
        params["raw"] = recipient.strip().lower()
        params["phone"] = normalize_phone(recipient) or recipient
    return page_envelope(state.db, _SELECT, " AND ".join(where), params, window, _resource)


@router.get("/{block_id}", **document_response(BlockedRecipientOut))
async def get_block(account_id: AccountId, state: State, block_id: str) -> dict[str, Any]:
    """One entry, released ones included (``active: false``)."""
    return _resource(_find(state, account_id, block_id))


@router.patch(
    "/{block_id}",
    **document_response(BlockedRecipientOut),
    openapi_extra=json_request_body(_UpdateBlock),
)
async def update_block(
    account_id: AccountId, state: State, block_id: str, request: Request
) -> dict[str, Any]:
    """Replace the entry's note (null clears it); recipient and channel never change."""
    note = await _read_note(request, state, account_id, block_id)
    state.db.execute(
        "UPDATE blocked_recipients SET note = ?, updated_at = ? WHERE id = ?",
        (note, now(), block_id),
    )
    return _resource(_find(state, account_id, block_id))


@router.delete(
    "/{block_id}",
    **document_response(BlockedRecipientOut),
    openapi_extra=json_request_body(_UpdateBlock, body_required=False),
)
async def release_block(
    account_id: AccountId, state: State, block_id: str, request: Request
) -> dict[str, Any]:
    """Release the entry; it stays as history and a second release keeps the first time."""
    note = await _read_note(request, state, account_id, block_id)
    released = now()
    state.db.execute(
        "UPDATE blocked_recipients SET active = 0, updated_at = :at, unblocked_at = :at,"
        " unblocked_source = 'api', unblocked_note = :note WHERE id = :id AND active = 1",
        {"at": released, "note": note, "id": block_id},
    )
    return _resource(_find(state, account_id, block_id))
