"""The Prefactor error envelope, for every failure the emulator answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sdkcore.emulator import EmulatorError

__all__ = ["ApiError", "error_body", "success"]

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def success(details: Any) -> dict[str, Any]:
    """The success envelope around ``details``."""
    return {"status": "success", "details": details}


def _envelope(
    status_code: int, code: str, message: str, errors: Mapping[str, Any] | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "error", "code": code, "message": message}
    if errors:
        body["errors"] = dict(errors)
    return body


class ApiError(EmulatorError):
    """An error answer in the envelope: ``{"status": "error", "code", "message", "errors"}``."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        errors: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the error; ``errors`` maps field paths to lists of messages."""
        self.code = code
        self.errors = dict(errors or {})
        super().__init__(
            status_code,
            message,
            body=_envelope(status_code, code, message, errors),
            headers=headers,
        )

    def envelope(self) -> dict[str, Any]:
        """The error body (also a bulk item's output)."""
        return _envelope(self.status_code, self.code, self.message, self.errors)


def _field_errors(details: Sequence[Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in details:
        if not isinstance(error, Mapping):
            continue
        loc = [str(part) for part in error.get("loc", ()) if part != "body"]
        errors.setdefault(".".join(loc) or "request", []).append(str(error.get("msg", "invalid")))
    return errors


def error_body(status_code: int, message: str, details: Any) -> dict[str, Any]:
    """The envelope for errors raised outside the routes (unknown routes, faults, 500s)."""
    errors = _field_errors(details) if isinstance(details, Sequence) else None
    code = _CODES.get(status_code, "server_error" if status_code >= 500 else "client_error")
    return _envelope(status_code, code, message, errors)
