"""Agent spans: one step of an instance, nested through ``parent_span_id``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

import sdkcore

from .types import AgentStatus

__all__ = ["AgentSpan"]


class AgentSpan(sdkcore.BaseModel):
    """A span; ``payload`` and ``result_payload`` follow its span type's JSON Schemas."""

    type: Literal["agent_span"]
    id: str
    account_id: str | None = None
    agent_id: str | None = None
    agent_instance_id: str
    parent_span_id: str | None = None
    schema_name: str
    schema_title: str | None = None
    status: AgentStatus
    payload: dict[str, Any] = Field(default_factory=dict)
    result_payload: dict[str, Any] | None = None
    summary: str | None = None
    started_at: datetime | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    finished_at: datetime | None = None
