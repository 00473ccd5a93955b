"""Webhook delivery log objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sdkcore import CamelModel

__all__ = ["WebhookLog"]


class WebhookLog(CamelModel):
    """One webhook delivery: the request sent, the receiver's answer and the attempts made."""

    id: str
    webhook_id: str
    event: str
    request_url: str
    request_payload: dict[str, Any]
    response_status: int | None = None
    response_body: str | None = None
    response_time_ms: int | None = None
    status: Literal["pending", "delivered", "failed"] | str
    attempt: int
    max_attempts: int
    created_at: datetime | None = None
    completed_at: datetime | None = None
