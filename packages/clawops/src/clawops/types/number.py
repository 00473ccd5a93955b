"""Phone number objects."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sdkcore import CamelModel

__all__ = ["Number", "NumberSource", "WebhookMethod"]

NumberSource = Literal["pool", "sip"]
WebhookMethod = Literal["POST", "GET"]


class Number(CamelModel):
    """A phone number owned by an account (create, list and update all return this shape)."""

    number: str
    source: NumberSource | str | None = None
    webhook_url: str | None = None
    webhook_method: WebhookMethod | str | None = None
    created_at: datetime | None = None

    @property
    def phone_number(self) -> str:
        """The number itself (the seed's name for `number`)."""
        return self.number
