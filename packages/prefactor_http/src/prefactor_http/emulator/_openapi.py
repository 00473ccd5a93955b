"""What the emulator's OpenAPI document promises: request bodies and every answer.

The routes read their JSON themselves (so malformed JSON gets the API's own envelope), so the
bodies are documented here as JSON Schemas, inline (no references), in the spec's wire format.
"""

from __future__ import annotations

from typing import Any

from ..models.bulk import BULK_ACTIONS
from ..models.types import FINISH_STATUSES, INSTANCE_PURPOSES, SPAN_STATUSES

__all__ = ["BODIES", "ERROR_RESPONSES", "documented"]

_TEXT = {"type": "string", "pattern": r"\S"}
_OPTIONAL_TEXT = {"anyOf": [{"type": "string"}, {"type": "null"}]}
_OPTIONAL_ID = {"anyOf": [_TEXT, {"type": "null"}]}
_TIMESTAMP = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}
_KEY = {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 64}, {"type": "null"}]}
_OBJECT = {"type": "object"}
_OPTIONAL_OBJECT = {"anyOf": [_OBJECT, {"type": "null"}]}
_FINISH_STATUS = {"anyOf": [{"enum": list(FINISH_STATUSES)}, {"type": "null"}]}

_ERROR = {
    "type": "object",
    "required": ["status", "code", "message"],
    "properties": {
        "status": {"const": "error"},
        "code": {"type": "string"},
        "message": {"type": "string"},
        "errors": {"type": "object"},
    },
}
_SUCCESS = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": {"const": "success"}},
}

_DESCRIPTIONS = {
    400: "Malformed JSON",
    401: "Missing or invalid bearer token",
    403: "A resource of another account",
    404: "No such resource or route",
    405: "Method not allowed",
    409: "Illegal transition, taken id, or idempotency key reused with another body",
    422: "Invalid fields; `errors` names them",
    500: "Internal error",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {"application/json": {"schema": _ERROR}},
    }
    for status, description in _DESCRIPTIONS.items()
}
"""Every error the routes can answer, in the spec's envelope."""


def _object(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required)}


_SPAN_TYPE = _object(
    {
        "name": _TEXT,
        "params_schema": _OBJECT,
        "result_schema": _OPTIONAL_OBJECT,
        "title": _OPTIONAL_TEXT,
        "description": _OPTIONAL_TEXT,
        "template": _OPTIONAL_TEXT,
        "data_risk": _OPTIONAL_OBJECT,
    },
    "name",
    "params_schema",
)
_QUALITY_SCHEMA = _object(
    {
        "name": _TEXT,
        "schema": _OBJECT,
        "title": _OPTIONAL_TEXT,
        "description": _OPTIONAL_TEXT,
        "template": _OPTIONAL_TEXT,
        "data_risk": _OPTIONAL_OBJECT,
    },
    "name",
    "schema",
)
_PEOPLE = {
    "owner_person_id": _OPTIONAL_ID,
    "risk_profile_id": _OPTIONAL_ID,
    "team_id": _OPTIONAL_ID,
}

BODIES: dict[str, dict[str, Any]] = {
    "agents/create": _object(
        {
            "details": _object(
                {
                    "name": _TEXT,
                    "description": _OPTIONAL_TEXT,
                    "external_identifier": _OPTIONAL_TEXT,
                    "id": _OPTIONAL_ID,
                    **_PEOPLE,
                },
                "name",
            ),
            "idempotency_key": _KEY,
        },
        "details",
    ),
    "agents/update": _object(
        {
            "details": _object({"name": _OPTIONAL_ID, "description": _OPTIONAL_TEXT, **_PEOPLE}),
            "idempotency_key": _KEY,
        },
        "details",
    ),
    "agents/key": _object({"idempotency_key": _KEY}),
    "agent_instances/register": _object(
        {
            "agent_id": _TEXT,
            "agent_version": _object(
                {
                    "name": _OPTIONAL_TEXT,
                    "external_identifier": _OPTIONAL_TEXT,
                    "description": _OPTIONAL_TEXT,
                    "runtime_environment": _OPTIONAL_OBJECT,
                }
            ),
            "agent_schema_version": _object(
                {
                    "external_identifier": _OPTIONAL_TEXT,
                    "span_type_schemas": {"type": "array", "items": _SPAN_TYPE},
                    "span_schemas": {"type": "object", "additionalProperties": _OBJECT},
                    "span_result_schemas": {"type": "object", "additionalProperties": _OBJECT},
                    "quality_schemas": {"type": "array", "items": _QUALITY_SCHEMA},
                }
            ),
            "update_current_version": {"type": "boolean"},
            "environment_id": _OPTIONAL_ID,
            "purpose": {"anyOf": [{"enum": list(INSTANCE_PURPOSES)}, {"type": "null"}]},
            "external_identifier": _OPTIONAL_ID,
            "id": _OPTIONAL_ID,
            "idempotency_key": _KEY,
        },
        "agent_id",
        "agent_version",
        "agent_schema_version",
    ),
    "agent_instances/start": _object({"timestamp": _TIMESTAMP, "idempotency_key": _KEY}),
    "agent_instances/finish": _object(
        {"status": _FINISH_STATUS, "timestamp": _TIMESTAMP, "idempotency_key": _KEY}
    ),
    "agent_instances/record_quality": _object(
        {"name": _TEXT, "payload": _OPTIONAL_OBJECT, "idempotency_key": _KEY}, "name"
    ),
    "agent_spans/create": _object(
        {
            "details": _object(
                {
                    "agent_instance_id": _TEXT,
                    "schema_name": _TEXT,
                    "status": {"enum": list(SPAN_STATUSES)},
                    "payload": _OBJECT,
                    "result_payload": _OPTIONAL_OBJECT,
                    "id": _OPTIONAL_ID,
                    "parent_span_id": _OPTIONAL_ID,
                    "started_at": _TIMESTAMP,
                    "finished_at": _TIMESTAMP,
                    "idempotency_key": _KEY,
                },
                "agent_instance_id",
                "schema_name",
                "status",
            ),
        },
        "details",
    ),
    "agent_spans/finish": _object(
        {
            "status": _FINISH_STATUS,
            "result_payload": _OPTIONAL_OBJECT,
            "timestamp": _TIMESTAMP,
            "idempotency_key": _KEY,
        }
    ),
    "bulk": _object(
        {
            "items": {
                "type": "array",
                "minItems": 1,
                "items": _object(
                    {
                        "_type": {"enum": sorted(BULK_ACTIONS)},
                        "idempotency_key": {"type": "string", "minLength": 8, "maxLength": 64},
                    },
                    "_type",
                    "idempotency_key",
                ),
            }
        },
        "items",
    ),
}


def documented(body: str | None = None, *, required: bool = True) -> dict[str, Any]:
    """Route options: the success envelope, every error response and the JSON body
    ``BODIES[body]`` (``required`` or not)."""
    options: dict[str, Any] = {
        "response_model": None,
        "responses": {
            200: {
                "description": "Success",
                "content": {"application/json": {"schema": _SUCCESS}},
            },
            **ERROR_RESPONSES,
        },
    }
    if body is not None:
        schema = {"application/json": {"schema": BODIES[body]}}
        options["openapi_extra"] = {"requestBody": {"required": required, "content": schema}}
    return options
