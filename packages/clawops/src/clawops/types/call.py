"""Call objects."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from sdkcore import CamelModel

__all__ = ["Call", "CallControlResponse", "CallDirection", "CallStatus"]

CallStatus = Literal["queued", "ringing", "in-progress", "completed", "failed"]
CallDirection = Literal["outbound", "inbound"]


class Call(CamelModel):
    """A phone call placed or received on an account.

    `status` and `direction` are typed with the documented values but accept new ones the API
    may add, so an SDK upgrade is never required to read a call.
    """

    call_id: str
    status: CallStatus | str
    to: str | None = None
    from_: str | None = Field(default=None, alias="from")
    direction: CallDirection | str | None = None
    duration: int | None = None
    account_id: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    recording_url: str | None = None
    """Path of the call's recording (see `recordings.download`); None while there is none."""


class CallControlResponse(CamelModel):
    """What `calls.update` returns: the call id and its new status."""

    call_id: str
    status: CallStatus | str
