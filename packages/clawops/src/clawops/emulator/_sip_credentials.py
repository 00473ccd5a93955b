"""``/sip-credentials``: the 0.70.0 wire's read-only view of the SIP credentials (list, get).

The same credentials the seed's ``/sip/credentials`` creates; their id is what a number's
``routingType: "softphone"`` names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query

from sdkcore.emulator import EmulatorError, document_response

from ._core_schemas import SipCredentialItemOut, SipCredentialPageOut
from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State
from ._paging import PageRequest, Paging
from ._store import timestamp

__all__ = ["STATUSES", "oldest_first", "router"]

STATUSES = ("active", "disabled")

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/sip-credentials", tags=["sip"])


def oldest_first(
    state: EmulatorState,
    account_id: str,
    paging: PageRequest,
    status: str | None,
    table: str,
    item: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """A page of the account's (always active) rows of ``table``, oldest first, filtered by
    ``status``."""
    if status is not None and status not in STATUSES:
        raise EmulatorError(400, f"Invalid status: use one of {', '.join(STATUSES)}")
    if status == "disabled":
        return paging.envelope([], 0)
    return paging.fetch(
        state.db,
        table=table,
        where="account_id = :account",
        params={"account": account_id},
        order="created_at, rowid",
        item=item,
    )


def _item(state: EmulatorState, row: dict[str, Any]) -> dict[str, Any]:
    created = timestamp(row["created_at"])
    return {
        "id": row["id"],
        "accountId": row["account_id"],
        "name": row["display_name"],
        "username": row["username"],
        "realm": state.config.sip_server,
        "enabled": True,
        "status": "active",
        "ipAclId": None,
        "allowedNumbers": [],
        "lastUsedAt": None,
        "dateCreated": created,
        "dateUpdated": created,
    }


@router.get("", **document_response(SipCredentialPageOut))
async def list_sip_credentials(
    account_id: AccountId,
    state: State,
    paging: Paging,
    status: str | None = Query(default=None, json_schema_extra={"enum": list(STATUSES)}),
) -> dict[str, Any]:
    """List the account's SIP credentials, oldest first, without passwords."""
    return oldest_first(
        state, account_id, paging, status, "sip_credentials", lambda row: _item(state, row)
    )


@router.get("/{credential_id}", **document_response(SipCredentialItemOut))
async def get_sip_credential(
    account_id: AccountId, state: State, credential_id: str
) -> dict[str, Any]:
    """Return one SIP credential of the account, without its password."""
    row = state.db.query_one(
        "SELECT * FROM sip_credentials WHERE id = ? AND account_id = ?",
        (credential_id, account_id),
    )
    if row is None:
        raise EmulatorError(404, f"SIP credential {credential_id} not found")
    return _item(state, row)
