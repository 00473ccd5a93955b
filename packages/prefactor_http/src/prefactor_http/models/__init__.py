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
    AgentInstanceSpanCounts,
    AgentSchemaVersionForRegister,
    AgentVersionForRegister,
    FinishInstanceRequest,
    SpanTypeSchemaForCreate,
)
from .agent_span import AgentSpan
from .base import ApiResponse, PaginationOutput
from .bulk import BULK_ACTIONS, BulkItem, BulkOutput, BulkRequest, BulkResponse
from .types import AgentStatus, FinishStatus

__all__ = [
    "BULK_ACTIONS",
    "Agent",
    "AgentAvailableActions",
    "AgentForCreate",
    "AgentForUpdate",
    "AgentInstance",
    "AgentInstanceCounts",
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
    "FinishInstanceRequest",
    "FinishStatus",
    "PaginationOutput",
    "SpanTypeSchemaForCreate",
]
