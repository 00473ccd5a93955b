"""`HttpClientConfig`: every client setting, validated when the config is built."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import httpx

import sdkcore

__all__ = ["DEFAULT_API_URL", "DEFAULT_RETRY_STATUS_CODES", "HttpClientConfig"]

DEFAULT_API_URL = "https://api.prefactor.ai"
DEFAULT_RETRY_STATUS_CODES = (429, 500, 502, 503, 504)
# A generated key is "<prefix>-<32 hex digits>"; the API accepts keys of up to 64 characters.
_MAX_KEY_PREFIX = 31


@dataclass(repr=False)
class HttpClientConfig:
    """Configuration of `PrefactorHttpClient` and `SyncPrefactorHttpClient`.

    Attributes:
        api_url: API root, e.g. ``https://api.prefactor.ai``; defaults to ``PREFACTOR_API_URL``.
        api_token: Bearer token; defaults to ``PREFACTOR_API_TOKEN``.
        request_timeout: Seconds a request may take (default 30).
        connect_timeout: Seconds to open a connection (default 10).
        max_retries: Retries after the first attempt (default 3; 0 disables).
        initial_retry_delay: Backoff before the first retry, in seconds (default 1).
        max_retry_delay: Cap on any backoff delay and on an honoured ``Retry-After`` (default 60).
        retry_multiplier: Backoff growth per retry (default 2).
        retry_on_status_codes: Statuses that are retried (default 429, 500, 502, 503, 504).
        default_idempotency_key: Prefix of the idempotency keys generated for writes.
        allow_insecure_http: Accept a plain ``http://`` api_url to a host that is not
            loopback (a self-hosted Prefactor on a network you trust); refused otherwise,
            since every request carries the token.

    Every invalid value raises `ValueError` naming the field.
    """

    api_url: str = ""
    api_token: str = field(default="", repr=False)
    request_timeout: float = 30.0
    connect_timeout: float = 10.0
    max_retries: int = 3
    initial_retry_delay: float = 1.0
    max_retry_delay: float = 60.0
    retry_multiplier: float = 2.0
    retry_on_status_codes: tuple[int, ...] = DEFAULT_RETRY_STATUS_CODES
    default_idempotency_key: str | None = None
    allow_insecure_http: bool = False

    def __post_init__(self) -> None:
        """Fill the url and token from the environment, then validate every field."""
        self.api_url = str(
            sdkcore.validate_base_url(
                _setting(self.api_url, "api_url", "PREFACTOR_API_URL"),
                argument="api_url",
                allow_insecure_http=self.allow_insecure_http,
            )
        )
        self.api_token = sdkcore.require_setting(
            _setting(self.api_token, "api_token", "PREFACTOR_API_TOKEN"),
            argument="api_token",
            env_var="PREFACTOR_API_TOKEN",
        )
        for name in ("request_timeout", "connect_timeout", "initial_retry_delay"):
            _positive(self, name)
        _positive(self, "max_retry_delay")
        _number(self, "retry_multiplier")
        if self.retry_multiplier < 1:
            raise ValueError(f"retry_multiplier must be >= 1, got {self.retry_multiplier!r}")
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ValueError(f"max_retries must be an int, got {self.max_retries!r}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        self.retry_on_status_codes = _status_codes(self.retry_on_status_codes)
        self.default_idempotency_key = _key_prefix(self.default_idempotency_key)

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeouts as one `httpx.Timeout`."""
        return httpx.Timeout(self.request_timeout, connect=self.connect_timeout)

    def __repr__(self) -> str:
        return (
            f"HttpClientConfig(api_url={self.api_url!r}, api_token={sdkcore.REDACTED!r}, "
            f"request_timeout={self.request_timeout!r}, connect_timeout={self.connect_timeout!r}, "
            f"max_retries={self.max_retries!r})"
        )


def _setting(value: object, name: str, env_var: str) -> str:
    if value is None or value == "":
        value = os.environ.get(env_var, "")
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} is required: pass {name} or set {env_var}")
    return value


def _number(config: HttpClientConfig, name: str) -> float:
    value = getattr(config, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _positive(config: HttpClientConfig, name: str) -> None:
    if _number(config, name) <= 0:
        raise ValueError(f"{name} must be > 0, got {getattr(config, name)!r}")


def _status_codes(codes: object) -> tuple[int, ...]:
    if isinstance(codes, (str, bytes)) or not isinstance(codes, (tuple, list, set, frozenset)):
        raise ValueError(f"retry_on_status_codes must be a tuple of ints, got {codes!r}")
    checked = tuple(codes)
    for code in checked:
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            raise ValueError(f"retry_on_status_codes must hold HTTP statuses, got {code!r}")
    return checked


def _key_prefix(prefix: object) -> str | None:
    if prefix is None:
        return None
    if not isinstance(prefix, str) or not prefix.strip():
        raise ValueError(f"default_idempotency_key must be a non-empty str, got {prefix!r}")
    if len(prefix) > _MAX_KEY_PREFIX or not prefix.isascii() or not prefix.isprintable():
        raise ValueError(
            f"default_idempotency_key must be at most {_MAX_KEY_PREFIX} printable ASCII "
            f"characters, got {prefix!r}"
        )
    return prefix
