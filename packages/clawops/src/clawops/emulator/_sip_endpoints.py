"""``/sip-endpoints``: the account's SIP endpoints (PBX trunks), read only (list, get).

Every account holds one from the start (see `demo_endpoint_id`); its id is what a number's
``routingType: "sip"`` names.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query

from sdkcore.emulator import EmulatorError, document_response

from ._core_schemas import SipEndpointOut, SipEndpointPageOut
from ._deps import ACCOUNT_PREFIX, AccountId, State
from ._paging import Paging
from ._sip_credentials import STATUSES, oldest_first
from ._store import timestamp

__all__ = ["router"]

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/sip-endpoints", tags=["sip"])


def _item(row: dict[str, Any]) -> dict[str, Any]:
    created = timestamp(row["created_at"])
    return {
        "id": row["id"],
        "accountId": row["account_id"],
        "name": row["name"],
        "maxConcurrent": row["max_concurrent"],
        "status": "active",
        "routes": json.loads(row["routes"]),
        "dateCreated": created,
        "dateUpdated": created,
    }


@router.get("", **document_response(SipEndpointPageOut))
async def list_sip_endpoints(
    account_id: AccountId,
    state: State,
    paging: Paging,
    status: str | None = Query(default=None, json_schema_extra={"enum": list(STATUSES)}),
) -> dict[str, Any]:
    """List the account's SIP endpoints, oldest first."""
    return oldest_first(state, account_id, paging, status, "sip_endpoints", _item)


@router.get("/{endpoint_id}", **document_response(SipEndpointOut))
async def get_sip_endpoint(account_id: AccountId, state: State, endpoint_id: str) -> dict[str, Any]:
    """Return one SIP endpoint of the account."""
    row = state.db.query_one(
        "SELECT * FROM sip_endpoints WHERE id = ? AND account_id = ?", (endpoint_id, account_id)
    )
    if row is None:
        raise EmulatorError(404, f"SIP endpoint {endpoint_id} not found")
    return _item(row)
