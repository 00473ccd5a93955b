"""A schema version's span types and quality schemas, checked, and the risk they roll up to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..models.data_risk import (
    ACTION_NAMES,
    CATEGORY_NAMES,
    CLASSIFICATIONS,
    INCLUSIONS,
    PERMISSIONS,
)
from ._envelope import ApiError
from ._params import Params, invalid
from ._schemas import check_schema

__all__ = ["quality_schemas", "risk_rollup", "span_types"]

_CATEGORY_GROUPS = ("params_data_categories", "result_data_categories")
# Rolling up, the riskiest answer wins: a thing allowed anywhere is allowed for the agent.
_PERMISSION_RANK = ("disallowed", "unknown", "allowed")
_INCLUSION_RANK = ("excluded", "unknown", "included")
_CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "action_profile": dict.fromkeys(ACTION_NAMES, PERMISSIONS),
    **{
        group: {**dict.fromkeys(CATEGORY_NAMES, INCLUSIONS), "classification": CLASSIFICATIONS}
        for group in _CATEGORY_GROUPS
    },
}
"""The sections of a data risk, each field with the values it may take."""


def _data_risk(value: object, field: str, errors: dict[str, list[str]]) -> dict[str, Any]:
    """``value`` as a complete data risk (unknown where unsaid); problems go to ``errors``."""
    risk: dict[str, Any] = {
        section: dict.fromkeys(fields, "unknown") for section, fields in _CHOICES.items()
    }
    if value is None:
        return risk
    if not isinstance(value, Mapping):
        errors[field] = ["must be an object"]
        return risk
    for key, section in value.items():
        where = f"{field}.{key}"
        if key not in risk:
            errors[where] = [f"must be one of {', '.join(risk)}"]
            continue
        if not isinstance(section, Mapping):
            errors[where] = ["must be an object"]
            continue
        choices = _CHOICES[key]
        for name, chosen in section.items():
            if name not in choices:
                errors[f"{where}.{name}"] = ["is not a known field"]
            elif chosen not in choices[name]:
                errors[f"{where}.{name}"] = [f"must be one of {', '.join(choices[name])}"]
            else:
                risk[key][name] = chosen
    return risk


def _entries(schema: Params, key: str) -> Iterable[tuple[int, Params]]:
    listed = schema.values.get(key)
    if listed is None:
        return
    field = f"{schema.prefix}{key}"
    if not isinstance(listed, list):
        raise invalid(field, "must be a list")
    for index, item in enumerate(listed):
        if not isinstance(item, Mapping):
            raise invalid(f"{field}[{index}]", "must be an object")
        yield index, Params(item, f"{field}[{index}].")


def span_types(schema: Params) -> dict[str, dict[str, Any]]:
    """The span types of a schema version, in either of its two forms, checked."""
    types: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    flat = schema.obj("span_schemas")
    if schema.values.get("span_type_schemas") is None and flat is None:
        raise invalid("agent_schema_version.span_type_schemas", "or span_schemas is required")
    for _, entry in _entries(schema, "span_type_schemas"):
        name = entry.text("name")
        if name in types:
            raise invalid(f"{entry.prefix}name", f"duplicates span type {name!r}")
        params_schema = entry.values.get("params_schema")
        result_schema = entry.values.get("result_schema")
        errors.update(check_schema(params_schema, f"{entry.prefix}params_schema"))
        if result_schema is not None:
            errors.update(check_schema(result_schema, f"{entry.prefix}result_schema"))
        types[name] = {
            "params_schema": params_schema,
            "result_schema": result_schema,
            "title": entry.opt_text("title"),
            "description": entry.opt_text("description"),
            "template": entry.opt_text("template"),
            "data_risk": _data_risk(
                entry.values.get("data_risk"), f"{entry.prefix}data_risk", errors
            ),
        }
    results = schema.obj("span_result_schemas") or {}
    for name in set(results) - set(flat or {}):
        errors[f"agent_schema_version.span_result_schemas.{name}"] = ["names no span schema"]
    for name, params_schema in (flat or {}).items():
        if name in types:
            errors[f"agent_schema_version.span_schemas.{name}"] = ["duplicates a span type"]
        errors.update(check_schema(params_schema, f"agent_schema_version.span_schemas.{name}"))
        result_schema = results.get(name)
        if result_schema is not None:
            errors.update(
                check_schema(result_schema, f"agent_schema_version.span_result_schemas.{name}")
            )
        types[name] = {
            "params_schema": params_schema,
            "result_schema": result_schema,
            "data_risk": _data_risk(None, "", errors),
        }
    if errors:
        raise ApiError(422, "validation_error", "invalid span schemas", errors)
    return types


def quality_schemas(schema: Params) -> dict[str, dict[str, Any]]:
    """The named quality schemas of a schema version (payloads recorded on its instances)."""
    found: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for _, entry in _entries(schema, "quality_schemas"):
        name = entry.text("name")
        if name in found:
            raise invalid(f"{entry.prefix}name", f"duplicates quality schema {name!r}")
        body = entry.values.get("schema")
        errors.update(check_schema(body, f"{entry.prefix}schema"))
        found[name] = {
            "schema": body,
            "title": entry.opt_text("title") or name,
            "description": entry.opt_text("description"),
            "template": entry.opt_text("template"),
            "data_risk": _data_risk(
                entry.values.get("data_risk"), f"{entry.prefix}data_risk", errors
            ),
        }
    if errors:
        raise ApiError(422, "validation_error", "invalid quality schemas", errors)
    return found


def _riskiest(values: Iterable[str], rank: tuple[str, ...]) -> str:
    return max(values, key=rank.index, default="unknown")


def risk_rollup(risks: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The data risk of everything an agent's span types and quality schemas declare: each
    action and data category at its riskiest, the highest classification."""
    rollup: dict[str, Any] = {
        "action_profile": {
            name: _riskiest((risk["action_profile"][name] for risk in risks), _PERMISSION_RANK)
            for name in ACTION_NAMES
        }
    }
    for group in _CATEGORY_GROUPS:
        rollup[group] = {
            name: _riskiest((risk[group][name] for risk in risks), _INCLUSION_RANK)
            for name in CATEGORY_NAMES
        }
        known = [risk[group]["classification"] for risk in risks]
        rollup[group]["classification"] = _riskiest(known, CLASSIFICATIONS)
    return rollup
