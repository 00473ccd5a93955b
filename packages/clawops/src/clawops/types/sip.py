"""SIP credential objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from sdkcore import CamelModel

__all__ = ["SipCredential", "SipEndpoint", "SipStatus"]

SipStatus = Literal["active", "disabled"]


class SipCredential(CamelModel):
    """Credentials a SIP phone registers with.

    `password` is only present in the response to `create`; it is never shown by `repr`.
    The fields after `created_at` come from the 0.70.0 wire (`client.sip_credentials`).
    """

    credential_id: str = Field(alias="id")
    sip_username: str = Field(alias="username")
    password: str | None = Field(default=None, repr=False)
    display_name: str | None = None
    sip_server: str | None = None
    sip_port: int | None = None
    transport: str | None = None
    created_at: datetime | None = None
    account_id: str | None = None
    name: str | None = None
    realm: str | None = None
    enabled: bool | None = None
    status: SipStatus | str | None = None
    ip_acl_id: str | None = None
    allowed_numbers: list[str] | None = None
    last_used_at: datetime | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None

    @property
    def id(self) -> str:
        """The credential id (the wire name, used by the public `clawops` package)."""
        return self.credential_id

    @property
    def username(self) -> str:
        """The SIP username (the wire name, used by the public `clawops` package)."""
        return self.sip_username


class SipEndpoint(CamelModel):
    """A SIP endpoint: a PBX trunk that numbers routed with `routing_type="sip"` dial."""

    id: str
    account_id: str | None = None
    name: str | None = None
    max_concurrent: int | None = None
    status: SipStatus | str | None = None
    routes: list[Any] | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
