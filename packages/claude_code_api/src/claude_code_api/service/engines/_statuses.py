"""How the Messages API's HTTP error statuses read as failure categories; the statuses not
listed are upstream failures. Shared by the `anthropic` engine and the `claude` CLI's result
line (`api_error_status`)."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import FailureCategory

STATUS_CATEGORIES: Mapping[int, FailureCategory] = {
    400: "bad_request",
    408: "timeout",
    413: "bad_request",
    429: "rate_limited",
    503: "overloaded",
    504: "timeout",
    529: "overloaded",
}
