"""Models of the Prefactor API (pydantic v2; wire keys are snake_case like the fields)."""

from .agent import (
    Agent,
    AgentAvailableActions,
    AgentForCreate,
    AgentForUpdate,
    AgentInstanceCounts,
    AgentStatusName,
    AgentSummary,
)
from .agent_instance import (
    AgentInstance,
    AgentInstanceRecordQuality,
    AgentInstanceSpanCounts,
    AgentSchemaVersionForRegister,
    AgentVersionForRegister,
    FinishInstanceRequest,
    QualitySchemaDetails,
    QualitySchemaForCreate,
    RuntimeEnvironment,
    SpanTypeSchemaForCreate,
)
from .agent_span import AgentSpan
from .base import ApiResponse, ListResponse, PaginationOutput, Sorting
from .bulk import BULK_ACTIONS, BulkItem, BulkOutput, BulkRequest, BulkResponse
from .data_risk import ActionProfile, DataCategories, DataRisk
from .types import AgentStatus, FinishStatus, InstancePurpose

__all__ = [
    "BULK_ACTIONS",
    "ActionProfile",
    "Agent",
    "AgentAvailableActions",
    "AgentForCreate",
    "AgentForUpdate",
    "AgentInstance",
    "AgentInstanceCounts",
    "AgentInstanceRecordQuality",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentSpan",
    "AgentStatus",
    "AgentStatusName",
    "AgentSummary",
    "AgentVersionForRegister",
    "ApiResponse",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "DataCategories",
    "DataRisk",
    "FinishInstanceRequest",
    "FinishStatus",
    "InstancePurpose",
    "ListResponse",
    "PaginationOutput",
    "QualitySchemaDetails",
    "QualitySchemaForCreate",
    "RuntimeEnvironment",
    "Sorting",
    "SpanTypeSchemaForCreate",
]
