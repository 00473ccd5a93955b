"""``/assignment-links``: one-time links that let an end user take a number for the account.

A link is ``pending`` until its public URL is used (``POST /assign/{token}``, no API key:
the end user has none), which assigns the next free pool number with the link's webhook; it
may also expire or be revoked. Status follows from stored times, so it survives a restart.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from sdkcore.emulator import EmulatorError, document_response, json_request_body

from ._core_schemas import AssignmentLinkCreatedOut, AssignmentLinkListOut, AssignmentLinkOut
from ._deps import (
    ACCOUNT_PREFIX,
    OPTIONAL_URL_PATTERN,
    AccountId,
    EmulatorState,
    ErrorBody,
    State,
    check_url,
    read_body,
)
from ._numbers import from_pool
from ._paging import Paging
from ._routing import default_settings, write_settings
from ._schemas import NumberCreatedOut
from ._store import now, timestamp

__all__ = ["LINK_TTL", "public_router", "router"]

LINK_TTL = 7 * 24 * 3600.0
"""Seconds a link stays usable."""

_STATUSES = ("pending", "consumed", "expired", "revoked")
_NOTE_MAX = 200
_STATUS_SQL = (
    "CASE WHEN revoked_at IS NOT NULL THEN 'revoked'"
    " WHEN consumed_at IS NOT NULL THEN 'consumed'"
    " WHEN expires_at <= :now THEN 'expired' ELSE 'pending' END"
)
_SELECT = f"SELECT *, {_STATUS_SQL} AS status FROM assignment_links"

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/assignment-links", tags=["assignment-links"])
public_router = APIRouter(prefix="/assign", tags=["assignment-links"])


class _CreateLink(BaseModel):
    webhook_url: str | None = Field(
        default=None, alias="webhookUrl", json_schema_extra={"pattern": OPTIONAL_URL_PATTERN}
    )
    webhook_method: str | None = Field(
        default=None, alias="webhookMethod", json_schema_extra={"enum": ["POST", "GET", None]}
    )
    note: str | None = Field(default=None, json_schema_extra={"maxLength": _NOTE_MAX})


def _public_url(request: Request, token: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/assign/{token}"


def _item(request: Request, row: dict[str, Any]) -> dict[str, Any]:
    consumed = None if row["consumed_at"] is None else timestamp(row["consumed_at"])
    assignment = None
    if row["number"] is not None and consumed is not None:
        assignment = {"number": row["number"], "name": None, "consumedAt": consumed}
        assignment["releasedAt"] = None
    return {
        "linkId": row["id"],
        "url": _public_url(request, row["id"]),
        "status": row["status"],
        "createdAt": timestamp(row["created_at"]),
        "expiresAt": timestamp(row["expires_at"]),
        "consumedAt": consumed,
        "webhookUrl": row["webhook_url"],
        "webhookMethod": row["webhook_method"],
        "note": row["note"],
        "assignment": assignment,
    }


def _find(state: EmulatorState, link_id: str, account_id: str | None = None) -> dict[str, Any]:
    where = "id = :id" if account_id is None else "id = :id AND account_id = :account"
    row = state.db.query_one(
        f"{_SELECT} WHERE {where}", {"now": now(), "id": link_id, "account": account_id}
    )
    if row is None:
        raise EmulatorError(404, f"Assignment link {link_id} not found")
    return row


def _not_pending(row: dict[str, Any]) -> EmulatorError:
    message = f"Assignment link {row['id']} is {row['status']}, not pending"
    return EmulatorError(409, message, body={"error": message, "code": "NOT_PENDING"})


@router.post(
    "",
    **document_response(AssignmentLinkCreatedOut, status_code=201),
    openapi_extra=json_request_body(_CreateLink, body_required=False),
)
async def create_link(account_id: AccountId, state: State, request: Request) -> dict[str, Any]:
    """Create a pending link; hand its ``url`` to the end user who should get a number."""
    body = await read_body(request, _CreateLink)
    if body.webhook_url:
        check_url(body.webhook_url, "webhookUrl")
    if body.webhook_method not in (None, "POST", "GET"):
        raise EmulatorError(400, 'Invalid webhookMethod: use "POST" or "GET"')
    if body.note is not None and len(body.note) > _NOTE_MAX:
        raise EmulatorError(400, f"Invalid note: at most {_NOTE_MAX} characters")
    token = "al_" + secrets.token_hex(16)
    created = now()
    state.db.execute(
        "INSERT INTO assignment_links (id, account_id, webhook_url, webhook_method, note,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            token,
            account_id,
            body.webhook_url or None,
            body.webhook_method or "POST",
            body.note,
            created,
            created + LINK_TTL,
        ),
    )
    return {
        "token": token,
        "url": _public_url(request, token),
        "expiresAt": timestamp(created + LINK_TTL),
    }


@router.get("", **document_response(AssignmentLinkListOut))
async def list_links(
    account_id: AccountId,
    state: State,
    paging: Paging,
    request: Request,
    status: str | None = Query(default=None, json_schema_extra={"enum": list(_STATUSES)}),
) -> dict[str, Any]:
    """List the account's links, newest first, optionally only those in ``status``."""
    return paging.newest_first(
        state.db,
        table="assignment_links",
        account_id=account_id,
        status_sql=_STATUS_SQL,
        statuses=_STATUSES,
        status=status,
        item=lambda row: _item(request, row),
    )


@router.get("/{link_id}", **document_response(AssignmentLinkOut))
async def get_link(
    account_id: AccountId, state: State, link_id: str, request: Request
) -> dict[str, Any]:
    """Return one link of the account, with the number it assigned once consumed."""
    return _item(request, _find(state, link_id, account_id))


@router.delete(
    "/{link_id}",
    status_code=204,
    responses={409: {"model": ErrorBody, "description": "The link is no longer pending"}},
)
async def revoke_link(account_id: AccountId, state: State, link_id: str) -> Response:
    """Revoke a pending link; a consumed, expired or revoked one answers 409 ``NOT_PENDING``."""
    with state.db.transaction():
        row = _find(state, link_id, account_id)
        if row["status"] != "pending":
            raise _not_pending(row)
        state.db.execute(
            "UPDATE assignment_links SET revoked_at = ? WHERE id = ?", (now(), link_id)
        )
    return Response(status_code=204)


@public_router.post(
    "/{token}",
    **document_response(
        NumberCreatedOut,
        status_code=201,
        other_responses={409: {"model": ErrorBody, "description": "The link is not pending"}},
    ),
)
async def consume_link(state: State, token: str) -> dict[str, Any]:
    """What the end user's visit to a link does: assign the next free pool number."""
    with state.db.transaction():
        row = _find(state, token)
        if row["status"] != "pending":
            raise _not_pending(row)
        number = from_pool(state, None)
        consumed = now()
        state.db.execute(
            "INSERT INTO numbers (account_id, number, source, webhook_url, webhook_method,"
            " created_at) VALUES (?, ?, 'pool', ?, ?, ?)",
            (row["account_id"], number, row["webhook_url"], row["webhook_method"], consumed),
        )
        write_settings(state.db, row["account_id"], number, default_settings())
        state.db.execute(
            "UPDATE assignment_links SET consumed_at = ?, number = ? WHERE id = ?",
            (consumed, number, token),
        )
    return {"number": number, "source": "pool"}
