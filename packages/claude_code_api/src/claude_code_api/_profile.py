"""The client's defaults and its `sdkcore` profile (retries, timeouts, error classes)."""

from __future__ import annotations

import httpx

import sdkcore

from ._exceptions import ERROR_MAP
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MODELS",
    "PERIODS",
    "PROFILE",
    "PROJECT_HEADER",
    "SSE_HEADERS",
    "TIMEOUT_GRACE",
]

DEFAULT_BASE_URL = "http://localhost:8006"
DEFAULT_TIMEOUT = 300.0
DEFAULT_MAX_RETRIES = 2
MODELS = ("auto", "haiku", "sonnet", "opus")
PROJECT_HEADER = "X-Project-ID"
PERIODS = ("day", "week", "month")
SSE_HEADERS = {"Accept": "text/event-stream"}
# The service answers a timeout itself (504 with the partial result); the client waits a little
# longer than the service so that answer arrives instead of a client-side timeout.
TIMEOUT_GRACE = 10.0

PROFILE = sdkcore.ClientProfile(
    name="claude_code_api",
    version=__version__,
    error_map=ERROR_MAP,
    retry=sdkcore.RetryPolicy(
        max_retries=DEFAULT_MAX_RETRIES,
        initial_delay=0.5,
        max_delay=8.0,
        retry_statuses=frozenset({408, 429, 500, 502, 503}),
    ),
    default_timeout=httpx.Timeout(DEFAULT_TIMEOUT, connect=5.0),
    idempotency_header="Idempotency-Key",
    auto_idempotency=True,
    base_headers={"Accept": "application/json"},
)
