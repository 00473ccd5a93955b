"""Logging and redaction: nothing secret reaches a log line, a repr or an exception message."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from ._request import PreparedRequest

__all__ = ["REDACTED", "Redactor", "get_logger", "log_failure", "log_response"]

REDACTED = "<redacted>"

# Patterns, not compiled ones: `re` compiles them on first use (only when something is logged
# or printed) and caches them, instead of every SDK import compiling them up front.
_SECRET_HEADER = r"authorization|cookie|api[-_]?key|token|secret|signature|password"
_SECRET_PARAM = r"(?:api[-_]?key|token|secret|signature|password|key)$"


def get_logger(name: str) -> logging.Logger:
    """The SDK's logger, `logging.getLogger(<package>)`; silent unless the app configures it."""
    return logging.getLogger(name)


class Redactor:
    """Masks the client's own secrets and any key-like header or query value."""

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Short values would mask innocent substrings everywhere; real keys are long.
        self._secrets = tuple(s for s in secrets if s and len(s) >= 6)

    def text(self, value: str) -> str:
        """`value` with every known secret replaced."""
        for secret in self._secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def headers(self, headers: Mapping[str, str] | httpx.Headers) -> dict[str, str]:
        """A copy of `headers` safe to print."""
        return {
            k: (REDACTED if re.search(_SECRET_HEADER, k, re.I) else self.text(v))
            for k, v in headers.items()
        }

    def url(self, url: httpx.URL) -> str:
        """`url` with key-like query values masked."""
        if not url.query:
            return self.text(str(url))
        params = [
            (k, REDACTED if re.search(_SECRET_PARAM, k, re.I) else v)
            for k, v in url.params.multi_items()
        ]
        return self.text(str(url.copy_with(params=params)))


def log_response(
    logger: logging.Logger,
    redactor: Redactor,
    request: PreparedRequest,
    response: httpx.Response,
    retries: int,
    started: float,
) -> None:
    """At DEBUG: one line per answered attempt, with its status and time since `started`."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "HTTP %s %s -> %d (attempt %d, %.1f ms)",
            request.method,
            redactor.url(request.httpx_request.url),
            response.status_code,
            retries + 1,
            (time.monotonic() - started) * 1000.0,
        )


def log_failure(
    logger: logging.Logger,
    redactor: Redactor,
    request: PreparedRequest,
    exc: Exception,
    retries: int,
    delay: float | None,
) -> None:
    """At DEBUG: one line per failed attempt, and the delay before the next, if any."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "HTTP %s %s failed: %s (attempt %d)%s",
            request.method,
            redactor.url(request.httpx_request.url),
            redactor.text(repr(exc)),
            retries + 1,
            "" if delay is None else f"; retrying in {delay:.2f} s",
        )
