"""``/calls``: place, list, inspect and end simulated outbound calls."""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from sdkcore.emulator import EmulatorError, document_response, json_request_body

from ._blocked_recipients import refuse_if_blocked
from ._deps import (
    ACCOUNT_PREFIX,
    OPTIONAL_URL_PATTERN,
    URL_PATTERN,
    AccountId,
    EmulatorState,
    State,
    check_url,
    read_body,
    require,
)
from ._lifecycle import (
    CALL_STATUSES,
    FINAL_STAGE,
    HANGUP_SQL,
    STAGES,
    STATUS_SQL,
    call_duration,
    parse_events,
    plan_call,
)
from ._paging import MAX_PAGE_SIZE, Paging
from ._schemas import CallControlOut, CallListOut, CallOut
from ._store import now, timestamp

__all__ = ["MAX_PAGE_SIZE", "find_call", "has_recording", "router"]

_PHONE_NUMBER = re.compile(r"\d{3,20}")
_SIP_URI = re.compile(r"sip:(?P<user>[^@\s]+)@(?P<host>[^@\s:;?]+)(?::\d+)?(?:[;?]\S*)?", re.I)

# With whether the recording was deleted, which `recordingUrl` depends on.
_COLUMNS = (
    f"*, {STATUS_SQL} AS status, (SELECT recording_deleted_at FROM call_media"
    " WHERE call_media.call_id = calls.id) AS recording_deleted_at"
)
_SELECT = f"SELECT {_COLUMNS} FROM calls"

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/calls", tags=["calls"])


_STAGE = "|".join(STAGES)
# The documented shapes of what the handlers check (ECMAScript regexes, as OpenAPI wants).
_TO_PATTERN = r"^(\d{3,20}|[Ss][Ii][Pp]:[^@\s]+@[^@\s:;?]+(:\d+)?([;?]\S*)?)$"
_EVENTS_PATTERN = rf"^\s*({_STAGE})(\s+({_STAGE}))*\s*$"


class _CreateCall(BaseModel):
    to: str | None = Field(default=None, alias="To", json_schema_extra={"pattern": _TO_PATTERN})
    from_: str | None = Field(default=None, alias="From", json_schema_extra={"minLength": 1})
    url: str | None = Field(default=None, alias="Url", json_schema_extra={"pattern": URL_PATTERN})
    status_callback: str | None = Field(
        default=None, alias="StatusCallback", json_schema_extra={"pattern": OPTIONAL_URL_PATTERN}
    )
    status_callback_event: str | None = Field(
        default=None, alias="StatusCallbackEvent", json_schema_extra={"pattern": _EVENTS_PATTERN}
    )


class _UpdateCall(BaseModel):
    status: str | None = Field(
        default=None, alias="Status", json_schema_extra={"enum": ["completed"]}
    )


def _resource(call: dict[str, Any]) -> dict[str, Any]:
    ended = call["status"] in ("completed", "failed")
    recording = f"/v1/accounts/{call['account_id']}/recordings/{call['id']}"
    return {
        "callId": call["id"],
        "status": call["status"],
        "to": call["to_number"],
        "from": call["from_number"],
        "direction": call["direction"],
        "duration": call_duration(call) if ended else None,
        "accountId": call["account_id"],
        "dateCreated": timestamp(call["created_at"]),
        "dateUpdated": timestamp(call["end_at"]) if ended else None,
        "recordingUrl": recording if has_recording(call) else None,
    }


def has_recording(call: dict[str, Any]) -> bool:
    """Whether ``call`` (as `find_call` returns it) has a recording: it was answered, has
    ended, and its recording was not deleted."""
    return (
        call["status"] == "completed"
        and call["answer_at"] is not None
        and call.get("recording_deleted_at") is None
    )


def find_call(state: EmulatorState, account_id: str, call_id: str) -> dict[str, Any]:
    """The call ``call_id`` of the account, with its current ``status`` (404: none)."""
    call = state.db.query_one(
        f"{_SELECT} WHERE id = :id AND account_id = :account",
        {"now": now(), "id": call_id, "account": account_id},
    )
    if call is None:
        raise EmulatorError(404, f"Call {call_id} not found")
    return call


def _reachable(state: EmulatorState, to: str) -> bool:
    # Only SIP users of the emulated SIP server are known; any other callee answers.
    match = _SIP_URI.fullmatch(to)
    if match is None or match["host"].lower() != state.config.sip_server.lower():
        return True
    found = state.db.scalar("SELECT 1 FROM sip_credentials WHERE username = ?", (match["user"],))
    return found is not None


def _check_callee(to: str) -> None:
    if not (_PHONE_NUMBER.fullmatch(to) or _SIP_URI.fullmatch(to)):
        raise EmulatorError(400, "Invalid To: expected 3-20 digits or a sip: URI")


@router.post(
    "",
    **document_response(CallOut, status_code=201),
    openapi_extra=json_request_body(_CreateCall, required=("To", "From", "Url")),
)
async def create_call(account_id: AccountId, state: State, request: Request) -> dict[str, Any]:
    """Place an outbound call; it starts ``queued`` and advances on its own."""
    body = await read_body(request, _CreateCall)
    to = require(body.to, "To")
    from_ = require(body.from_, "From")
    url = check_url(require(body.url, "Url"), "Url")
    _check_callee(to)
    callback = check_url(body.status_callback, "StatusCallback") if body.status_callback else None
    events = parse_events(body.status_callback_event)
    if events is None:
        raise EmulatorError(
            400, "Invalid StatusCallbackEvent: use initiated, ringing, answered, completed"
        )
    registered = state.db.scalar(
        "SELECT 1 FROM numbers WHERE account_id = ? AND number = ?", (account_id, from_)
    )
    if registered is None:
        raise EmulatorError(400, "From number not registered")
    refuse_if_blocked(state, account_id, to, "call")
    created = now()
    plan = plan_call(created, state.config, reachable=_reachable(state, to))
    call = {
        "id": "CA" + secrets.token_hex(16),
        "account_id": account_id,
        "to_number": to,
        "from_number": from_,
        "direction": "outbound",
        "url": url,
        "status_callback": callback,
        "callback_events": events,
        "outcome": plan.outcome,
        "created_at": created,
        "ring_at": plan.ring_at,
        "answer_at": plan.answer_at,
        "end_at": plan.end_at,
        # -1: not even "initiated" has been reported; without a callback, nothing will be.
        "callback_stage": -1 if callback else FINAL_STAGE,
    }
    columns = ", ".join(call)
    placeholders = ", ".join(f":{name}" for name in call)
    state.db.execute(f"INSERT INTO calls ({columns}) VALUES ({placeholders})", call)
    state.dispatcher.wake()
    # The response shows the call as placed, even when zero delays move it on at once.
    return _resource({**call, "status": "queued"})


@router.get("", **document_response(CallListOut))
async def list_calls(
    account_id: AccountId,
    state: State,
    paging: Paging,
    # Checked below rather than by FastAPI, so a bad value answers 400 as the API does.
    status: str | None = Query(default=None, json_schema_extra={"enum": list(CALL_STATUSES)}),
) -> dict[str, Any]:
    """List the account's calls, newest first, optionally only those in ``status``."""
    return paging.newest_first(
        state.db,
        table="calls",
        columns=_COLUMNS,
        account_id=account_id,
        status_sql=STATUS_SQL,
        statuses=CALL_STATUSES,
        status=status,
        item=_resource,
    )


@router.get("/{call_id}", **document_response(CallOut))
async def get_call(account_id: AccountId, state: State, call_id: str) -> dict[str, Any]:
    """Return one call of the account, with its current status."""
    return _resource(find_call(state, account_id, call_id))


@router.post(
    "/{call_id}",
    **document_response(CallControlOut),
    openapi_extra=json_request_body(_UpdateCall, required=("Status",)),
)
async def update_call(
    account_id: AccountId, state: State, call_id: str, request: Request
) -> dict[str, Any]:
    """End a call (``Status: "completed"``); ending an ended call changes nothing."""
    body = await read_body(request, _UpdateCall)
    status = require(body.status, "Status")
    if status != "completed":
        raise EmulatorError(400, f'Unsupported Status "{status}": only "completed" is allowed')
    find_call(state, account_id, call_id)
    state.db.execute(HANGUP_SQL, {"now": now(), "id": call_id})
    state.dispatcher.wake()
    call = find_call(state, account_id, call_id)
    return {"callId": call["id"], "status": call["status"]}
