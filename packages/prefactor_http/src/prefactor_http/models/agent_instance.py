"""Agent instances and what registering one sends."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

import sdkcore

from .data_risk import ActionProfile, DataCategories, DataRisk
from .types import AgentStatus, FinishStatus, InstancePurpose

__all__ = [
    "ActionProfile",
    "AgentInstance",
    "AgentInstanceRecordQuality",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentVersionForRegister",
    "DataCategories",
    "DataRisk",
    "FinishInstanceRequest",
    "QualitySchemaDetails",
    "QualitySchemaForCreate",
    "RegisterAgentInstanceRequest",
    "RuntimeEnvironment",
    "SpanTypeSchemaForCreate",
    "TimestampRequest",
]


class SpanTypeSchemaForCreate(sdkcore.BaseModel):
    """One span type of a schema version: its name and the JSON Schemas of its payloads."""

    name: str
    params_schema: dict[str, Any]
    result_schema: dict[str, Any] | None = None
    title: str | None = None
    description: str | None = None
    template: str | None = None
    data_risk: DataRisk | None = None


class QualitySchemaForCreate(sdkcore.BaseModel):
    """A named quality schema: the JSON Schema of a quality payload recorded on instances
    (``schema`` on the wire; ``template`` renders its summary, ``{{field}}``)."""

    name: str
    schema_: dict[str, Any] = Field(alias="schema")
    title: str | None = None
    description: str | None = None
    template: str | None = None
    data_risk: DataRisk | None = None


class QualitySchemaDetails(QualitySchemaForCreate):
    """A quality schema as the API shows it in a schema version."""

    schema_validation: dict[str, Any] | None = None


class AgentInstanceRecordQuality(sdkcore.BaseModel):
    """Body of ``agent_instances.record_quality``: a null ``payload`` clears ``name``."""

    name: str
    payload: dict[str, Any] | None = None


class RuntimeEnvironment(sdkcore.BaseModel):
    """Where an agent version runs: framework and Prefactor packages, OS, language runtime."""

    agent_sdk: list[str] | None = None
    os: str | None = None
    prefactor_sdk: list[str] | None = None
    runtime: str | None = None


class AgentVersionForRegister(sdkcore.BaseModel):
    """The agent version an instance runs (found or created by its external identifier)."""

    name: str | None = None
    external_identifier: str | None = None
    description: str | None = None
    runtime_environment: RuntimeEnvironment | None = None


class AgentSchemaVersionForRegister(sdkcore.BaseModel):
    """The span schemas an instance's spans are validated against.

    Either ``span_type_schemas`` (a list with titles and templates) or the flat maps
    ``span_schemas`` (+ ``span_result_schemas``), keyed by span type name.
    """

    external_identifier: str | None = None
    span_schemas: dict[str, dict[str, Any]] | None = None
    span_result_schemas: dict[str, dict[str, Any]] | None = None
    span_type_schemas: list[SpanTypeSchemaForCreate] | None = None
    quality_schemas: list[QualitySchemaForCreate] | None = None

    @model_validator(mode="after")
    def _result_schemas_need_schemas(self) -> AgentSchemaVersionForRegister:
        extra = set(self.span_result_schemas or ()) - set(self.span_schemas or ())
        if extra:
            raise ValueError(f"span_result_schemas names unknown span types: {sorted(extra)}")
        return self


class RegisterAgentInstanceRequest(sdkcore.BaseModel):
    """Body of ``agent_instances.register`` (prefactor-http 0.4.3's name for it)."""

    agent_id: str | None = None
    environment_id: str | None = None
    agent_version: AgentVersionForRegister
    agent_schema_version: AgentSchemaVersionForRegister
    id: str | None = None
    external_identifier: str | None = None
    idempotency_key: str | None = None
    update_current_version: bool | None = None
    purpose: InstancePurpose | None = None


class TimestampRequest(sdkcore.BaseModel):
    """Body of ``agent_instances.start``."""

    timestamp: str | None = None
    idempotency_key: str | None = None


class FinishInstanceRequest(sdkcore.BaseModel):
    """Body of ``agent_instances.finish``."""

    status: FinishStatus | None = None
    timestamp: str | None = None
    idempotency_key: str | None = None


class AgentInstanceSpanCounts(sdkcore.BaseModel):
    """Spans of an instance by status; ``finished`` = complete + failed + cancelled."""

    total: int
    pending: int
    active: int
    complete: int
    failed: int
    cancelled: int
    finished: int


class AgentInstance(sdkcore.BaseModel):
    """One run of an agent version, with the quality payloads recorded on it (by quality
    schema name) and their one-line summaries."""

    type: Literal["agent_instance"]
    id: str
    account_id: str
    agent_id: str
    agent_version_id: str
    environment_id: str
    agent_deployment_id: str | None = None
    status: AgentStatus
    inserted_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    termination_reason: str | None = None
    external_identifier: str | None = None
    span_counts: AgentInstanceSpanCounts | None = None
    purpose: InstancePurpose | None = None
    quality_payloads: dict[str, dict[str, Any]] | None = None
    quality_summaries: dict[str, str] | None = None
