"""Span payloads checked against the JSON Schemas registered for their span types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jsonschema
from jsonschema.exceptions import SchemaError, ValidationError

__all__ = ["check_schema", "payload_errors"]


def _field(prefix: str, path: Iterable[Any]) -> str:
    text = prefix
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def check_schema(schema: object, field: str) -> dict[str, list[str]]:
    """Errors (keyed by ``field``) when ``schema`` is not a valid JSON Schema object."""
    if not isinstance(schema, Mapping):
        return {field: ["must be a JSON Schema object"]}
    try:
        jsonschema.validators.validator_for(schema).check_schema(dict(schema))
    except SchemaError as exc:
        return {_field(field, exc.absolute_path): [exc.message]}
    return {}


def payload_errors(schema: Mapping[str, Any], payload: Any, field: str) -> dict[str, list[str]]:
    """Each violation of ``schema`` by ``payload``, keyed by the failing field's path.

    A missing required property is reported under its own name, e.g. ``payload.model``.
    """
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors: dict[str, list[str]] = {}
    failures: list[ValidationError] = sorted(
        validator.iter_errors(payload), key=lambda error: list(map(str, error.absolute_path))
    )
    for error in failures:
        where = _field(field, error.absolute_path)
        required = error.validator_value
        if error.validator == "required" and isinstance(error.instance, Mapping):
            assert isinstance(required, list)
            for name in required:
                if name not in error.instance:
                    errors.setdefault(f"{where}.{name}", []).append("is required")
            continue
        errors.setdefault(where, []).append(error.message)
    return errors
