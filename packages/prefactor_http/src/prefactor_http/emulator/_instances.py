"""Agent instance actions: register, get, start, finish, record_quality."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sdkcore.emulator import Database, new_id

from ..models.types import FINISH_STATUSES, INSTANCE_PURPOSES
from ._actions import Actions, Context, fresh_id, owned, transition
from ._agents import agent
from ._envelope import ApiError, success
from ._params import Params, invalid
from ._schema_versions import quality_schemas, span_types
from ._schemas import payload_errors
from ._store import environment_id, instance_object, now

__all__ = ["INSTANCE_ACTIONS", "check_payload", "instance", "require_status", "terminate"]

INSTANCE_ACTIONS = Actions()


def instance(ctx: Context, instance_id: str) -> dict[str, Any]:
    """The instance ``instance_id`` of the caller's account."""
    return owned(ctx, "instances", "agent instance", instance_id)


def require_status(found: dict[str, Any], statuses: tuple[str, ...], wanted: str) -> None:
    """Refuse (409, "cannot ``wanted``") unless the instance ``found`` is in ``statuses``."""
    if found["status"] not in statuses:
        raise transition(f"agent instance {found['id']!r}", found["status"], wanted)


def _instance_body(ctx: Context, instance_id: str) -> dict[str, Any]:
    return success(instance_object(ctx.db, instance(ctx, instance_id)))


def check_payload(schema: Any, payload: Any, field: str) -> None:
    """422 naming each failing field when ``payload`` breaks ``schema`` (None: anything)."""
    if schema is None:
        return
    errors = payload_errors(schema, payload, field)
    if errors:
        raise ApiError(422, "validation_error", f"{field} does not match its schema", errors)


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


def _environment(ctx: Context, params: Params) -> str:
    """The account's environment; the emulator has one per account."""
    own = environment_id(ctx.account_id)
    given = params.opt_id("environment_id")
    if given is not None and given != own:
        raise ApiError(404, "not_found", f"environment {given!r} not found")
    return own


@INSTANCE_ACTIONS.register("agent_instances/register")
def _register(ctx: Context, params: Params) -> dict[str, Any]:
    found = agent(ctx, params.text("agent_id"))
    if found["status"] == "retired":
        raise transition(f"agent {found['id']!r}", "retired", "register an instance")
    environment = _environment(ctx, params)
    purpose = params.choice("purpose", INSTANCE_PURPOSES, "live")
    version = params.sub("agent_version")
    version.obj("runtime_environment")
    schema = params.sub("agent_schema_version")
    types = span_types(schema)
    qualities = quality_schemas(schema)
    external = params.opt_id("external_identifier")
    if external is not None and ctx.db.scalar(
        "SELECT 1 FROM instances WHERE agent_id = ? AND external_identifier = ?",
        (found["id"], external),
    ):
        raise ApiError(
            409,
            "conflict",
            f"external_identifier {external!r} is already taken",
            {"external_identifier": ["has already been taken"]},
        )
    stamp = now()
    version_id = _find_or_insert(
        ctx,
        "agent_versions",
        found["id"],
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
        found["id"],
        schema.opt_text("external_identifier"),
        {
            "span_types": json.dumps(types),
            "quality_schemas": json.dumps(qualities),
            "inserted_at": stamp,
        },
    )
    if params.flag("update_current_version", True):
        ctx.db.execute(
            "UPDATE agents SET current_version_id = ?, status = 'active', updated_at = ?"
            " WHERE id = ?",
            (version_id, stamp, found["id"]),
        )
    instance_id = fresh_id(ctx, "instances", params.opt_id("id"), "inst_")
    ctx.db.execute(
        "INSERT INTO instances (id, account_id, agent_id, agent_version_id, schema_version_id,"
        " environment_id, status, purpose, external_identifier, inserted_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
        (
            instance_id,
            ctx.account_id,
            found["id"],
            version_id,
            schema_id,
            environment,
            purpose,
            external,
            stamp,
            stamp,
        ),
    )
    return _instance_body(ctx, instance_id)


@INSTANCE_ACTIONS.register("agent_instances/get", writes=False)
def _get_instance(ctx: Context, params: Params) -> dict[str, Any]:
    return _instance_body(ctx, params.text("agent_instance_id"))


@INSTANCE_ACTIONS.register("agent_instances/start")
def _start(ctx: Context, params: Params) -> dict[str, Any]:
    found = instance(ctx, params.text("agent_instance_id"))
    started = params.timestamp("timestamp") or now()
    require_status(found, ("pending",), "start an instance that is not pending")
    ctx.db.execute(
        "UPDATE instances SET status = 'active', started_at = ?, updated_at = ? WHERE id = ?",
        (started, now(), found["id"]),
    )
    return _instance_body(ctx, found["id"])


@INSTANCE_ACTIONS.register("agent_instances/finish")
def _finish(ctx: Context, params: Params) -> dict[str, Any]:
    found = instance(ctx, params.text("agent_instance_id"))
    status = params.choice("status", FINISH_STATUSES, "complete")
    finished = params.timestamp("timestamp") or now()
    require_status(found, ("active",), "finish an instance that is not active")
    ctx.db.execute(
        "UPDATE instances SET status = ?, finished_at = ?, updated_at = ? WHERE id = ?",
        (status, finished, now(), found["id"]),
    )
    return _instance_body(ctx, found["id"])


@INSTANCE_ACTIONS.register("agent_instances/record_quality")
def _record_quality(ctx: Context, params: Params) -> dict[str, Any]:
    found = instance(ctx, params.text("agent_instance_id"))
    name = params.text("name")
    payload = params.obj("payload")
    defined: dict[str, Any] = json.loads(
        ctx.db.scalar(
            "SELECT quality_schemas FROM schema_versions WHERE id = ?",
            (found["schema_version_id"],),
        )
    )
    if name not in defined:
        known = ", ".join(sorted(defined)) or "none"
        raise invalid("name", f"is not a quality schema of the instance's schema (known: {known})")
    recorded: dict[str, Any] = json.loads(found["quality_payloads"])
    if payload is None:
        recorded.pop(name, None)
    else:
        check_payload(defined[name]["schema"], payload, "payload")
        recorded[name] = payload
    ctx.db.execute(
        "UPDATE instances SET quality_payloads = ?, updated_at = ? WHERE id = ?",
        (json.dumps(recorded), now(), found["id"]),
    )
    return _instance_body(ctx, found["id"])


def terminate(db: Database, instance_id: str, reason: str | None) -> None:
    """Stop a pending or active instance as the service would (the emulator's stand-in for
    terminating it in the Prefactor app): its status becomes ``terminated`` and span answers
    carry ``control: {"terminate": true, "reason": ...}``."""
    with db.transaction():
        status = db.scalar("SELECT status FROM instances WHERE id = ?", (instance_id,))
        if status is None:
            raise KeyError(f"no agent instance {instance_id!r}")
        if status not in ("pending", "active"):
            raise ValueError(f"agent instance {instance_id!r} is {status}")
        stamp = now()
        db.execute(
            "UPDATE instances SET status = 'terminated', termination_reason = ?,"
            " finished_at = ?, updated_at = ? WHERE id = ?",
            (reason, stamp, stamp, instance_id),
        )
