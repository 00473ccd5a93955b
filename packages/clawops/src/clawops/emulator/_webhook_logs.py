"""``/webhooks``: every webhook the emulator delivered for an account, and each one's log.

A webhook is a URL the account's callbacks go to; its id is derived from the account and the
URL (the same on every start), so the log is a view of ``callback_deliveries``, the table
the dispatcher already keeps, and stays complete across restarts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter

from sdkcore.emulator import EmulatorError, document_response

from ._core_schemas import WebhookListOut, WebhookLogPageOut
from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State
from ._paging import Paging
from ._store import timestamp

__all__ = ["router", "webhook_id"]

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/webhooks", tags=["webhooks"])


def webhook_id(account_id: str, url: str) -> str:
    """The id of the webhook that delivers an account's callbacks to ``url``."""
    return "WH" + hashlib.sha256(f"{account_id}\n{url}".encode()).hexdigest()[:24]


def _webhooks(state: EmulatorState, account_id: str) -> list[dict[str, Any]]:
    rows = state.db.query(
        "SELECT url, COUNT(*) AS deliveries FROM callback_deliveries WHERE account_id = ?"
        " GROUP BY url ORDER BY MIN(id)",
        (account_id,),
    )
    return [
        {
            "id": webhook_id(account_id, row["url"]),
            "url": row["url"],
            "deliveries": row["deliveries"],
        }
        for row in rows
    ]


def _log(state: EmulatorState, hook: str, row: dict[str, Any]) -> dict[str, Any]:
    status = "pending" if row["status"] in ("pending", "sending") else row["status"]
    finished = {"delivered": row["delivered_at"], "failed": row["next_attempt_at"]}.get(status)
    event = row["event"] if "." in row["event"] else f"call.{row['event']}"
    return {
        "id": f"WL{row['id']}",
        "webhookId": hook,
        "event": event,
        "requestUrl": row["url"],
        "requestPayload": json.loads(row["params"]),
        "responseStatus": row["response_status"],
        "responseBody": row["last_error"],
        "responseTimeMs": None,
        "status": status,
        "attempt": row["attempts"],
        "maxAttempts": state.config.callback_retries + 1,
        "createdAt": timestamp(row["created_at"]),
        "completedAt": None if finished is None else timestamp(finished),
    }


@router.get("", **document_response(WebhookListOut))
async def list_webhooks(account_id: AccountId, state: State) -> dict[str, Any]:
    """The URLs the account's callbacks were delivered to, first used first, with their ids."""
    return {"data": _webhooks(state, account_id)}


@router.get("/{webhook_id}/logs", **document_response(WebhookLogPageOut))
async def list_webhook_logs(
    account_id: AccountId, state: State, webhook_id: str, paging: Paging
) -> dict[str, Any]:
    """One page of a webhook's deliveries, newest first (each with its latest attempt)."""
    url = next((w["url"] for w in _webhooks(state, account_id) if w["id"] == webhook_id), None)
    if url is None:
        raise EmulatorError(404, f"Webhook {webhook_id} not found")
    return paging.fetch(
        state.db,
        table="callback_deliveries",
        where="account_id = :account AND url = :url",
        params={"account": account_id, "url": url},
        order="id DESC",
        item=lambda row: _log(state, webhook_id, row),
    )
