"""What the emulator's endpoints answer, for its OpenAPI document (endpoints return dicts).

Extra keys are forbidden, so the conformance test catches a field the document omits.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ._lifecycle import CALL_STATUSES

__all__ = [
    "CallControlOut",
    "CallListOut",
    "CallOut",
    "NumberCreatedOut",
    "NumberListOut",
    "NumberOut",
    "NumberUpdatedOut",
    "SipCredentialCreatedOut",
    "SipCredentialListOut",
    "SipCredentialOut",
]

_ItemT = TypeVar("_ItemT")
_STATUS = Field(json_schema_extra={"enum": list(CALL_STATUSES)})


def _timestamp(alias: str) -> Any:
    return Field(alias=alias, json_schema_extra={"format": "date-time"})


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallOut(_Out):
    """A call."""

    call_id: str = Field(alias="callId")
    status: str = _STATUS
    to: str
    from_: str = Field(alias="from")
    direction: Literal["outbound"]
    duration: int | None = Field(description="Seconds in progress, once the call ended.")
    account_id: str = Field(alias="accountId")
    date_created: str = _timestamp("dateCreated")
    date_updated: str | None = _timestamp("dateUpdated")
    recording_url: str | None = Field(
        alias="recordingUrl",
        description="Path of the recording (`GET` it), once an answered call has ended.",
    )


class _PageMeta(_Out):
    total: int
    page: int
    page_size: int = Field(alias="pageSize")


class _Page(_Out, Generic[_ItemT]):
    """One page of a listing: its items and where it stands (subclassed per item, with the
    docstring that describes the listing)."""

    data: list[_ItemT]
    meta: _PageMeta


class CallListOut(_Page[CallOut]):
    """One page of calls, newest first."""


class CallControlOut(_Out):
    """The call after the update."""

    call_id: str = Field(alias="callId")
    status: str = _STATUS


class NumberCreatedOut(_Out):
    """The number now held by the account."""

    number: str
    source: Literal["pool", "sip"]


class NumberOut(_Out):
    """A number with its webhook and inbound routing (both wires)."""

    number: str
    number_type: Literal["did"] = Field(alias="numberType")
    source: Literal["pool", "sip"]
    routing_type: Literal["webhook", "sip", "softphone", "forward", "agent", "callflow"] = Field(
        alias="routingType"
    )
    agent_id: str | None = Field(alias="agentId")
    call_flow_id: str | None = Field(alias="callFlowId")
    forward_to: str | None = Field(alias="forwardTo")
    sip_endpoint_id: str | None = Field(alias="sipEndpointId")
    sip_credential_id: str | None = Field(alias="sipCredentialId")
    webhook_url: str | None = Field(alias="webhookUrl")
    webhook_method: Literal["POST", "GET"] = Field(alias="webhookMethod")
    webhook_headers: dict[str, str] | None = Field(alias="webhookHeaders")
    call_context_url: str | None = Field(alias="callContextUrl")
    status_callback: str | None = Field(alias="statusCallback")
    status_callback_events: str | None = Field(alias="statusCallbackEvents")
    dictionary_id: str | None = Field(alias="dictionaryId")
    created_at: str = _timestamp("createdAt")


class NumberListOut(_Out):
    """The account's numbers, in the order they were registered: ``numbers`` for the seed's
    wire, ``data`` (the same list) for 0.70.0's."""

    numbers: list[NumberOut]
    data: list[NumberOut]


class NumberUpdatedOut(NumberOut):
    """The number after the update."""


class SipCredentialOut(_Out):
    """A SIP credential (never its password)."""

    id: str
    username: str
    display_name: str | None = Field(alias="displayName")
    created_at: str = _timestamp("createdAt")


class SipCredentialCreatedOut(SipCredentialOut):
    """The new SIP credential, with its password (shown this once) and where to register."""

    password: str
    sip_server: str = Field(alias="sipServer")
    sip_port: int = Field(alias="sipPort")
    transport: Literal["udp"]


class SipCredentialListOut(_Out):
    """The account's SIP credentials, oldest first."""

    credentials: list[SipCredentialOut]
