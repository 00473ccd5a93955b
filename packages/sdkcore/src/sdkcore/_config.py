"""Configuration resolution and validation, done before any request is built."""

from __future__ import annotations

import functools
import ipaddress
import math
import os
import re
from collections.abc import Mapping
from typing import overload
from urllib.parse import quote

import httpx

__all__ = [
    "TimeoutTypes",
    "coerce_timeout",
    "env_or",
    "is_loopback_host",
    "path_segment",
    "require_setting",
    "validate_base_url",
    "validate_headers",
    "validate_max_retries",
]

TimeoutTypes = float | int | httpx.Timeout | None


@overload
def env_or(value: str | None, env_var: str) -> str | None: ...
@overload
def env_or(value: str | None, env_var: str, default: str) -> str: ...
def env_or(value: str | None, env_var: str, default: str | None = None) -> str | None:
    """Explicit argument, else the environment variable (when non-empty), else `default`."""
    if value is not None:
        return value
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env
    return default


def base_url_or_env(value: str | httpx.URL | None, env_var: str, default: str) -> str | httpx.URL:
    """The explicit base URL, else the environment variable (when non-empty), else `default`."""
    if isinstance(value, httpx.URL):
        return value
    return env_or(value, env_var, default)


def require_setting(
    value: str | None,
    *,
    argument: str,
    env_var: str,
    error: type[Exception] = ValueError,
) -> str:
    """Resolve a required string setting; a missing or blank one names the argument and variable."""
    resolved = env_or(value, env_var)
    if resolved is None or not resolved.strip():
        raise error(
            f"The {argument} client option must be set either by passing {argument} to the "
            f"client or by setting the {env_var} environment variable"
        )
    # Stray whitespace (a trailing newline from a .env file) would make the header invalid.
    resolved = resolved.strip()
    _check_header_value(resolved, argument)
    return resolved


def validate_base_url(
    base_url: str | httpx.URL, *, argument: str = "base_url", allow_insecure_http: bool = False
) -> httpx.URL:
    """Parse a base URL; it needs an http(s) scheme and a host. A trailing slash is dropped.

    Plain `http://` is accepted only for a loopback host (127.0.0.0/8, ::1, `localhost`), since
    every request carries credentials; `allow_insecure_http=True` lifts that for services
    reached over a trusted network (self-hosted deployments, containers on one host).
    """
    text = str(base_url).strip()
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"{argument} is not a valid URL: {text!r}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"{argument} must be an absolute http:// or https:// URL, got {text!r}")
    if url.query or url.fragment or url.userinfo:
        # Paths are appended to the base URL: a query or fragment would swallow them, and
        # credentials in it would end up in logs and reprs.
        raise ValueError(f"{argument} must not contain credentials, a query or a fragment")
    if url.scheme == "http" and not allow_insecure_http and not is_loopback_host(url.host):
        raise ValueError(
            f"{argument} {text!r} uses plain http:// to a host that is not loopback, so the "
            "credentials would travel unencrypted; use https://, or pass "
            "allow_insecure_http=True to the client if this is a self-hosted service on a "
            "network you trust"
        )
    return url.copy_with(path=url.path.rstrip("/"))


def is_loopback_host(host: str) -> bool:
    """Whether `host` (as parsed by httpx: no brackets, lower case) names this machine."""
    host = host.rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def coerce_timeout(timeout: TimeoutTypes, *, argument: str = "timeout") -> httpx.Timeout:
    """Turn a float (total seconds) or `httpx.Timeout` into a validated `httpx.Timeout`."""
    if isinstance(timeout, httpx.Timeout):
        parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
        for part in parts:
            _check_seconds(part, argument)
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"{argument} must be a number of seconds or httpx.Timeout, got {timeout!r}")
    _check_seconds(float(timeout), argument)
    return httpx.Timeout(float(timeout))


def path_segment(value: str, *, argument: str) -> str:
    """Percent-encode one path parameter; an empty or non-string value names the argument."""
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{argument} must be a non-empty string")
    if value in (".", ".."):
        # Percent-encoding leaves dots alone and URL normalisation would climb the path.
        raise ValueError(f"{argument} must not be '.' or '..'")
    if _unreserved().fullmatch(value):
        return value  # what quote() would return, without its Python-level work per call
    return quote(value, safe="")


@functools.cache
def _unreserved() -> re.Pattern[str]:
    # Compiled on first use, not at import.
    return re.compile(r"[A-Za-z0-9_.~-]+")


def _check_seconds(value: float | None, argument: str) -> None:
    if value is not None and (not math.isfinite(value) or value <= 0):
        raise ValueError(
            f"{argument} must be a positive, finite number of seconds (None for no limit), "
            f"got {value!r}"
        )


def validate_max_retries(max_retries: int, *, argument: str = "max_retries") -> int:
    """`max_retries` must be a non-negative int."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError(f"{argument} must be an int, got {max_retries!r}")
    if max_retries < 0:
        raise ValueError(f"{argument} must be >= 0, got {max_retries}")
    return max_retries


def validate_headers(
    headers: Mapping[str, str] | None, *, argument: str = "headers"
) -> dict[str, str]:
    """Copy `headers`, refusing non-string values and CR/LF (header injection)."""
    if not headers:
        return {}
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"{argument} names and values must be str, got {name!r}: {value!r}")
        if not _TOKEN.fullmatch(name):
            raise ValueError(f"{argument} name {name!r} is not a valid HTTP header name")
        _check_header_value(value, f"{argument}[{name!r}]")
        checked[name] = value
    return checked


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def _check_header_value(value: str, what: str) -> None:
    # Checked here so a bad value fails at once, naming the option, instead of surfacing
    # later as a "connection error" whose message would echo the value.
    if "\r" in value or "\n" in value or "\x00" in value:
        raise ValueError(f"{what} must not contain CR, LF or NUL characters")
    if value != value.strip(" \t"):
        raise ValueError(f"{what} must not start or end with whitespace")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"{what} must contain only latin-1 characters") from None
