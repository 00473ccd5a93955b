"""What the 0.70.0-wire endpoints of SIP, assignment links, transcripts, summaries and webhook
logs answer, for the OpenAPI document (endpoints return dicts; extra keys are forbidden, so
the conformance test catches a field the document omits)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ._schemas import _Out, _Page, _timestamp

__all__ = [
    "AssignmentLinkCreatedOut",
    "AssignmentLinkListOut",
    "AssignmentLinkOut",
    "SipCredentialItemOut",
    "SipCredentialPageOut",
    "SipEndpointOut",
    "SipEndpointPageOut",
    "SummaryOut",
    "TranscriptAcceptedOut",
    "TranscriptOut",
    "WebhookListOut",
    "WebhookLogPageOut",
]


class SipCredentialItemOut(_Out):
    """A SIP credential as the 0.70.0 wire shows it (never its password)."""

    id: str
    account_id: str = Field(alias="accountId")
    name: str | None
    username: str
    realm: str
    enabled: bool
    status: Literal["active"]
    ip_acl_id: None = Field(alias="ipAclId")
    allowed_numbers: list[str] = Field(alias="allowedNumbers")
    last_used_at: None = Field(alias="lastUsedAt")
    date_created: str = _timestamp("dateCreated")
    date_updated: str = _timestamp("dateUpdated")


class SipCredentialPageOut(_Page[SipCredentialItemOut]):
    """One page of the account's SIP credentials, oldest first."""


class _Route(_Out):
    host: str
    port: int
    transport: str
    priority: int


class SipEndpointOut(_Out):
    """A SIP endpoint: the account's PBX trunk that ``routingType: "sip"`` dials."""

    id: str
    account_id: str = Field(alias="accountId")
    name: str
    max_concurrent: int = Field(alias="maxConcurrent")
    status: Literal["active"]
    routes: list[_Route]
    date_created: str = _timestamp("dateCreated")
    date_updated: str = _timestamp("dateUpdated")


class SipEndpointPageOut(_Page[SipEndpointOut]):
    """One page of the account's SIP endpoints, oldest first."""


class AssignmentLinkCreatedOut(_Out):
    """The new link: its token (also its id) and the public URL to hand to the end user."""

    token: str
    url: str
    expires_at: str = _timestamp("expiresAt")


class _Assignment(_Out):
    number: str
    name: str | None
    consumed_at: str = _timestamp("consumedAt")
    released_at: str | None = _timestamp("releasedAt")


class AssignmentLinkOut(_Out):
    """An assignment link and, once consumed, the number it assigned."""

    link_id: str = Field(alias="linkId")
    url: str
    status: Literal["pending", "consumed", "expired", "revoked"]
    created_at: str = _timestamp("createdAt")
    expires_at: str = _timestamp("expiresAt")
    consumed_at: str | None = _timestamp("consumedAt")
    webhook_url: str | None = Field(alias="webhookUrl")
    webhook_method: Literal["POST", "GET"] = Field(alias="webhookMethod")
    note: str | None
    assignment: _Assignment | None


class AssignmentLinkListOut(_Page[AssignmentLinkOut]):
    """One page of the account's assignment links, newest first."""


class _Segment(_Out):
    speaker: str
    start: float
    end: float
    text: str


class TranscriptOut(_Out):
    """Where a call's transcript stands; ``segments`` once it is ``completed``."""

    status: Literal["completed", "pending", "not_requested"]
    call_id: str = Field(alias="callId")
    segment_count: int | None = Field(default=None, alias="segmentCount")
    segments: list[_Segment] | None = None
    started_at: str | None = Field(
        default=None, alias="startedAt", json_schema_extra={"format": "date-time"}
    )


class TranscriptAcceptedOut(_Out):
    """The transcript request was accepted; it is ``pending`` until generated."""

    status: Literal["pending"]
    call_id: str = Field(alias="callId")


class SummaryOut(_Out):
    """Where a call's summary stands; ``resultJson`` once it is ``completed``."""

    status: Literal["completed", "pending", "not_requested"]
    call_id: str = Field(alias="callId")
    result_json: dict[str, Any] | None = Field(default=None, alias="resultJson")
    provider: str | None = None
    model: str | None = None
    prompt_version: str | None = Field(default=None, alias="promptVersion")
    schema_version: str | None = Field(default=None, alias="schemaVersion")
    updated_at: str | None = Field(
        default=None, alias="updatedAt", json_schema_extra={"format": "date-time"}
    )


class _Webhook(_Out):
    id: str
    url: str
    deliveries: int


class WebhookListOut(_Out):
    """The URLs the emulator has delivered webhooks to for the account, with their ids."""

    data: list[_Webhook]


class WebhookLogOut(_Out):
    """One webhook delivery: what was sent where, and how the receiver answered."""

    id: str
    webhook_id: str = Field(alias="webhookId")
    event: str
    request_url: str = Field(alias="requestUrl")
    request_payload: dict[str, str] = Field(alias="requestPayload")
    response_status: int | None = Field(alias="responseStatus")
    response_body: str | None = Field(alias="responseBody")
    response_time_ms: int | None = Field(alias="responseTimeMs")
    status: Literal["pending", "delivered", "failed"]
    attempt: int
    max_attempts: int = Field(alias="maxAttempts")
    created_at: str = _timestamp("createdAt")
    completed_at: str | None = _timestamp("completedAt")


class WebhookLogPageOut(_Page[WebhookLogOut]):
    """One page of a webhook's delivery log, newest first."""
