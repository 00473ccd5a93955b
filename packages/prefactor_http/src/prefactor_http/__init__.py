"""Prefactor agent-observability API SDK: agent instances, spans, bulk actions and agents,
with an async client (`PrefactorHttpClient`) and a blocking one (`SyncPrefactorHttpClient`)
sharing one implementation.

A local emulator of the API ships in `prefactor_http.emulator` (extra
`prefactor-http[emulator]`).
"""

from sdkcore import APIResponse

from ._client import PrefactorHttpClient, SyncPrefactorHttpClient
from ._config import DEFAULT_API_URL, HttpClientConfig
from ._exceptions import (
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorClientError,
    PrefactorConnectionError,
    PrefactorHttpError,
    PrefactorNotFoundError,
    PrefactorRateLimitError,
    PrefactorResponseContractError,
    PrefactorRetryExhaustedError,
    PrefactorTimeoutError,
    PrefactorValidationError,
)
from ._version import __version__
from .models import (
    Agent,
    AgentForCreate,
    AgentForUpdate,
    AgentInstance,
    AgentInstanceSpanCounts,
    AgentSchemaVersionForRegister,
    AgentSpan,
    AgentStatus,
    AgentSummary,
    AgentVersionForRegister,
    ApiResponse,
    BulkItem,
    BulkOutput,
    BulkRequest,
    BulkResponse,
    FinishInstanceRequest,
    FinishStatus,
    SpanTypeSchemaForCreate,
)

__all__ = [
    "DEFAULT_API_URL",
    "APIResponse",
    "Agent",
    "AgentForCreate",
    "AgentForUpdate",
    "AgentInstance",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentSpan",
    "AgentStatus",
    "AgentSummary",
    "AgentVersionForRegister",
    "ApiResponse",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "FinishInstanceRequest",
    "FinishStatus",
    "HttpClientConfig",
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorClientError",
    "PrefactorConnectionError",
    "PrefactorHttpClient",
    "PrefactorHttpError",
    "PrefactorNotFoundError",
    "PrefactorRateLimitError",
    "PrefactorResponseContractError",
    "PrefactorRetryExhaustedError",
    "PrefactorTimeoutError",
    "PrefactorValidationError",
    "SpanTypeSchemaForCreate",
    "SyncPrefactorHttpClient",
    "__version__",
]
