"""Inbound routing of a number (the 0.70.0 wire): where its calls go and who hears about them.

Stored as wire-cased JSON in ``number_settings``, beside the seed's ``numbers`` columns, so a
database written before this wire existed opens unchanged and its numbers route to webhooks.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from sdkcore.emulator import Database, EmulatorError

from ._deps import OPTIONAL_URL_PATTERN, check_url
from ._lifecycle import parse_events
from ._store import timestamp

__all__ = [
    "ROUTING_FIELDS",
    "ROUTING_TYPES",
    "RoutingSettings",
    "apply_routing",
    "default_settings",
    "delete_settings",
    "number_item",
    "read_settings",
    "write_settings",
]

ROUTING_TYPES = ("webhook", "sip", "softphone", "forward", "agent", "callflow")

# Which id each routing type needs; switching type clears the ids of the others.
ROUTING_FIELDS = {
    "agent": "agentId",
    "callflow": "callFlowId",
    "forward": "forwardTo",
    "sip": "sipEndpointId",
    "softphone": "sipCredentialId",
}

_SETTINGS_KEYS = (
    "routingType",
    *ROUTING_FIELDS.values(),
    "webhookHeaders",
    "callContextUrl",
    "statusCallback",
    "statusCallbackEvents",
    "dictionaryId",
)


class RoutingSettings(BaseModel):
    """The 0.70.0 fields of a number create or update body (all optional; null = not given)."""

    routing_type: str | None = Field(
        default=None, alias="routingType", json_schema_extra={"enum": [*ROUTING_TYPES, None]}
    )
    agent_id: str | None = Field(default=None, alias="agentId")
    call_flow_id: str | None = Field(default=None, alias="callFlowId")
    forward_to: str | None = Field(default=None, alias="forwardTo")
    sip_endpoint_id: str | None = Field(default=None, alias="sipEndpointId")
    sip_credential_id: str | None = Field(default=None, alias="sipCredentialId")
    webhook_headers: dict[str, str] | None = Field(default=None, alias="webhookHeaders")
    call_context_url: str | None = Field(
        default=None, alias="callContextUrl", json_schema_extra={"pattern": OPTIONAL_URL_PATTERN}
    )
    status_callback: str | None = Field(
        default=None, alias="statusCallback", json_schema_extra={"pattern": OPTIONAL_URL_PATTERN}
    )
    status_callback_events: str | None = Field(default=None, alias="statusCallbackEvents")
    dictionary_id: str | None = Field(default=None, alias="dictionaryId")


def default_settings() -> dict[str, Any]:
    """The settings of a new number: calls go to its webhook, nothing else is set."""
    return dict.fromkeys(_SETTINGS_KEYS) | {"routingType": "webhook"}


def read_settings(db: Database, account_id: str, number: str) -> dict[str, Any]:
    """The stored settings of a number (`default_settings` for one stored by the seed wire)."""
    raw = db.scalar(
        "SELECT settings FROM number_settings WHERE account_id = ? AND number = ?",
        (account_id, number),
    )
    return default_settings() | (json.loads(raw) if raw else {})


def write_settings(db: Database, account_id: str, number: str, settings: dict[str, Any]) -> None:
    """Store the settings of a number (inside the caller's transaction)."""
    db.execute(
        "INSERT OR REPLACE INTO number_settings (account_id, number, settings) VALUES (?, ?, ?)",
        (account_id, number, json.dumps(settings)),
    )


def delete_settings(db: Database, account_id: str, number: str) -> None:
    """Forget the settings of a released number."""
    db.execute(
        "DELETE FROM number_settings WHERE account_id = ? AND number = ?", (account_id, number)
    )


def _check_target(db: Database, account_id: str, number: str, key: str, value: str) -> None:
    if key == "sipEndpointId":
        sql = "SELECT 1 FROM sip_endpoints WHERE id = ? AND account_id = ?"
    elif key == "sipCredentialId":
        sql = "SELECT 1 FROM sip_credentials WHERE id = ? AND account_id = ?"
    elif key == "forwardTo":
        if value == number:
            raise EmulatorError(400, "Invalid forwardTo: a number cannot forward to itself")
        sql = "SELECT 1 FROM numbers WHERE number = ? AND account_id = ?"
    else:
        # Agents and call flows are built in the console; any id names one.
        return
    if db.scalar(sql, (value, account_id)) is None:
        raise EmulatorError(400, f"Invalid {key}: {value} is not a resource of this account")


def apply_routing(
    db: Database, account_id: str, number: str, current: dict[str, Any], body: RoutingSettings
) -> dict[str, Any]:
    """The settings after applying ``body`` to ``current``; a refused change answers 400."""
    given = body.model_dump(by_alias=True, exclude_none=True)
    headers = given.get("webhookHeaders")
    if headers is not None and not all(name.lower().startswith("x-") for name in headers):
        raise EmulatorError(400, "Invalid webhookHeaders: every header name must start with X-")
    for key in ("callContextUrl", "statusCallback"):
        if given.get(key):
            check_url(given[key], key)
    if "statusCallbackEvents" in given:
        events = parse_events(given["statusCallbackEvents"])
        if events is None:
            raise EmulatorError(
                400, "Invalid statusCallbackEvents: use initiated, ringing, answered, completed"
            )
        given["statusCallbackEvents"] = events
    settings = {**current, **given}
    routing = settings["routingType"]
    if routing not in ROUTING_TYPES:
        raise EmulatorError(400, f"Invalid routingType: use one of {', '.join(ROUTING_TYPES)}")
    for other, key in ROUTING_FIELDS.items():
        if other != routing:
            settings[key] = None
    needed = ROUTING_FIELDS.get(routing)
    if needed is not None:
        if not settings.get(needed):
            raise EmulatorError(400, f"Missing required field: {needed} (routingType {routing})")
        _check_target(db, account_id, number, needed, settings[needed])
    return settings


def number_item(row: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """A number as both wires show it in lists and updates."""
    return {
        "number": row["number"],
        "numberType": "did",
        "source": row["source"],
        **settings,
        "webhookUrl": row["webhook_url"],
        "webhookMethod": row["webhook_method"],
        "createdAt": timestamp(row["created_at"]),
    }
