"""Agent spans: one step of an instance, nested through ``parent_span_id``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

import sdkcore

from .types import AgentStatus, FinishStatus

__all__ = ["AgentSpan", "CreateAgentSpanRequest", "FinishSpanRequest"]


class CreateAgentSpanRequest(sdkcore.BaseModel):
    """``details`` of ``agent_spans.create`` (prefactor-http 0.4.3's name for it)."""

    agent_instance_id: str
    schema_name: str
    status: AgentStatus
    payload: dict[str, Any] = Field(default_factory=dict)
    result_payload: dict[str, Any] | None = None
    id: str | None = None
    parent_span_id: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    idempotency_key: str | None = None


class FinishSpanRequest(sdkcore.BaseModel):
    """Body of ``agent_spans.finish``."""

    status: FinishStatus | None = None
    result_payload: dict[str, Any] | None = None
    timestamp: str | None = None
    idempotency_key: str | None = None


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
