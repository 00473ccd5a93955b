"""Agent actions: create, get, show, list, update, retire, reinstate, delete."""

from __future__ import annotations

import json
from typing import Any

from ._actions import MAX_OFFSET, Actions, Context, fresh_id, owned, transition
from ._envelope import ApiError, success
from ._params import Params, invalid
from ._schema_versions import risk_rollup
from ._store import agent_object, environment_id, now

__all__ = ["AGENT_ACTIONS", "SORTABLE"]

AGENT_ACTIONS = Actions()

_PEOPLE = ("owner_person_id", "risk_profile_id", "team_id")
SORTABLE = ("id", "name", "external_identifier", "status", "inserted_at", "updated_at")
"""Fields a listing may be sorted by (``sorting=name``, ``sorting=-inserted_at``)."""
_DEFAULT_SORT = "inserted_at"
_NULL = "null"
"""A filter value matching agents where the field is unset."""


def agent(ctx: Context, agent_id: str) -> dict[str, Any]:
    """The agent ``agent_id`` of the caller's account."""
    return owned(ctx, "agents", "agent", agent_id)


def _agent_body(ctx: Context, agent_id: str) -> dict[str, Any]:
    return success(agent_object(ctx.db, agent(ctx, agent_id)))


@AGENT_ACTIONS.register("agents/create")
def _create_agent(ctx: Context, params: Params) -> dict[str, Any]:
    details = params.sub("details")
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
    agent_id = fresh_id(ctx, "agents", details.opt_id("id"), "agent_")
    people = [details.opt_id(field) for field in _PEOPLE]
    stamp = now()
    ctx.db.execute(
        "INSERT INTO agents (id, account_id, name, description, external_identifier, status,"
        " owner_person_id, risk_profile_id, team_id, inserted_at, updated_at, seq)"
        " VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?,"
        " (SELECT COALESCE(MAX(seq), 0) + 1 FROM agents))",
        (
            agent_id,
            ctx.account_id,
            name,
            details.opt_text("description"),
            external,
            *people,
            stamp,
            stamp,
        ),
    )
    return _agent_body(ctx, agent_id)


@AGENT_ACTIONS.register("agents/get", writes=False)
def _get_agent(ctx: Context, params: Params) -> dict[str, Any]:
    return _agent_body(ctx, params.text("agent_id"))


def _agent_risks(ctx: Context, agent_id: str, environment: str | None) -> list[dict[str, Any]]:
    """The data risks of the span types and quality schemas the agent's instances use (in
    ``environment`` when given)."""
    scope = "" if environment is None else " AND environment_id = ?"
    rows = ctx.db.query(
        "SELECT span_types, quality_schemas FROM schema_versions WHERE id IN"
        f" (SELECT schema_version_id FROM instances WHERE agent_id = ?{scope})",
        (agent_id,) if environment is None else (agent_id, environment),
    )
    risks: list[dict[str, Any]] = []
    for row in rows:
        for column in ("span_types", "quality_schemas"):
            risks.extend(entry["data_risk"] for entry in json.loads(row[column]).values())
    return risks


@AGENT_ACTIONS.register("agents/show", writes=False)
def _show_agent(ctx: Context, params: Params) -> dict[str, Any]:
    agent_id = params.opt_text("agent_id")
    external = params.opt_text("external_identifier")
    if agent_id is None and external is None:
        raise ApiError(404, "not_found", "give agent_id or external_identifier to find an agent")
    if agent_id is None:
        found = ctx.db.scalar(
            "SELECT id FROM agents WHERE account_id = ? AND external_identifier = ?",
            (ctx.account_id, external),
        )
        if found is None:
            raise ApiError(404, "not_found", f"no agent with external_identifier {external!r}")
        agent_id = str(found)
    row = agent(ctx, agent_id)
    if external is not None and row["external_identifier"] != external:
        raise ApiError(404, "not_found", f"agent {agent_id!r} has another external_identifier")
    environment = params.opt_text("environment_id")
    if environment is not None and environment != environment_id(ctx.account_id):
        raise ApiError(404, "not_found", f"environment {environment!r} not found")
    shown = agent_object(ctx.db, row, environment)
    if params.flag("include_risk_rollup", False):
        shown["risk_rollup"] = risk_rollup(_agent_risks(ctx, agent_id, environment))
    return success(shown)


def _sorting(params: Params) -> tuple[str, str]:
    text = params.opt_text("sorting") or _DEFAULT_SORT
    field, direction = (text[1:], "desc") if text.startswith("-") else (text, "asc")
    if field not in SORTABLE:
        raise invalid("sorting", f"must name one of {', '.join(SORTABLE)} (- for descending)")
    return field, direction


@AGENT_ACTIONS.register("agents/list", writes=False)
def _list_agents(ctx: Context, params: Params) -> dict[str, Any]:
    paging = Params(params.obj("pagination") or params.values, "pagination.")
    offset = paging.count("offset", 0, 0, MAX_OFFSET)
    size = paging.count("page_size", 25, 1, 100)
    field, direction = _sorting(params)
    where = "account_id = ?"
    values: list[Any] = [ctx.account_id]
    for name in _PEOPLE:
        wanted = params.opt_text(name)
        if wanted == _NULL:
            where += f" AND {name} IS NULL"
        elif wanted is not None:
            where += f" AND {name} = ?"
            values.append(wanted)
    total = ctx.db.scalar(f"SELECT COUNT(*) FROM agents WHERE {where}", tuple(values))
    order = "DESC" if direction == "desc" else "ASC"
    rows = ctx.db.query(
        f"SELECT * FROM agents WHERE {where} ORDER BY {field} {order}, seq {order}"
        " LIMIT ? OFFSET ?",
        (*values, size, offset),
    )
    summaries = []
    for row in rows:
        summary = agent_object(ctx.db, row)
        summary.pop("instance_counts")
        summaries.append(summary)
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
        "sorting": {"field": field, "direction": direction},
    }


@AGENT_ACTIONS.register("agents/update")
def _update_agent(ctx: Context, params: Params) -> dict[str, Any]:
    found = agent(ctx, params.text("agent_id"))
    if found["status"] == "retired":
        raise transition(f"agent {found['id']!r}", "retired", "update a retired agent")
    details = params.sub("details")
    name = details.opt_text("name")
    if name is not None and not name.strip():
        raise invalid("details.name", "must be a non-empty string")
    description = details.opt_text("description")
    ctx.db.execute(
        "UPDATE agents SET name = COALESCE(?, name), description = COALESCE(?, description),"
        " updated_at = ? WHERE id = ?",
        (name, description, now(), found["id"]),
    )
    # Named with null clears the field; not named keeps it.
    for field in _PEOPLE:
        if field in details.values:
            ctx.db.execute(
                f"UPDATE agents SET {field} = ? WHERE id = ?",
                (details.opt_id(field), found["id"]),
            )
    return _agent_body(ctx, found["id"])


def _set_agent_status(ctx: Context, params: Params, *, retire: bool) -> dict[str, Any]:
    found = agent(ctx, params.text("agent_id"))
    if retire == (found["status"] == "retired"):
        wanted = "retire the agent" if retire else "reinstate the agent"
        raise transition(f"agent {found['id']!r}", found["status"], wanted)
    status = "retired" if retire else ("active" if found["current_version_id"] else "pending")
    ctx.db.execute(
        "UPDATE agents SET status = ?, updated_at = ? WHERE id = ?", (status, now(), found["id"])
    )
    return _agent_body(ctx, found["id"])


@AGENT_ACTIONS.register("agents/retire")
def _retire_agent(ctx: Context, params: Params) -> dict[str, Any]:
    return _set_agent_status(ctx, params, retire=True)


@AGENT_ACTIONS.register("agents/reinstate")
def _reinstate_agent(ctx: Context, params: Params) -> dict[str, Any]:
    return _set_agent_status(ctx, params, retire=False)


@AGENT_ACTIONS.register("agents/delete")
def _delete_agent(ctx: Context, params: Params) -> dict[str, Any]:
    body = _agent_body(ctx, params.text("agent_id"))
    if body["details"]["instance_counts"]["total"]:
        raise ApiError(
            409, "conflict", "an agent with instances cannot be deleted; retire it instead"
        )
    ctx.db.execute("DELETE FROM agents WHERE id = ?", (body["details"]["id"],))
    return body
