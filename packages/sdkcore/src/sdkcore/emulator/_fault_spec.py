"""What a fault is, and the ``X-Emulator-Fault`` header grammar that selects one.

Header grammar: ``kind[=value][;key=value]*``, for example ``status=503;retry_after=2``,
``reset``, ``delay=0.3``, ``html=504`` (or ``html;status=504``) or ``status=500;times=2``
(``times`` limits the fault to the first N matching requests; see `FaultInjector`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args

__all__ = ["Fault", "FaultKind", "FaultRule", "parse_fault_header"]

FaultKind = Literal[
    "delay", "status", "reset", "truncate", "malformed_json", "html", "stall", "cut_stream"
]
"""The kinds of fault the kit can inject."""

_KINDS: tuple[str, ...] = get_args(FaultKind)
_TIMED = ("delay", "stall")
_WITH_STATUS = ("status", "html")


@dataclass(frozen=True)
class Fault:
    """One misbehaviour to inject into a response.

    - ``delay``: wait ``seconds``, then answer normally.
    - ``status``: answer ``status`` (400-599) with the API's error body, without calling the
      app; ``retry_after`` (seconds) sends ``Retry-After`` (as an HTTP-date when
      ``retry_after_date``), ``retry_after_ms`` sends ``retry-after-ms``.
    - ``reset``: drop the connection with a TCP reset before any response byte; with
      ``processed`` the app handles the request first (its response is lost).
    - ``truncate``: send half of the real body under its full Content-Length, then close.
    - ``malformed_json``: let the app run, but answer 200 with the invalid JSON ``{"truncated": ``.
    - ``html``: answer ``status`` (default 502) with a proxy-style HTML error page.
    - ``stall``: send the response headers, then nothing for ``seconds``.
    - ``cut_stream``: send the first body chunk and half of the next, then close.

    ``reset``, ``truncate`` and ``cut_stream`` act on the socket, so they need the app to be
    served by `serve` or `run_server` (see `EmulatorHTTPProtocol`). ``truncate`` and
    ``malformed_json`` wait for the whole response, so use ``cut_stream`` on endless streams.
    """

    kind: FaultKind
    status: int | None = None
    seconds: float = 0.0
    retry_after: float | None = None
    retry_after_ms: float | None = None
    retry_after_date: bool = False
    processed: bool = False

    def __post_init__(self) -> None:
        """Reject parameters that do not fit the kind."""
        if self.kind not in _KINDS:
            raise ValueError(
                f"unknown fault kind {self.kind!r} (expected one of {', '.join(_KINDS)})"
            )
        if self.kind == "html" and self.status is None:
            object.__setattr__(self, "status", 502)
        if self.kind in _WITH_STATUS:
            if self.status is None:
                raise ValueError("status needs a code, e.g. status=503")
            if not 400 <= self.status <= 599:
                raise ValueError(f"{self.kind} code must be within 400-599, got {self.status}")
        elif self.status is not None:
            raise ValueError(f"{self.kind} takes no status code")
        if self.kind in _TIMED:
            _check_non_negative(self.seconds, self.kind)
        elif self.seconds:
            raise ValueError(f"{self.kind} takes no duration")
        retry = (self.retry_after, self.retry_after_ms, self.retry_after_date or None)
        if self.kind not in _WITH_STATUS and any(value is not None for value in retry):
            raise ValueError(f"retry_after* parameters apply to status and html, not {self.kind}")
        for name in ("retry_after", "retry_after_ms"):
            value = getattr(self, name)
            if value is not None:
                _check_non_negative(value, name)
        if self.retry_after_date and self.retry_after is None:
            raise ValueError("retry_after_date needs retry_after")
        if self.processed and self.kind != "reset":
            raise ValueError(f"processed applies to reset, not {self.kind}")

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """Build a fault from header syntax, e.g. ``Fault.parse("status=503;retry_after=1")``."""
        fault, times = parse_fault_header(spec)
        if times is not None:
            raise ValueError("times is not part of a fault; use FaultRule(times=...)")
        return fault


@dataclass(frozen=True)
class FaultRule:
    """Inject ``fault`` into requests matching ``method`` and ``path``.

    ``path`` is a regular expression that must match the whole request path; None matches
    anything. ``times`` limits the rule to the first N matching requests (None: always).
    """

    fault: Fault
    method: str | None = None
    path: str | None = None
    times: int | None = None

    def __post_init__(self) -> None:
        """Validate ``times`` and compile ``path`` so mistakes surface at configuration."""
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1, got {self.times}")
        if self.path is not None:
            try:
                re.compile(self.path)
            except re.error as exc:
                raise ValueError(f"invalid path pattern {self.path!r}: {exc}") from None

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with ``method`` and ``path`` is targeted by this rule."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or re.fullmatch(self.path, path) is not None


def _check_non_negative(value: float, name: str) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a non-negative number, got {value}")


def _number(raw: str, name: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


def _integer(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def _flag(raw: str, name: str) -> bool:
    value = raw.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, got {raw!r}")


_PARAMETERS: dict[str, Callable[[str, str], Any]] = {
    "status": _integer,
    "retry_after": _number,
    "retry_after_ms": _number,
    "retry_after_date": _flag,
    "processed": _flag,
}


def parse_fault_header(value: str) -> tuple[Fault, int | None]:
    """Parse an ``X-Emulator-Fault`` value into the fault and its ``times`` limit.

    Raises ValueError with a message fit for the 400 response on any mistake.
    """
    head, *rest = (part.strip() for part in value.split(";"))
    kind, has_value, raw_value = (text.strip() for text in head.partition("="))
    params: dict[str, str] = {}
    for part in rest:
        key, sep, raw = (text.strip() for text in part.partition("="))
        if not sep or not key:
            raise ValueError(f"expected key=value, got {part!r}")
        if key in params:
            raise ValueError(f"{key} given twice")
        params[key] = raw
    times = _integer(params.pop("times"), "times") if "times" in params else None
    if times is not None and times < 1:
        raise ValueError(f"times must be at least 1, got {times}")
    kwargs: dict[str, Any] = {}
    if kind in _TIMED:
        if not has_value:
            raise ValueError(f"{kind} needs seconds, e.g. {kind}=0.5")
        kwargs["seconds"] = _number(raw_value, kind)
    elif kind in _WITH_STATUS and has_value:
        kwargs["status"] = _integer(raw_value, kind)
    elif has_value:
        raise ValueError(f"{kind} takes no value")
    for key, raw in params.items():
        convert = _PARAMETERS.get(key)
        if convert is None:
            raise ValueError(f"unknown parameter {key!r}")
        if key in kwargs:
            raise ValueError(f"{key} given twice")
        kwargs[key] = convert(raw, key)
    return Fault(kind, **kwargs), times  # type: ignore[arg-type]  # Fault checks the kind
