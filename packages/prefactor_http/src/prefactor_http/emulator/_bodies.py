"""The request bodies the routes accept, as pydantic models: the OpenAPI document is
generated from them (`_openapi`), so it states exactly what the actions check.

The routes still read their JSON themselves (malformed JSON gets the API's own 400, and field
errors the API's ``errors`` keys), so these models only describe; constraints the actions
enforce (non-blank ids, key lengths, enums) are declared here so the document says them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from pydantic import BaseModel, Field, JsonValue

from ..models.bulk import BULK_ACTIONS
from ..models.types import FinishStatus, InstancePurpose, SpanStatus

__all__ = [
    "AgentCreateBody",
    "AgentKeyBody",
    "AgentUpdateBody",
    "BulkBody",
    "InstanceFinishBody",
    "InstanceStartBody",
    "RecordQualityBody",
    "RegisterBody",
    "SpanCreateBody",
    "SpanFinishBody",
]

Text = Annotated[str, Field(pattern=r"\S")]
"""A string with something other than whitespace in it."""
OptionalId = Text | None
Key = Annotated[str, Field(min_length=1, max_length=64)] | None
Timestamp = datetime | None
JsonObject = dict[str, Any]
_BULK_TYPES: dict[str, JsonValue] = {"enum": cast("list[JsonValue]", sorted(BULK_ACTIONS))}


class _Body(BaseModel):
    """Fields unknown to a body are ignored, as the API does."""


class _Keyed(_Body):
    idempotency_key: Key = None


class AgentDetails(_Body):
    """A new agent."""

    name: Text
    description: str | None = None
    external_identifier: str | None = None
    id: OptionalId = None
    owner_person_id: OptionalId = None
    risk_profile_id: OptionalId = None
    team_id: OptionalId = None


class AgentChanges(_Body):
    """Changes to an agent: a field left out stays, a null owner/team/risk profile clears."""

    name: OptionalId = None
    description: str | None = None
    owner_person_id: OptionalId = None
    risk_profile_id: OptionalId = None
    team_id: OptionalId = None


class AgentCreateBody(_Keyed):
    """``POST /agent``."""

    details: AgentDetails


class AgentUpdateBody(_Keyed):
    """``PUT /agent/{agent_id}``."""

    details: AgentChanges


class AgentKeyBody(_Keyed):
    """Retire, reinstate and delete: only the key."""


class AgentVersionBody(_Body):
    """The version an instance runs, reused by its external identifier."""

    name: str | None = None
    external_identifier: str | None = None
    description: str | None = None
    runtime_environment: JsonObject | None = None


class SpanTypeBody(_Body):
    """One span type: its payloads' JSON Schemas and its data risk."""

    name: Text
    params_schema: JsonObject
    result_schema: JsonObject | None = None
    title: str | None = None
    description: str | None = None
    template: str | None = None
    data_risk: JsonObject | None = None


class QualitySchemaBody(_Body):
    """One named quality schema (the JSON Schema of a payload ``record_quality`` takes)."""

    name: Text
    schema_: JsonObject = Field(alias="schema")
    title: str | None = None
    description: str | None = None
    template: str | None = None
    data_risk: JsonObject | None = None


class SchemaVersionBody(_Body):
    """Span types (listed, or as flat maps) and quality schemas."""

    external_identifier: str | None = None
    span_type_schemas: list[SpanTypeBody] = Field(default_factory=list)
    span_schemas: dict[str, JsonObject] = Field(default_factory=dict)
    span_result_schemas: dict[str, JsonObject] = Field(default_factory=dict)
    quality_schemas: list[QualitySchemaBody] = Field(default_factory=list)


class RegisterBody(_Keyed):
    """``POST /agent_instance/register``."""

    agent_id: Text
    agent_version: AgentVersionBody
    agent_schema_version: SchemaVersionBody
    update_current_version: bool = True
    environment_id: OptionalId = None
    purpose: InstancePurpose | None = None
    external_identifier: OptionalId = None
    id: OptionalId = None


class InstanceStartBody(_Keyed):
    """``POST /agent_instance/{id}/start``."""

    timestamp: Timestamp = None


class InstanceFinishBody(_Keyed):
    """``POST /agent_instance/{id}/finish``."""

    status: FinishStatus | None = None
    timestamp: Timestamp = None


class RecordQualityBody(_Keyed):
    """``POST /agent_instance/{id}/record_quality``: a null payload clears ``name``."""

    name: Text
    payload: JsonObject | None = None


class SpanDetails(_Keyed):
    """A new span."""

    agent_instance_id: Text
    schema_name: Text
    status: SpanStatus
    payload: JsonObject = Field(default_factory=dict)
    result_payload: JsonObject | None = None
    id: OptionalId = None
    parent_span_id: OptionalId = None
    started_at: Timestamp = None
    finished_at: Timestamp = None


class SpanCreateBody(_Body):
    """``POST /agent_spans``."""

    details: SpanDetails


class SpanFinishBody(_Keyed):
    """``POST /agent_spans/{id}/finish``."""

    status: FinishStatus | None = None
    result_payload: JsonObject | None = None
    timestamp: Timestamp = None


class BulkItemBody(_Body):
    """One bulk item: the action, its key, and the action's parameters beside them."""

    type: str = Field(alias="_type", json_schema_extra=_BULK_TYPES)
    idempotency_key: Annotated[str, Field(min_length=8, max_length=64)]


class BulkBody(_Body):
    """``POST /bulk``."""

    items: Annotated[list[BulkItemBody], Field(min_length=1)]
