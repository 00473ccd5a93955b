"""Phone number objects."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sdkcore import CamelModel

__all__ = ["Number", "NumberSource", "RoutingType", "WebhookMethod"]

NumberSource = Literal["pool", "sip"]
WebhookMethod = Literal["POST", "GET"]
RoutingType = Literal["webhook", "sip", "softphone", "forward", "agent", "callflow"]
"""Where a number's inbound calls go: its webhook's instructions, a SIP endpoint (PBX), a
registered softphone (SIP credential), another number of the account, a managed agent or a
call flow."""


class Number(CamelModel):
    """A phone number owned by an account (create, list and update all return this shape).

    `routing_type` and the other routing fields are on the 0.70.0 wire only; `routing_type`
    accepts values the API may add, so a new routing kind never breaks a listing.
    """

    number: str
    source: NumberSource | str | None = None
    number_type: str | None = None
    routing_type: RoutingType | str | None = None
    agent_id: str | None = None
    call_flow_id: str | None = None
    forward_to: str | None = None
    sip_endpoint_id: str | None = None
    sip_credential_id: str | None = None
    webhook_url: str | None = None
    webhook_method: WebhookMethod | str | None = None
    webhook_headers: dict[str, str] | None = None
    call_context_url: str | None = None
    status_callback: str | None = None
    status_callback_events: str | None = None
    dictionary_id: str | None = None
    created_at: datetime | None = None

    @property
    def phone_number(self) -> str:
        """The number itself (the seed's name for `number`)."""
        return self.number
