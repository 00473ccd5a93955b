"""SIP credential objects."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from sdkcore import CamelModel

__all__ = ["SipCredential"]


class SipCredential(CamelModel):
    """Credentials a SIP phone registers with.

    `password` is only present in the response to `create`; it is never shown by `repr`.
    """

    credential_id: str = Field(alias="id")
    sip_username: str = Field(alias="username")
    password: str | None = Field(default=None, repr=False)
    display_name: str | None = None
    sip_server: str | None = None
    sip_port: int | None = None
    transport: str | None = None
    created_at: datetime | None = None

    @property
    def id(self) -> str:
        """The credential id (the wire name, used by the public `clawops` package)."""
        return self.credential_id

    @property
    def username(self) -> str:
        """The SIP username (the wire name, used by the public `clawops` package)."""
        return self.sip_username
