"""sdkcore: the shared runtime of this workspace's API SDKs.

Layering, bottom to top: configuration and validation (`_config`), the sans-I/O request flow and
its two drivers (`_flow`, `_client`), resources written once for both faces (`_resource`),
pagination (`_pagination`), streaming (`_streaming`, `_stream`), errors (`_errors`) and logging
(`_logging`). The emulator kit lives in `sdkcore.emulator` (extra `sdkcore[emulator]`).
"""

from ._arguments import require_text
from ._casts import as_json, as_list, as_model, as_none
from ._client import AsyncAPIClient, BaseClient, ClientProfile, SyncAPIClient
from ._closing import AsyncCloseable, Closeable
from ._config import (
    TimeoutTypes,
    coerce_timeout,
    env_or,
    is_loopback_host,
    path_segment,
    require_setting,
    validate_base_url,
    validate_headers,
    validate_max_retries,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ErrorMap,
    RateLimitError,
    SDKError,
    default_error_message,
    parse_error_body,
)
from ._logging import REDACTED, Redactor, get_logger
from ._models import BaseModel, CamelModel, PascalModel
from ._operation import MISSING, DualOp, Op, ResultFactory
from ._pagination import (
    AsyncPage,
    BasePage,
    CursorPagination,
    OffsetPagination,
    PageFactory,
    PageNumberPagination,
    PageStrategy,
    SyncPage,
)
from ._resource import Async, Dual, Endpoint, Mode, Raw, Resource, Sync, dual, endpoint
from ._response import APIResponse
from ._retry import IDEMPOTENT_METHODS, RetryPolicy, parse_retry_after
from ._stream import AsyncStream, BaseStream, Stream, StreamFactory
from ._streaming import (
    IncompleteStreamError,
    LineDecoder,
    NDJSONDecoder,
    ServerSentEvent,
    SSEDecoder,
    content_kind,
)
from ._types import NOT_GIVEN, NotGiven, RequestOptions, strip_not_given

__version__ = "0.1.0"

__all__ = [
    "IDEMPOTENT_METHODS",
    "MISSING",
    "NOT_GIVEN",
    "REDACTED",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Async",
    "AsyncAPIClient",
    "AsyncCloseable",
    "AsyncPage",
    "AsyncStream",
    "BaseClient",
    "BaseModel",
    "BasePage",
    "BaseStream",
    "CamelModel",
    "ClientProfile",
    "Closeable",
    "CursorPagination",
    "Dual",
    "DualOp",
    "Endpoint",
    "ErrorMap",
    "IncompleteStreamError",
    "LineDecoder",
    "Mode",
    "NDJSONDecoder",
    "NotGiven",
    "OffsetPagination",
    "Op",
    "PageFactory",
    "PageNumberPagination",
    "PageStrategy",
    "PascalModel",
    "RateLimitError",
    "Raw",
    "Redactor",
    "RequestOptions",
    "Resource",
    "ResultFactory",
    "RetryPolicy",
    "SDKError",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "StreamFactory",
    "Sync",
    "SyncAPIClient",
    "SyncPage",
    "TimeoutTypes",
    "__version__",
    "as_json",
    "as_list",
    "as_model",
    "as_none",
    "coerce_timeout",
    "content_kind",
    "default_error_message",
    "dual",
    "endpoint",
    "env_or",
    "get_logger",
    "is_loopback_host",
    "parse_error_body",
    "parse_retry_after",
    "path_segment",
    "require_setting",
    "require_text",
    "strip_not_given",
    "validate_base_url",
    "validate_headers",
    "validate_max_retries",
]
