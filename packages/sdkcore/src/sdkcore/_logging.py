"""Logging and redaction: nothing secret reaches a log line, a repr or an exception message."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

import httpx

__all__ = ["REDACTED", "Redactor", "get_logger"]

REDACTED = "<redacted>"

_SECRET_HEADER = re.compile(
    r"authorization|cookie|api[-_]?key|token|secret|signature|password", re.I
)
_SECRET_PARAM = re.compile(r"(?:api[-_]?key|token|secret|signature|password|key)$", re.I)


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
            k: (REDACTED if _SECRET_HEADER.search(k) else self.text(v)) for k, v in headers.items()
        }

    def url(self, url: httpx.URL) -> str:
        """`url` with key-like query values masked."""
        if not url.query:
            return self.text(str(url))
        params = [
            (k, REDACTED if _SECRET_PARAM.search(k) else v) for k, v in url.params.multi_items()
        ]
        return self.text(str(url.copy_with(params=params)))
