"""Agent span actions: create and finish, payloads checked against their span type."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..models.types import FINISH_STATUSES, SPAN_STATUSES
from ._actions import Actions, Context, fresh_id, owned, transition
from ._envelope import success
from ._instances import check_payload, instance, require_status
from ._params import Params, invalid
from ._store import now, span_object

__all__ = ["SPAN_ACTIONS"]

SPAN_ACTIONS = Actions()


def _span(ctx: Context, span_id: str) -> dict[str, Any]:
    # Spans carry their account directly, so the check needs no join.
    return owned(ctx, "spans", "agent span", span_id)


def _span_type(ctx: Context, owner: Mapping[str, Any], name: str) -> dict[str, Any]:
    raw = ctx.db.scalar(
        "SELECT span_types FROM schema_versions WHERE id = ?", (owner["schema_version_id"],)
    )
    types: dict[str, dict[str, Any]] = json.loads(raw)
    if name not in types:
        known = ", ".join(sorted(types)) or "none"
        raise invalid(
            "schema_name", f"is not a span type of the instance's schema (known: {known})"
        )
    return types[name]


def _answer(ctx: Context, span_id: str, owner: Mapping[str, Any]) -> dict[str, Any]:
    """The span, with the signal to stop when the service terminated its instance."""
    body = success(span_object(_span(ctx, span_id)))
    if owner["status"] == "terminated":
        body["control"] = {"terminate": True, "reason": owner["termination_reason"]}
    return body


@SPAN_ACTIONS.register("agent_spans/create")
def _create_span(ctx: Context, params: Params) -> dict[str, Any]:
    found = instance(ctx, params.text("agent_instance_id"))
    # A terminated instance still takes the spans its agent sends before it hears of it.
    require_status(
        found, ("pending", "active", "terminated"), "create a span on a finished instance"
    )
    schema_name = params.text("schema_name")
    status = params.choice("status", SPAN_STATUSES, "active")
    payload = params.obj("payload") or {}
    result_payload = params.obj("result_payload")
    span_type = _span_type(ctx, found, schema_name)
    check_payload(span_type["params_schema"], payload, "payload")
    if result_payload is not None:
        check_payload(span_type.get("result_schema"), result_payload, "result_payload")
    parent_id = params.opt_id("parent_span_id")
    if parent_id is not None:
        parent = ctx.db.query_one("SELECT instance_id FROM spans WHERE id = ?", (parent_id,))
        if parent is None or parent["instance_id"] != found["id"]:
            raise invalid("parent_span_id", "is not a span of this agent instance")
    stamp = now()
    started = params.timestamp("started_at") or stamp
    finished = params.timestamp("finished_at")
    if status in FINISH_STATUSES and finished is None:
        finished = stamp
    span_id = fresh_id(ctx, "spans", params.opt_id("id"), "span_")
    ctx.db.execute(
        "INSERT INTO spans (id, account_id, agent_id, instance_id, parent_span_id, schema_name,"
        " schema_title, status, payload, result_payload, started_at, inserted_at, updated_at,"
        " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            span_id,
            ctx.account_id,
            found["agent_id"],
            found["id"],
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
    return _answer(ctx, span_id, found)


@SPAN_ACTIONS.register("agent_spans/finish")
def _finish_span(ctx: Context, params: Params) -> dict[str, Any]:
    span = _span(ctx, params.text("agent_span_id"))
    status = params.choice("status", FINISH_STATUSES, "complete")
    result_payload = params.obj("result_payload")
    finished = params.timestamp("timestamp") or now()
    if span["status"] not in ("pending", "active"):
        raise transition(f"agent span {span['id']!r}", span["status"], "finish a finished span")
    found = instance(ctx, span["instance_id"])
    if result_payload is not None:
        span_type = _span_type(ctx, found, span["schema_name"])
        check_payload(span_type.get("result_schema"), result_payload, "result_payload")
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
    return _answer(ctx, span["id"], found)
