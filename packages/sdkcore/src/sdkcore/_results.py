"""What a response becomes: the call's result, cast from the bytes, or a typed error.

Functions of the profile's `ErrorMap` and the client's `Redactor`, so that the client keeps
only the override points an SDK may refine (`_result`, `_status_error`); the request ID an
error carries is read here from the error map's header.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pydantic

from ._casts import JsonCast
from ._errors import APIResponseValidationError, APIStatusError, ErrorMap, parse_error_body
from ._logging import Redactor
from ._operation import Op

__all__ = ["cast_result", "request_id", "status_error"]

_SHAPE_ERRORS = (
    pydantic.ValidationError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    ArithmeticError,
)


def request_id(errors: ErrorMap, response: httpx.Response) -> str | None:
    """The server's request ID, from the header the API names for it."""
    value: str | None = response.headers.get(errors.request_id_header)
    return value


def status_error(errors: ErrorMap, redactor: Redactor, response: httpx.Response) -> APIStatusError:
    """The exception of the API's error map for a non-2xx `response`, with its parsed body."""
    body = parse_error_body(response, keep_text=errors.keep_text_body)
    message = redactor.text(errors.message(response.status_code, body))
    cls = errors.status_class(response.status_code)
    return cls(message, response=response, body=body, request_id=request_id(errors, response))


def cast_result(
    op: Op[Any],
    response: httpx.Response,
    errors: ErrorMap,
    redactor: Redactor,
    wrap: Callable[[Any], Any] | None,
) -> Any:
    """Decode and cast a success response (then `wrap` it: a dual operation's face); shape
    problems become the error map's validation error."""
    cast = op.cast
    content = b"" if op.stream else response.content
    # From bytes straight to models when the cast can: no intermediate dicts to walk.
    from_bytes = cast if content and isinstance(cast, JsonCast) else None
    value: Any = response if op.stream else None
    if from_bytes is None and not op.stream:
        value = _decode(errors, response)
    try:
        result = cast(value) if from_bytes is None else from_bytes.validate_json(content)
        return result if wrap is None else wrap(result)
    except _SHAPE_ERRORS as exc:
        if from_bytes is not None:
            malformed = _json_syntax_error(exc)
            if malformed is not None:
                raise _not_json(errors, response, malformed) from exc
            value = json.loads(content)
        raise errors.validation(
            redactor.text(f"Response does not match the expected schema: {exc}"),
            response=response,
            body=value,
            request_id=request_id(errors, response),
        ) from exc


def _decode(errors: ErrorMap, response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise _not_json(errors, response, str(exc)) from exc


def _not_json(
    errors: ErrorMap, response: httpx.Response, reason: str
) -> APIResponseValidationError:
    return errors.validation(
        f"Response body is not valid JSON: {reason}",
        response=response,
        body=response.text,
        request_id=request_id(errors, response),
    )


def _json_syntax_error(exc: Exception) -> str | None:
    """What pydantic found malformed in a body it parsed itself, if that was the failure."""
    if isinstance(exc, pydantic.ValidationError):
        for error in exc.errors(include_url=False):
            if error["type"] == "json_invalid":
                return error["msg"]
    return None
