"""``/numbers``: buy pool numbers, register SIP numbers, route their calls, release them.

Both wires share these routes: the seed's (``{"numbers": [...]}``, webhook settings) and
0.70.0's (``{"data": [...]}``, routing types); a list answer carries both keys.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from sdkcore.emulator import EmulatorError, document_response, json_request_body

from ._deps import (
    ACCOUNT_PREFIX,
    OPTIONAL_URL_PATTERN,
    URL_PATTERN,
    AccountId,
    EmulatorState,
    ErrorBody,
    State,
    check_url,
    read_body,
    require,
)
from ._routing import (
    RoutingSettings,
    apply_routing,
    default_settings,
    delete_settings,
    number_item,
    read_settings,
    write_settings,
)
from ._schemas import NumberCreatedOut, NumberListOut, NumberUpdatedOut
from ._store import now

__all__ = ["from_pool", "router"]

_SOURCES = ("pool", "sip")
_WEBHOOK_METHODS = ("POST", "GET")
_SIP_NUMBER = re.compile(r"\d{3,20}")
# Korean carrier prefixes (mobile 01x, Seoul 02, area codes 0[3-6]x, VoIP 070, toll-free
# 080): such numbers come only from the carrier pool, never as SIP extensions.
_CARRIER_PREFIX = re.compile(r"01[016789]|02|0[3-6][1-5]|070|080")
_SIP_NUMBER_PATTERN = rf"^(?!{_CARRIER_PREFIX.pattern})\d{{3,20}}$"

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/numbers", tags=["numbers"])


class _CreateNumber(RoutingSettings):
    source: str | None = Field(default=None, json_schema_extra={"enum": list(_SOURCES)})
    number: str | None = Field(default=None, json_schema_extra={"pattern": _SIP_NUMBER_PATTERN})
    webhook_url: str | None = Field(
        default=None, alias="webhookUrl", json_schema_extra={"pattern": OPTIONAL_URL_PATTERN}
    )
    # null means "not given" (the default), so the document allows it.
    webhook_method: str | None = Field(
        default=None, alias="webhookMethod", json_schema_extra={"enum": [*_WEBHOOK_METHODS, None]}
    )


class _UpdateNumber(RoutingSettings):
    webhook_url: str | None = Field(
        default=None, alias="webhookUrl", json_schema_extra={"pattern": URL_PATTERN}
    )
    webhook_method: str | None = Field(
        default=None, alias="webhookMethod", json_schema_extra={"enum": list(_WEBHOOK_METHODS)}
    )


def _check_sip_number(number: str) -> str:
    if not _SIP_NUMBER.fullmatch(number):
        raise EmulatorError(400, "Invalid number: expected 3-20 digits")
    if _CARRIER_PREFIX.match(number):
        raise EmulatorError(400, "Invalid number: carrier prefixes (010, 070, 02, ...) are refused")
    return number


def _is_taken(state: EmulatorState, number: str) -> bool:
    return state.db.scalar("SELECT 1 FROM numbers WHERE number = ?", (number,)) is not None


def from_pool(state: EmulatorState, wanted: str | None) -> str:
    """The pool number to hand out: ``wanted`` if free, else the first free one (503: none)."""
    pool = state.config.pool
    if wanted is not None:
        if wanted not in pool:
            raise EmulatorError(400, f"Number {wanted} is not in the pool")
        if _is_taken(state, wanted):
            raise EmulatorError(409, f"Number {wanted} is already in use")
        return wanted
    taken = {row["number"] for row in state.db.query("SELECT number FROM numbers")}
    free = next((number for number in pool if number not in taken), None)
    if free is None:
        raise EmulatorError(503, "Number pool exhausted")
    return free


def _owned(state: EmulatorState, account_id: str, number: str) -> dict[str, Any]:
    row = state.db.query_one(
        "SELECT * FROM numbers WHERE account_id = ? AND number = ?", (account_id, number)
    )
    if row is not None:
        return row
    if _is_taken(state, number):
        raise EmulatorError(403, f"Number {number} belongs to another account")
    raise EmulatorError(404, f"Number {number} not found")


_UPDATE_FIELDS = tuple(field.alias or name for name, field in _UpdateNumber.model_fields.items())


@router.post(
    "",
    **document_response(
        NumberCreatedOut,
        status_code=201,
        other_responses={409: {"model": ErrorBody, "description": "The number is already taken"}},
    ),
    openapi_extra=json_request_body(_CreateNumber, body_required=False),
)
async def create_number(account_id: AccountId, state: State, request: Request) -> dict[str, Any]:
    """Take the next free pool number, or register a SIP number (``source: "sip"``)."""
    body = await read_body(request, _CreateNumber)
    source = body.source or "pool"
    if source not in _SOURCES:
        raise EmulatorError(400, 'Invalid source: use "pool" or "sip"')
    sip_number = _check_sip_number(require(body.number, "number")) if source == "sip" else None
    webhook_url = check_url(body.webhook_url, "webhookUrl") if body.webhook_url else None
    method = _webhook_method(body.webhook_method) or "POST"
    with state.db.transaction():
        held = state.db.scalar("SELECT COUNT(*) FROM numbers WHERE account_id = ?", (account_id,))
        if held >= state.config.max_numbers:
            raise EmulatorError(
                422, f"Number quota exceeded: at most {state.config.max_numbers} per account"
            )
        if sip_number is None:
            number = from_pool(state, body.number)
        elif _is_taken(state, sip_number):
            raise EmulatorError(409, f"Number {sip_number} is already registered")
        else:
            number = sip_number
        settings = apply_routing(state.db, account_id, number, default_settings(), body)
        state.db.execute(
            "INSERT INTO numbers (account_id, number, source, webhook_url, webhook_method,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (account_id, number, source, webhook_url, method, now()),
        )
        write_settings(state.db, account_id, number, settings)
    return {"number": number, "source": source}


@router.get("", **document_response(NumberListOut))
async def list_numbers(account_id: AccountId, state: State) -> dict[str, Any]:
    """List the account's numbers in the order they were registered (under both wires' keys)."""
    rows = state.db.query(
        "SELECT * FROM numbers WHERE account_id = ? ORDER BY created_at, rowid", (account_id,)
    )
    items = [number_item(row, read_settings(state.db, account_id, row["number"])) for row in rows]
    return {"numbers": items, "data": items}


@router.put(
    "/{number}",
    **document_response(NumberUpdatedOut),
    openapi_extra=json_request_body(_UpdateNumber, at_least_one_of=_UPDATE_FIELDS),
)
async def update_number(
    account_id: AccountId, state: State, number: str, request: Request
) -> dict[str, Any]:
    """Change a number's webhook (``webhookUrl``, ``webhookMethod``) or inbound routing."""
    body = await read_body(request, _UpdateNumber)
    if not body.model_dump(exclude_none=True):
        raise EmulatorError(400, "Provide webhookUrl and/or webhookMethod, or a routing field")
    if body.webhook_url is not None:
        check_url(body.webhook_url, "webhookUrl")
    method = _webhook_method(body.webhook_method)
    with state.db.transaction():
        row = _owned(state, account_id, number)
        settings = apply_routing(
            state.db, account_id, number, read_settings(state.db, account_id, number), body
        )
        row["webhook_url"] = body.webhook_url or row["webhook_url"]
        row["webhook_method"] = method or row["webhook_method"]
        state.db.execute(
            "UPDATE numbers SET webhook_url = ?, webhook_method = ?"
            " WHERE account_id = ? AND number = ?",
            (row["webhook_url"], row["webhook_method"], account_id, number),
        )
        write_settings(state.db, account_id, number, settings)
    return number_item(row, settings)


@router.delete("/{number}", status_code=204)
async def delete_number(account_id: AccountId, state: State, number: str) -> Response:
    """Release a number; a pool number becomes available to buy again."""
    with state.db.transaction():
        _owned(state, account_id, number)
        state.db.execute(
            "DELETE FROM numbers WHERE account_id = ? AND number = ?", (account_id, number)
        )
        delete_settings(state.db, account_id, number)
    return Response(status_code=204)


def _webhook_method(method: str | None) -> str | None:
    if method is not None and method not in _WEBHOOK_METHODS:
        raise EmulatorError(400, 'Invalid webhookMethod: use "POST" or "GET"')
    return method
