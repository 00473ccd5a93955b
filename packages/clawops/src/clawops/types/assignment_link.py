"""Assignment link objects: one-time links that give an end user a number of the account."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sdkcore import CamelModel

__all__ = ["AssignmentLink", "AssignmentLinkAssignment", "AssignmentLinkCreated", "LinkStatus"]

LinkStatus = Literal["pending", "consumed", "expired", "revoked"]


class AssignmentLinkAssignment(CamelModel):
    """The number a consumed link assigned."""

    number: str
    name: str | None = None
    consumed_at: datetime | None = None
    released_at: datetime | None = None


class AssignmentLink(CamelModel):
    """An assignment link; `assignment` holds the number once it is `consumed`."""

    link_id: str
    url: str
    status: LinkStatus | str
    created_at: datetime | None = None
    expires_at: datetime | None = None
    consumed_at: datetime | None = None
    webhook_url: str | None = None
    webhook_method: Literal["POST", "GET"] | str | None = None
    note: str | None = None
    assignment: AssignmentLinkAssignment | None = None


class AssignmentLinkCreated(CamelModel):
    """What creating a link returns: its `token` (also its `link_id`) and public `url`."""

    token: str
    url: str
    expires_at: datetime | None = None

    @property
    def link_id(self) -> str:
        """The link's id, which is its token."""
        return self.token
