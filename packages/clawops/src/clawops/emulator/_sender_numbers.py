"""``/sender-numbers``: the numbers an account may send text messages from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from sdkcore.emulator import document_response, json_request_body

from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State, read_body
from ._messaging_schemas import SenderNumberListOut, SenderNumberOut
from ._messaging_store import (
    PHONE_PATTERN,
    fail,
    insert,
    normalize_phone,
    number_type,
    sender_id,
)
from ._store import now, timestamp

__all__ = ["require_sender", "router"]

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/sender-numbers", tags=["sender numbers"])


class _CreateSenderNumber(BaseModel):
    number: str | None = Field(default=None, json_schema_extra={"pattern": PHONE_PATTERN})


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "number": row["number"],
        "type": row["type"],
        "verificationMethod": row["verification_method"],
        "status": row["status"],
        "createdAt": timestamp(row["created_at"]),
    }


def require_sender(state: EmulatorState, account_id: str, number: str) -> None:
    """Refuse (400 ``from_not_registered``) a From number the account has not registered."""
    approved = state.db.scalar(
        "SELECT 1 FROM sender_numbers WHERE account_id = ? AND number = ? AND status = 'approved'",
        (account_id, normalize_phone(number) or number),
    )
    if approved is None:
        raise fail(400, "from_not_registered", f"From number {number} is not a registered sender")


@router.get("", **document_response(SenderNumberListOut))
async def list_sender_numbers(account_id: AccountId, state: State) -> dict[str, Any]:
    """The account's sender numbers, newest first, and how many more it may register."""
    rows = state.db.query(
        "SELECT * FROM sender_numbers WHERE account_id = ? ORDER BY created_at DESC, rowid DESC",
        (account_id,),
    )
    limit = state.config.max_numbers
    return {
        "senderNumbers": [_resource(row) for row in rows],
        "grace": [],
        "limit": {"used": len(rows), "limit": limit, "reached": len(rows) >= limit},
    }


@router.post(
    "",
    **document_response(SenderNumberOut, status_code=201),
    openapi_extra=json_request_body(_CreateSenderNumber, required=("number",)),
)
async def create_sender_number(
    account_id: AccountId, state: State, request: Request
) -> dict[str, Any]:
    """Register a number the account holds as a sender number; it is approved at once."""
    body = await read_body(request, _CreateSenderNumber)
    number = normalize_phone(body.number or "")
    if number is None:
        raise fail(400, "invalid_phone", "Invalid number: expected a phone number")
    held = state.db.scalar(
        "SELECT 1 FROM numbers WHERE account_id = ? AND number = ?", (account_id, number)
    )
    if held is None:
        raise fail(
            404,
            "sender_number_not_account_number",
            f"Number {number} is not a number of this account",
        )
    existing = state.db.scalar(
        "SELECT 1 FROM sender_numbers WHERE account_id = ? AND number = ?", (account_id, number)
    )
    if existing is not None:
        raise fail(
            409, "sender_number_already_registered", f"Number {number} is already registered"
        )
    used = state.db.scalar(
        "SELECT COUNT(*) FROM sender_numbers WHERE account_id = ?", (account_id,)
    )
    if used >= state.config.max_numbers:
        raise fail(
            422, "sender_number_limit_reached", "The account's sender number limit is reached"
        )
    row = {
        "id": sender_id(account_id, number),
        "account_id": account_id,
        "number": number,
        "type": number_type(number),
        "verification_method": "own_provisioned",
        "status": "approved",
        "created_at": now(),
    }
    insert(state.db, "sender_numbers", row)
    return _resource(row)


@router.delete("/{sender_number_id}", status_code=204, response_class=Response)
async def delete_sender_number(account_id: AccountId, state: State, sender_number_id: str) -> None:
    """Remove a sender number: the number can no longer send text messages."""
    removed = state.db.execute(
        "DELETE FROM sender_numbers WHERE id = ? AND account_id = ?", (sender_number_id, account_id)
    )
    if removed < 1:
        raise fail(404, "sender_number_not_found", f"Sender number {sender_number_id} not found")
