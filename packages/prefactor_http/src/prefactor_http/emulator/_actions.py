"""Every action of the API, shared by its own route and by the bulk endpoint.

An action takes the caller's account and a JSON object of parameters and returns the success
body. `perform` runs one in a transaction and makes writes idempotent: a key seen before with
the same parameters returns the first result and writes nothing; with other parameters, 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sdkcore.emulator import Database, new_id

from ..models.types import AGENT_STATUSES, FINISH_STATUSES
from ._envelope import ApiError, success
from ._params import Params, invalid
from ._schemas import check_schema, payload_errors
from ._store import (
    agent_object,
    environment_id,
    instance_object,
    now,
    span_object,
)

__all__ = ["ACTIONS", "MAX_OFFSET", "Context", "perform"]

MAX_OFFSET = 2**62
"""Largest listing offset (SQLite integers are 64-bit)."""


@dataclass(frozen=True)
class Context:
    """Who is acting, on which database."""

    db: Database
    account_id: str


Handler = Callable[[Context, Params], dict[str, Any]]


@dataclass(frozen=True)
class Action:
    """An action's handler and whether it writes (only writes are made idempotent)."""

    handler: Handler
    writes: bool


ACTIONS: dict[str, Action] = {}


def _action(name: str, *, writes: bool = True) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ACTIONS[name] = Action(handler, writes)
        return handler

    return register


def _fingerprint(params: Mapping[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def perform(
    db: Database, account_id: str, name: str, params: Mapping[str, Any], key: str | None
) -> dict[str, Any]:
    """Run action ``name`` in its own transaction, idempotently when ``key`` is given."""
    action = ACTIONS[name]
    idempotent = action.writes and key is not None
    fingerprint = _fingerprint(params)
    with db.transaction():
        if idempotent:
            seen = db.query_one(
                "SELECT fingerprint, response FROM idempotency"
                " WHERE account_id = ? AND action = ? AND key = ?",
                (account_id, name, key),
            )
            if seen is not None:
                if seen["fingerprint"] != fingerprint:
                    raise ApiError(
                        409,
                        "idempotency_conflict",
                        f"idempotency key {key!r} was already used for {name} with other "
                        "parameters",
                        {"idempotency_key": ["was already used with other parameters"]},
                    )
                replay: dict[str, Any] = json.loads(seen["response"])
                return replay
        result = action.handler(Context(db, account_id), Params(params))
        if idempotent:
            db.execute(
                "INSERT INTO idempotency (account_id, action, key, fingerprint, response,"
                " inserted_at) VALUES (?, ?, ?, ?, ?, ?)",
                (account_id, name, key, fingerprint, json.dumps(result), now()),
            )
    return result


# -- ownership -------------------------------------------------------------------------------


def _owned(ctx: Context, table: str, label: str, resource_id: str) -> dict[str, Any]:
    row = ctx.db.query_one(f"SELECT * FROM {table} WHERE id = ?", (resource_id,))
    if row is None:
        raise ApiError(404, "not_found", f"{label} {resource_id!r} not found")
    if row["account_id"] != ctx.account_id:
        raise ApiError(403, "forbidden", f"{label} {resource_id!r} belongs to another account")
    return row


def _agent(ctx: Context, agent_id: str) -> dict[str, Any]:
    return _owned(ctx, "agents", "agent", agent_id)


def _instance(ctx: Context, instance_id: str) -> dict[str, Any]:
    return _owned(ctx, "instances", "agent instance", instance_id)


def _span(ctx: Context, span_id: str) -> dict[str, Any]:
    # Spans carry their account directly, so the check needs no join.
    return _owned(ctx, "spans", "agent span", span_id)


def _transition(what: str, current: str, wanted: str) -> ApiError:
    return ApiError(
        409,
        "invalid_transition",
        f"cannot {wanted}: {what} is {current}",
        {"status": [f"is {current}"]},
    )


def _fresh_id(ctx: Context, table: str, given: str | None, prefix: str) -> str:
    if given is None:
        return new_id(prefix)
    if ctx.db.scalar(f"SELECT 1 FROM {table} WHERE id = ?", (given,)):
        raise ApiError(409, "conflict", f"id {given!r} is already taken", {"id": ["is taken"]})
    return given


# -- agents ----------------------------------------------------------------------------------


def _agent_body(ctx: Context, agent_id: str) -> dict[str, Any]:
    return success(agent_object(ctx.db, _agent(ctx, agent_id)))


def _details(params: Params) -> Params:
    """Agent writes take their fields inside ``details``."""
    return params.sub("details")


@_action("agents/create")
def _create_agent(ctx: Context, params: Params) -> dict[str, Any]:
    details = _details(params)
    name = details.text("name")
    external = details.opt_text("external_identifier")
    if external is not None and ctx.db.scalar(
        "SELECT 1 FROM agents WHERE account_id = ? AND external_identifier = ?",
        (ctx.account_id, external),
    ):
        raise ApiError(
            409,
            "conflict",
            f"external_identifier {external!r} is already taken",
            {"details.external_identifier": ["has already been taken"]},
        )
    agent_id = _fresh_id(ctx, "agents", details.opt_id("id"), "agent_")
    stamp = now()
    ctx.db.execute(
        "INSERT INTO agents (id, account_id, name, description, external_identifier, status,"
        " inserted_at, updated_at, seq) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?,"
        " (SELECT COALESCE(MAX(seq), 0) + 1 FROM agents))",
        (agent_id, ctx.account_id, name, details.opt_text("description"), external, stamp, stamp),
    )
    return _agent_body(ctx, agent_id)


@_action("agents/get", writes=False)
def _get_agent(ctx: Context, params: Params) -> dict[str, Any]:
    return _agent_body(ctx, params.text("agent_id"))


@_action("agents/show", writes=False)
def _show_agent(ctx: Context, params: Params) -> dict[str, Any]:
    agent_id = params.opt_text("agent_id")
    if agent_id is not None:
        return _agent_body(ctx, agent_id)
    external = params.opt_text("external_identifier")
    if external is None:
        raise ApiError(404, "not_found", "give agent_id or external_identifier to find an agent")
    found = ctx.db.scalar(
        "SELECT id FROM agents WHERE account_id = ? AND external_identifier = ?",
        (ctx.account_id, external),
    )
    if found is None:
        raise ApiError(404, "not_found", f"no agent with external_identifier {external!r}")
    return _agent_body(ctx, found)


@_action("agents/list", writes=False)
def _list_agents(ctx: Context, params: Params) -> dict[str, Any]:
    paging = Params(params.obj("pagination") or params.values, "pagination.")
    offset = paging.count("offset", 0, 0, MAX_OFFSET)
    size = paging.count("page_size", 25, 1, 100)
    total = ctx.db.scalar("SELECT COUNT(*) FROM agents WHERE account_id = ?", (ctx.account_id,))
    rows = ctx.db.query(
        "SELECT * FROM agents WHERE account_id = ? ORDER BY seq LIMIT ? OFFSET ?",
        (ctx.account_id, size, offset),
    )
    summaries = []
    for row in rows:
        agent = agent_object(ctx.db, row)
        agent.pop("instance_counts")
        summaries.append(agent)
    return {
        "status": "success",
        "summaries": summaries,
        "pagination": {
            "item_count": total,
            "item_start": offset + 1 if rows else 0,
            "item_end": offset + len(rows),
            "page_count": -(-total // size),
            "page_index": offset // size + 1,
            "page_offset": offset,
            "page_size": size,
            "next_page_offset": offset + size if offset + size < total else None,
            "previous_page_offset": max(offset - size, 0) if offset else None,
        },
    }


@_action("agents/update")
def _update_agent(ctx: Context, params: Params) -> dict[str, Any]:
    agent = _agent(ctx, params.text("agent_id"))
    if agent["status"] == "retired":
        raise _transition(f"agent {agent['id']!r}", "retired", "update a retired agent")
    details = _details(params)
    name = details.opt_text("name")
    if name is not None and not name.strip():
        raise invalid("details.name", "must be a non-empty string")
    description = details.opt_text("description")
    ctx.db.execute(
        "UPDATE agents SET name = COALESCE(?, name), description = COALESCE(?, description),"
        " updated_at = ? WHERE id = ?",
        (name, description, now(), agent["id"]),
    )
    return _agent_body(ctx, agent["id"])


def _set_agent_status(ctx: Context, params: Params, *, retire: bool) -> dict[str, Any]:
    agent = _agent(ctx, params.text("agent_id"))
    if retire == (agent["status"] == "retired"):
        wanted = "retire the agent" if retire else "reinstate the agent"
        raise _transition(f"agent {agent['id']!r}", agent["status"], wanted)
    status = "retired" if retire else ("active" if agent["current_version_id"] else "pending")
    ctx.db.execute(
        "UPDATE agents SET status = ?, updated_at = ? WHERE id = ?", (status, now(), agent["id"])
    )
    return _agent_body(ctx, agent["id"])


@_action("agents/retire")
def _retire_agent(ctx: Context, params: Params) -> dict[str, Any]:
    return _set_agent_status(ctx, params, retire=True)


@_action("agents/reinstate")
def _reinstate_agent(ctx: Context, params: Params) -> dict[str, Any]:
    return _set_agent_status(ctx, params, retire=False)


@_action("agents/delete")
def _delete_agent(ctx: Context, params: Params) -> dict[str, Any]:
    body = _agent_body(ctx, params.text("agent_id"))
    if body["details"]["instance_counts"]["total"]:
        raise ApiError(
            409, "conflict", "an agent with instances cannot be deleted; retire it instead"
        )
    ctx.db.execute("DELETE FROM agents WHERE id = ?", (body["details"]["id"],))
    return body


# -- agent instances -------------------------------------------------------------------------


def _instance_body(ctx: Context, instance_id: str) -> dict[str, Any]:
    return success(instance_object(ctx.db, _instance(ctx, instance_id)))


def _span_types(schema: Params) -> dict[str, dict[str, Any]]:
    """The span types of a schema version, in either of its two forms, checked."""
    types: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    listed = schema.values.get("span_type_schemas")
    flat = schema.obj("span_schemas")
    if listed is None and flat is None:
        raise invalid(
            "agent_schema_version.span_type_schemas",
            "or span_schemas is required",
        )
    if listed is not None:
        if not isinstance(listed, list):
            raise invalid("agent_schema_version.span_type_schemas", "must be a list")
        for index, item in enumerate(listed):
            entry = Params(
                item if isinstance(item, Mapping) else {},
                f"agent_schema_version.span_type_schemas[{index}].",
            )
            if not isinstance(item, Mapping):
                raise invalid(entry.prefix.rstrip("."), "must be an object")
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
        types[name] = {"params_schema": params_schema, "result_schema": result_schema}
    if errors:
        raise ApiError(422, "validation_error", "invalid span schemas", errors)
    return types


def _find_or_insert(
    ctx: Context, table: str, agent_id: str, external: str | None, columns: Mapping[str, Any]
) -> str:
    """Reuse the row with this external identifier, else insert one; returns its id."""
    if external is not None:
        found = ctx.db.scalar(
            f"SELECT id FROM {table} WHERE agent_id = ? AND external_identifier = ?",
            (agent_id, external),
        )
        if found is not None:
            return str(found)
    row_id = new_id("ver_" if table == "agent_versions" else "sch_")
    values = {"id": row_id, "agent_id": agent_id, "external_identifier": external, **columns}
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    ctx.db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values.values()))
    return row_id


@_action("agent_instances/register")
def _register(ctx: Context, params: Params) -> dict[str, Any]:
    agent = _agent(ctx, params.text("agent_id"))
    if agent["status"] == "retired":
        raise _transition(f"agent {agent['id']!r}", "retired", "register an instance")
    version = params.sub("agent_version")
    schema = params.sub("agent_schema_version")
    span_types = _span_types(schema)
    stamp = now()
    version_id = _find_or_insert(
        ctx,
        "agent_versions",
        agent["id"],
        version.opt_text("external_identifier"),
        {
            "name": version.opt_text("name"),
            "description": version.opt_text("description"),
            "inserted_at": stamp,
        },
    )
    schema_id = _find_or_insert(
        ctx,
        "schema_versions",
        agent["id"],
        schema.opt_text("external_identifier"),
        {"span_types": json.dumps(span_types), "inserted_at": stamp},
    )
    if params.flag("update_current_version", True):
        ctx.db.execute(
            "UPDATE agents SET current_version_id = ?, status = 'active', updated_at = ?"
            " WHERE id = ?",
            (version_id, stamp, agent["id"]),
        )
    instance_id = _fresh_id(ctx, "instances", params.opt_id("id"), "inst_")
    ctx.db.execute(
        "INSERT INTO instances (id, account_id, agent_id, agent_version_id, schema_version_id,"
        " environment_id, status, inserted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?,"
        " 'pending', ?, ?)",
        (
            instance_id,
            ctx.account_id,
            agent["id"],
            version_id,
            schema_id,
            environment_id(ctx.account_id),
            stamp,
            stamp,
        ),
    )
    return _instance_body(ctx, instance_id)


@_action("agent_instances/get", writes=False)
def _get_instance(ctx: Context, params: Params) -> dict[str, Any]:
    return _instance_body(ctx, params.text("agent_instance_id"))


@_action("agent_instances/start")
def _start(ctx: Context, params: Params) -> dict[str, Any]:
    instance = _instance(ctx, params.text("agent_instance_id"))
    started = params.timestamp("timestamp") or now()
    if instance["status"] != "pending":
        what = f"agent instance {instance['id']!r}"
        raise _transition(what, instance["status"], "start an instance that is not pending")
    ctx.db.execute(
        "UPDATE instances SET status = 'active', started_at = ?, updated_at = ? WHERE id = ?",
        (started, now(), instance["id"]),
    )
    return _instance_body(ctx, instance["id"])


@_action("agent_instances/finish")
def _finish(ctx: Context, params: Params) -> dict[str, Any]:
    instance = _instance(ctx, params.text("agent_instance_id"))
    status = params.choice("status", FINISH_STATUSES, "complete")
    finished = params.timestamp("timestamp") or now()
    if instance["status"] != "active":
        what = f"agent instance {instance['id']!r}"
        raise _transition(what, instance["status"], "finish an instance that is not active")
    ctx.db.execute(
        "UPDATE instances SET status = ?, finished_at = ?, updated_at = ? WHERE id = ?",
        (status, finished, now(), instance["id"]),
    )
    return _instance_body(ctx, instance["id"])


# -- agent spans -----------------------------------------------------------------------------


def _span_type(ctx: Context, instance: Mapping[str, Any], name: str) -> dict[str, Any]:
    raw = ctx.db.scalar(
        "SELECT span_types FROM schema_versions WHERE id = ?", (instance["schema_version_id"],)
    )
    types: dict[str, dict[str, Any]] = json.loads(raw)
    if name not in types:
        known = ", ".join(sorted(types)) or "none"
        raise invalid(
            "schema_name", f"is not a span type of the instance's schema (known: {known})"
        )
    return types[name]


def _check_payload(schema: Any, payload: Any, field: str) -> None:
    if schema is None:
        return
    errors = payload_errors(schema, payload, field)
    if errors:
        raise ApiError(422, "validation_error", f"{field} does not match its schema", errors)


@_action("agent_spans/create")
def _create_span(ctx: Context, params: Params) -> dict[str, Any]:
    instance = _instance(ctx, params.text("agent_instance_id"))
    if instance["status"] not in ("pending", "active"):
        what = f"agent instance {instance['id']!r}"
        raise _transition(what, instance["status"], "create a span on a finished instance")
    schema_name = params.text("schema_name")
    status = params.choice("status", AGENT_STATUSES, "active")
    payload = params.obj("payload") or {}
    result_payload = params.obj("result_payload")
    span_type = _span_type(ctx, instance, schema_name)
    _check_payload(span_type["params_schema"], payload, "payload")
    if result_payload is not None:
        _check_payload(span_type.get("result_schema"), result_payload, "result_payload")
    parent_id = params.opt_id("parent_span_id")
    if parent_id is not None:
        parent = ctx.db.query_one("SELECT instance_id FROM spans WHERE id = ?", (parent_id,))
        if parent is None or parent["instance_id"] != instance["id"]:
            raise invalid("parent_span_id", "is not a span of this agent instance")
    stamp = now()
    started = params.timestamp("started_at") or stamp
    finished = params.timestamp("finished_at")
    if status in FINISH_STATUSES and finished is None:
        finished = stamp
    span_id = _fresh_id(ctx, "spans", params.opt_id("id"), "span_")
    ctx.db.execute(
        "INSERT INTO spans (id, account_id, agent_id, instance_id, parent_span_id, schema_name,"
        " schema_title, status, payload, result_payload, started_at, inserted_at, updated_at,"
        " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            span_id,
            ctx.account_id,
            instance["agent_id"],
            instance["id"],
            parent_id,
            schema_name,
            span_type.get("title"),
            status,
            json.dumps(payload),
            None if result_payload is None else json.dumps(result_payload),
            started,
            stamp,
            stamp,
            finished,
        ),
    )
    return success(span_object(_span(ctx, span_id)))


@_action("agent_spans/finish")
def _finish_span(ctx: Context, params: Params) -> dict[str, Any]:
    span = _span(ctx, params.text("agent_span_id"))
    status = params.choice("status", FINISH_STATUSES, "complete")
    result_payload = params.obj("result_payload")
    finished = params.timestamp("timestamp") or now()
    if span["status"] not in ("pending", "active"):
        raise _transition(f"agent span {span['id']!r}", span["status"], "finish a finished span")
    if result_payload is not None:
        instance = _instance(ctx, span["instance_id"])
        span_type = _span_type(ctx, instance, span["schema_name"])
        _check_payload(span_type.get("result_schema"), result_payload, "result_payload")
    ctx.db.execute(
        "UPDATE spans SET status = ?, result_payload = COALESCE(?, result_payload),"
        " finished_at = ?, updated_at = ? WHERE id = ?",
        (
            status,
            None if result_payload is None else json.dumps(result_payload),
            finished,
            now(),
            span["id"],
        ),
    )
    return success(span_object(_span(ctx, span["id"])))
