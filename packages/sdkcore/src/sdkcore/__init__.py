"""sdkcore: the shared runtime of this workspace's API SDKs.

Layering, bottom to top: configuration and validation (`_config`), the sans-I/O request flow and
its two drivers (`_flow`, `_client`), resources written once for both faces (`_resource`),
pagination (`_pagination`), streaming (`_streaming`, `_stream`), errors (`_errors`) and logging
(`_logging`). The emulator kit lives in `sdkcore.emulator` (extra `sdkcore[emulator]`).
"""

from typing import TYPE_CHECKING

from ._arguments import require_text
from ._casts import JsonCast, adapter_at, as_json, as_list, as_model, as_none
from ._client import AsyncAPIClient, BaseClient, ClientProfile, SyncAPIClient
from ._closing import AsyncCloseable, Closeable
from ._config import (
    TimeoutTypes,
    base_url_or_env,
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
from ._exports import lazy_exports
from ._flow import Flow, Send, run_async, run_sync
from ._logging import REDACTED, Redactor, get_logger
from ._multipart import RawBody, multipart_form
from ._operation import MISSING, DualOp, Op, ResultFactory
from ._request import PreparedRequest
from ._resource import Async, Dual, Endpoint, Mode, Raw, Resource, Sync, dual, endpoint
from ._response import APIResponse
from ._retry import IDEMPOTENT_METHODS, RetryPolicy, parse_retry_after
from ._transports import AsyncTransportChoice, async_http_client
from ._types import NOT_GIVEN, NotGiven, RequestOptions, strip_not_given

if TYPE_CHECKING:
    from ._models import BaseModel, CamelModel, PascalModel
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
    from ._stream import AsyncStream, BaseStream, Stream, StreamFactory
    from ._streaming import (
        IncompleteStreamError,
        LineDecoder,
        NDJSONDecoder,
        ServerSentEvent,
        SSEDecoder,
        aiter_decoded,
        aiter_lines,
        aiter_ndjson,
        aiter_sse,
        content_kind,
        iter_decoded,
        iter_lines,
        iter_ndjson,
        iter_sse,
    )

# Streaming loads on first use, so that `import` of an SDK without streams does not pay for it;
# so do pages and the model bases: an SDK needs them once its resources load, and defining the
# first pydantic model loads most of pydantic, which `import` of an SDK should not pay for.
_LAZY = {
    **dict.fromkeys(["BaseModel", "CamelModel", "PascalModel"], "._models"),
    # Pages, then the strategies that find the next one.
    **dict.fromkeys(["AsyncPage", "BasePage", "PageFactory", "SyncPage"], "._pagination"),
    **dict.fromkeys(
        ["CursorPagination", "OffsetPagination", "PageNumberPagination", "PageStrategy"],
        "._pagination",
    ),
    **dict.fromkeys(["AsyncStream", "BaseStream", "Stream", "StreamFactory"], "._stream"),
    **dict.fromkeys(
        [
            "IncompleteStreamError",
            "LineDecoder",
            "NDJSONDecoder",
            "ServerSentEvent",
            "SSEDecoder",
            "aiter_decoded",
            "aiter_lines",
            "aiter_ndjson",
            "aiter_sse",
            "content_kind",
            "iter_decoded",
            "iter_lines",
            "iter_ndjson",
            "iter_sse",
        ],
        "._streaming",
    ),
}

if not TYPE_CHECKING:
    __getattr__ = lazy_exports(__name__, _LAZY)


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
    "AsyncTransportChoice",
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
    "Flow",
    "IncompleteStreamError",
    "JsonCast",
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
    "PreparedRequest",
    "RateLimitError",
    "Raw",
    "RawBody",
    "Redactor",
    "RequestOptions",
    "Resource",
    "ResultFactory",
    "RetryPolicy",
    "SDKError",
    "SSEDecoder",
    "Send",
    "ServerSentEvent",
    "Stream",
    "StreamFactory",
    "Sync",
    "SyncAPIClient",
    "SyncPage",
    "TimeoutTypes",
    "__version__",
    "adapter_at",
    "aiter_decoded",
    "aiter_lines",
    "aiter_ndjson",
    "aiter_sse",
    "as_json",
    "as_list",
    "as_model",
    "as_none",
    "async_http_client",
    "base_url_or_env",
    "coerce_timeout",
    "content_kind",
    "default_error_message",
    "dual",
    "endpoint",
    "env_or",
    "get_logger",
    "is_loopback_host",
    "iter_decoded",
    "iter_lines",
    "iter_ndjson",
    "iter_sse",
    "lazy_exports",
    "multipart_form",
    "parse_error_body",
    "parse_retry_after",
    "path_segment",
    "require_setting",
    "require_text",
    "run_async",
    "run_sync",
    "strip_not_given",
    "validate_base_url",
    "validate_headers",
    "validate_max_retries",
]
