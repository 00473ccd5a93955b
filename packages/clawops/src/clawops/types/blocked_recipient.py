"""Blocked recipients: the account's do-not-contact list."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sdkcore import CamelModel

__all__ = ["BlockedChannel", "BlockedRecipient", "BlockedRecipientSource", "BlockedRecipientStatus"]

BlockedChannel = Literal["call", "message", "email"]
BlockedRecipientSource = Literal["api", "console", "import", "agent"]
BlockedRecipientStatus = Literal["active", "released", "all"]


class BlockedRecipient(CamelModel):
    """One recipient blocked on one channel. A released entry stays, with `active` False.

    `channel` and `source` are plain strings: the API may add values.
    """

    id: str
    recipient: str
    channel: BlockedChannel | str
    active: bool
    source: str
    source_ref: str | None = None
    note: str | None = None
    created_by: str | None = None
    created_at: datetime
    updated_at: datetime
    unblocked_at: datetime | None = None
    unblocked_source: str | None = None
    unblocked_by: str | None = None
    unblocked_note: str | None = None
