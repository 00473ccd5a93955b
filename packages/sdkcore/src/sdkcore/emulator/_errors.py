"""Uniform error responses: every failure answers in the emulated API's own error shape."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, TypeAlias

from fastapi.exceptions import RequestValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match

__all__ = [
    "EmulatorError",
    "ErrorBodyFactory",
    "allowed_methods",
    "bearer_token",
    "install_error_handlers",
]

ErrorBodyFactory: TypeAlias = Callable[[int, str, Any], Any]
"""Builds an API's JSON error body from ``(status_code, message, details)``."""

# Where install_error_handlers leaves its factory so install_faults can reuse it.
ERROR_BODY_STATE = "emulator_error_body"


class EmulatorError(Exception):
    """Raise from an endpoint to answer with an error response.

    The body is ``error_body(status_code, message, None)`` from `install_error_handlers`,
    or ``body`` verbatim when given (bytes are sent raw, anything else as JSON).
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the response: status, message, optional explicit body and headers."""
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.body = body
        self.headers: dict[str, str] = dict(headers or {})

    def __repr__(self) -> str:
        """Show the status and message."""
        return f"EmulatorError({self.status_code}, {self.message!r})"


def status_phrase(status_code: int) -> str:
    """Return the reason phrase of ``status_code`` (``HTTP <code>`` when it has none)."""
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return f"HTTP {status_code}"


def error_response(
    error_body: ErrorBodyFactory | None,
    status_code: int,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build the JSON error response; without a factory the body is ``{"error": message}``."""
    if status_code < 200 or status_code in (204, 304):
        # These statuses must not carry a body.
        return Response(status_code=status_code, headers=headers)
    body = error_body(status_code, message, details) if error_body else {"error": message}
    return JSONResponse(body, status_code=status_code, headers=headers)


def _json_safe(value: Any) -> Any:
    # Pydantic error dicts may hold exceptions (ctx.error) or bytes (input).
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _validation_message(errors: list[Any]) -> str:
    parts = []
    for error in errors:
        loc = ".".join(str(part) for part in error.get("loc", ()))
        parts.append(f"{loc}: {error.get('msg', 'invalid')}" if loc else str(error.get("msg")))
    return (
        "Request validation failed: " + "; ".join(parts) if parts else "Request validation failed"
    )


def install_error_handlers(app: Starlette, error_body: ErrorBodyFactory) -> None:
    """Make every error response of ``app`` use ``error_body(status, message, details)``.

    Covers `EmulatorError`, HTTP exceptions (including unknown routes -> 404 and wrong
    methods -> 405), request validation (-> 422, ``details`` = JSON-safe list of pydantic
    errors) and unhandled exceptions (-> 500). Response headers such as ``Retry-After``
    are preserved. `install_faults` reuses ``error_body`` unless given its own.
    """
    setattr(app.state, ERROR_BODY_STATE, error_body)

    async def on_emulator_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, EmulatorError)
        if exc.body is None:
            return error_response(error_body, exc.status_code, exc.message, None, exc.headers)
        if isinstance(exc.body, (bytes, bytearray)):
            media_type = (
                None if "content-type" in map(str.lower, exc.headers) else "application/json"
            )
            return Response(bytes(exc.body), exc.status_code, exc.headers, media_type)
        return JSONResponse(exc.body, status_code=exc.status_code, headers=exc.headers)

    async def on_http_exception(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        # FastAPI's HTTPException accepts any JSON-able detail, not only text.
        detail: Any = exc.detail
        if isinstance(detail, str):
            message, details = detail, None
        else:
            message, details = status_phrase(exc.status_code), _json_safe(detail)
        headers = exc.headers
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        return error_response(error_body, exc.status_code, message, details, headers)

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = _json_safe(list(exc.errors()))
        return error_response(error_body, 422, _validation_message(errors), errors)

    async def on_unhandled(request: Request, exc: Exception) -> Response:
        message = f"internal emulator error: {type(exc).__name__}: {exc}"
        return error_response(error_body, 500, message)

    app.add_exception_handler(EmulatorError, on_emulator_error)
    app.add_exception_handler(HTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unhandled)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def allowed_methods(request: Request) -> str:
    """The methods the app routes at the request's path, for a 405's ``Allow`` header.

    Starlette's 405 names only the methods of the first route matching the path, while
    FastAPI registers one route per method; asking every route about every method (through
    the public ``matches``, which included routers implement too) finds them all.
    """
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


def bearer_token(request: HTTPConnection) -> str | None:
    """Return the token of an ``Authorization: Bearer <token>`` header, else None.

    The scheme is matched case-insensitively; a missing or empty token gives None.
    """
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None
