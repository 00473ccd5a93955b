"""UnitySVC customer SDK: service groups, services, enrollments, secrets, aliases, recurrent
requests and request logs, plus dispatch and streaming through the UnitySVC gateways, with a
blocking (`Client`) and an async (`AsyncClient`) client written once.

A local emulator of the service and its gateways ships in `unitysvc.emulator` (extra
``unitysvc[emulator]``, console script ``unitysvc-emulator``).
"""

from ._client import (
    DEFAULT_API_URL,
    ENV_API_BASE_URL,
    ENV_API_KEY,
    ENV_API_URL,
    ENV_S3_BASE_URL,
    ENV_SMTP_BASE_URL,
    AsyncClient,
    Client,
)
from ._version import __version__
from ._wrappers import WrappedTarget, build_wrapped_path
from .aliases import Aliases, AsyncAliases
from .enrollments import AsyncEnrollments, Enrollment, EnrollmentList, Enrollments
from .exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
    UnitysvcSDKError,
    ValidationError,
)
from .groups import AsyncGroups, AsyncServiceListPage, Group, GroupListPage, Groups, ServiceListPage
from .models import (
    AccessInterface,
    Alias,
    CustomerEnrollmentCancelResponse,
    LoggingStatusResponse,
    Message,
    RecurrentRequestCreate,
    RecurrentRequestPublic,
    RecurrentRequestsPublic,
    RecurrentRequestStatusEnum,
    RecurrentRequestUpdate,
    RequestLogDetail,
    RequestLogListItem,
    RequestLogListResponse,
    ResolveCandidate,
    ResolveResponse,
    SecretPublic,
    SecretsPublic,
    ServiceAliasCreate,
    ServiceAliasesPublic,
    ServiceAliasUpdate,
    ServiceCollectionMemberPublic,
    SwitchRoutingResponse,
)
from .recurrent_requests import AsyncRecurrentRequests, RecurrentRequests
from .request_logs import AsyncRequestLogs, RequestLogs
from .secrets import AsyncSecrets, Secrets
from .services import AsyncServices, Service, Services
from .streaming import AsyncStreamingResponse, StreamEvent, StreamingResponse

__all__ = [
    "DEFAULT_API_URL",
    "ENV_API_BASE_URL",
    "ENV_API_KEY",
    "ENV_API_URL",
    "ENV_S3_BASE_URL",
    "ENV_SMTP_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AccessInterface",
    "Alias",
    "Aliases",
    "AsyncAliases",
    "AsyncClient",
    "AsyncEnrollments",
    "AsyncGroups",
    "AsyncRecurrentRequests",
    "AsyncRequestLogs",
    "AsyncSecrets",
    "AsyncServiceListPage",
    "AsyncServices",
    "AsyncStreamingResponse",
    "AuthenticationError",
    "Client",
    "ConflictError",
    "CustomerEnrollmentCancelResponse",
    "Enrollment",
    "EnrollmentList",
    "Enrollments",
    "Group",
    "GroupListPage",
    "Groups",
    "LoggingStatusResponse",
    "Message",
    "NotFoundError",
    "PermissionError",
    "RateLimitError",
    "RecurrentRequestCreate",
    "RecurrentRequestPublic",
    "RecurrentRequestStatusEnum",
    "RecurrentRequestUpdate",
    "RecurrentRequests",
    "RecurrentRequestsPublic",
    "RequestLogDetail",
    "RequestLogListItem",
    "RequestLogListResponse",
    "RequestLogs",
    "ResolveCandidate",
    "ResolveResponse",
    "SecretPublic",
    "Secrets",
    "SecretsPublic",
    "ServerError",
    "Service",
    "ServiceAliasCreate",
    "ServiceAliasUpdate",
    "ServiceAliasesPublic",
    "ServiceCollectionMemberPublic",
    "ServiceListPage",
    "Services",
    "StreamEvent",
    "StreamInterruptedError",
    "StreamingResponse",
    "SwitchRoutingResponse",
    "UnitysvcSDKError",
    "ValidationError",
    "WrappedTarget",
    "__version__",
    "build_wrapped_path",
]
