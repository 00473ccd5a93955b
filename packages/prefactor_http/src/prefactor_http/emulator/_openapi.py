"""The emulator's OpenAPI document, generated from models: each route's success body is an
SDK model (`documented`), its request body one of `_bodies`, every error the `ErrorBody`.

The routes return plain dicts (``response_model=None``), so nothing is re-serialised and a
schema-based tester compares what the emulator really sends with the models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

import sdkcore
from sdkcore.emulator import inline_definitions

from ..models.base import ApiError

__all__ = ["ERROR_STATUSES", "ErrorBody", "Ping", "documented"]

ERROR_STATUSES = (400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504)
"""What the routes answer besides success: bad JSON, auth, unknown resources and methods,
illegal transitions and key conflicts, invalid fields, and the injected faults."""


class ErrorBody(ApiError):
    """The error envelope; ``errors`` maps field paths (``payload.model``) to messages."""

    status: Literal["error"]
    errors: dict[str, list[str]] = Field(default_factory=dict)


class Ping(sdkcore.BaseModel):
    """The account of the token."""

    account_id: str


def _request_body(model: type[BaseModel], required: bool) -> dict[str, Any]:
    content = {
        "application/json": {"schema": inline_definitions(model.model_json_schema(by_alias=True))}
    }
    return {"requestBody": {"required": required, "content": content}}


def documented(
    response: type[BaseModel], body: type[BaseModel] | None = None, *, required: bool = True
) -> dict[str, Any]:
    """Route options: the success body ``response`` and the JSON request body ``body``
    (``required`` or not), inlined so each operation reads on its own."""
    description = f"Success: {response.__name__}"
    options: dict[str, Any] = {
        "response_model": None,
        "responses": {200: {"model": response, "description": description}},
    }
    if body is not None:
        options["openapi_extra"] = _request_body(body, required)
    return options
