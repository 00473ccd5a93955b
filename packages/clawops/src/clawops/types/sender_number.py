"""Sender numbers: the numbers an account may send text messages from."""

from __future__ import annotations

from datetime import datetime

from sdkcore import CamelModel

__all__ = ["SenderNumber", "SenderNumberGrace", "SenderNumberLimit", "SenderNumberList"]


class SenderNumber(CamelModel):
    """A registered sender number; `status` "approved" means it can send now."""

    id: str
    number: str
    type: str
    verification_method: str
    status: str
    created_at: datetime


class SenderNumberGrace(CamelModel):
    """A number not registered but allowed to send until `expires_at`."""

    number: str
    expires_at: datetime


class SenderNumberLimit(CamelModel):
    """How many lines the account's holder has registered, of how many it may (None: not set)."""

    used: int
    limit: int | None = None
    reached: bool


class SenderNumberList(CamelModel):
    """What `sender_numbers.list()` returns."""

    sender_numbers: list[SenderNumber]
    grace: list[SenderNumberGrace]
    limit: SenderNumberLimit | None = None
