"""Groups: platform groups and the customer's own collections, their members, and the
services of a group by cursor."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response
from pydantic import Field, StrictBool

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State, gateway_base, not_found
from .._routes import ControlRouter
from .._store import dumps, new_uuid, now
from ._common import Body, JsonInt, cursor_offset, insert_row, next_cursor, pick, update_row
from ._services import interface_json, service_json

__all__ = ["group_by_key", "router"]

router = ControlRouter()


def _group_json(
    state: EmulatorState, request: Request, row: dict[str, Any], customer: str
) -> dict[str, Any]:
    members = state.db.query(
        "SELECT service_id FROM members WHERE group_id = ? ORDER BY sort_order, id", (row["id"],)
    )
    return {
        **pick(row, "id name owner_type owner_id"),
        "editable": row["owner_id"] == customer,
        **pick(row, "display_name description"),
        "member_count": len(members),
        "service_ids": [m["service_id"] for m in members],
        "details": {},
        **pick(row, "group_type is_default:bool"),
        "interface": interface_json(
            "group",
            f"Gateway interface of group {row['name']}",
            f"{gateway_base(request)}/g/{row['name']}",
            row["name"],
            None,
        ),
        **pick(row, "routing_policy:json enabled:bool"),
    }


def _visible_group(
    state: EmulatorState, customer: str, key: str, column: str = "name"
) -> dict[str, Any]:
    row = state.db.query_one(
        f"SELECT * FROM groups WHERE {column} = ? AND (owner_type = 'system' OR owner_id = ?)",
        (key, customer),
    )
    if row is None:
        raise not_found("group")
    return row


def group_by_key(state: EmulatorState, customer: str, key: str) -> dict[str, Any]:
    """A group the customer can see, by id or slug, or 404."""
    row = state.db.query_one(
        "SELECT * FROM groups WHERE (id = ? OR name = ?) "
        "AND (owner_type = 'system' OR owner_id = ?)",
        (key, key, customer),
    )
    if row is None:
        raise not_found("group")
    return row


def _own_group(state: EmulatorState, customer: str, group_id: str) -> dict[str, Any]:
    row = group_by_key(state, customer, group_id)
    if row["owner_id"] != customer:
        raise EmulatorError(403, "platform groups cannot be changed")
    return row


def _group_out(
    state: EmulatorState, request: Request, customer: str, group_id: str
) -> dict[str, Any]:
    return _group_json(state, request, _visible_group(state, customer, group_id, "id"), customer)


@router.api("GET", "/groups")
async def list_groups(
    request: Request,
    state: State,
    customer: Customer,
    owner: Literal["all", "system", "own"] = "all",
) -> dict[str, Any]:
    """Platform groups plus the customer's own collections (not paginated)."""
    clauses = {
        "all": "owner_type = 'system' OR owner_id = ?",
        "system": "owner_type = 'system' AND ? IS NOT NULL",
        "own": "owner_id = ?",
    }
    rows = state.db.query(f"SELECT * FROM groups WHERE {clauses[owner]} ORDER BY name", (customer,))
    data = [_group_json(state, request, row, customer) for row in rows]
    return {"data": data, "count": len(data)}


@router.api("GET", "/groups/{group_id}")
async def get_group(
    request: Request, state: State, customer: Customer, group_id: str
) -> dict[str, Any]:
    """One group by slug (or id)."""
    return _group_json(state, request, group_by_key(state, customer, group_id), customer)


class GroupCreate(Body):
    """Body of a collection create."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    display_name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


@router.api("POST", "/groups", status_code=201)
async def create_group(
    request: Request, state: State, customer: Customer, body: GroupCreate
) -> dict[str, Any]:
    """Create a customer-owned collection."""
    if state.db.query_one("SELECT id FROM groups WHERE name = ?", (body.name,)):
        raise EmulatorError(409, f"a group named {body.name!r} already exists")
    group_id = new_uuid()
    insert_row(
        state,
        "groups",
        {
            "id": group_id,
            "name": body.name,
            "owner_type": "customer",
            "owner_id": customer,
            "display_name": body.display_name,
            "description": body.description,
            "group_type": "collection",
            "routing_policy": dumps({"strategy": "weighted"}),
            "enabled": 1,
            "is_default": 0,
            "created_at": now(),
        },
    )
    return _group_out(state, request, customer, group_id)


class RoutingPolicy(Body):
    """How a group picks a member."""

    strategy: Literal["weighted", "by_routing_key", "by_price"]


# Update bodies are read with exclude_unset, so a default here is never applied; it only keeps
# null out of the schema for fields that cannot be cleared.
class GroupUpdate(Body):
    """Body of a collection update; only the fields sent change."""

    display_name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    enabled: StrictBool = True
    routing_policy: RoutingPolicy = RoutingPolicy(strategy="weighted")


@router.api("PATCH", "/groups/{group_id}")
async def update_group(
    request: Request, state: State, customer: Customer, group_id: str, body: GroupUpdate
) -> dict[str, Any]:
    """Change the fields sent, leave the others."""
    row = _own_group(state, customer, group_id)
    changes = body.model_dump(exclude_unset=True)
    update_row(state, "groups", row["id"], changes, json_columns=("routing_policy",), stamp=False)
    return _group_out(state, request, customer, row["id"])


@router.api("DELETE", "/groups/{group_id}", status_code=204)
async def delete_group(state: State, customer: Customer, group_id: str) -> Response:
    """Delete a customer-owned collection."""
    row = _own_group(state, customer, group_id)
    state.db.execute("DELETE FROM groups WHERE id = ?", (row["id"],))
    return Response(status_code=204)


class MemberCreate(Body):
    """Body of add-member."""

    service_id: str = Field(min_length=1, max_length=64)
    routing_key: dict[str, Any] | None = None
    sort_order: JsonInt = Field(default=0, ge=-(2**31), le=2**31 - 1)
    weight: float = Field(default=1.0, gt=0, le=1_000_000, strict=True)


def _member_json(row: dict[str, Any]) -> dict[str, Any]:
    return pick(row, "id service_id routing_key:json sort_order")


@router.api("POST", "/groups/{group_id}/members", status_code=201)
async def add_member(
    state: State, customer: Customer, group_id: str, body: MemberCreate
) -> dict[str, Any]:
    """Add a catalogue service to a collection."""
    group = _own_group(state, customer, group_id)
    if state.db.query_one("SELECT id FROM services WHERE id = ?", (body.service_id,)) is None:
        raise not_found("service")
    if state.db.query_one(
        "SELECT id FROM members WHERE group_id = ? AND service_id = ?",
        (group["id"], body.service_id),
    ):
        raise EmulatorError(409, "the service is already a member")
    member_id = new_uuid()
    insert_row(
        state,
        "members",
        {
            "id": member_id,
            "group_id": group["id"],
            "service_id": body.service_id,
            "routing_key": dumps(body.routing_key),
            "sort_order": body.sort_order,
            "weight": body.weight,
        },
    )
    row = state.db.query_one("SELECT * FROM members WHERE id = ?", (member_id,))
    assert row is not None
    return _member_json(row)


@router.api("GET", "/groups/{group_id}/members")
async def list_members(state: State, customer: Customer, group_id: str) -> list[dict[str, Any]]:
    """The members of a group."""
    row = group_by_key(state, customer, group_id)
    members = state.db.query(
        "SELECT * FROM members WHERE group_id = ? ORDER BY sort_order, id", (row["id"],)
    )
    return [_member_json(m) for m in members]


@router.api("DELETE", "/groups/{group_id}/members/{service_id}", status_code=204)
async def remove_member(
    state: State, customer: Customer, group_id: str, service_id: str
) -> Response:
    """Remove a member service."""
    group = _own_group(state, customer, group_id)
    removed = state.db.execute(
        "DELETE FROM members WHERE group_id = ? AND service_id = ?", (group["id"], service_id)
    )
    if not removed:
        raise not_found("member")
    return Response(status_code=204)


@router.api("GET", "/groups/{name}/services")
async def group_services(
    state: State,
    customer: Customer,
    name: str,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    search: str | None = None,
) -> dict[str, Any]:
    """The group's services, newest first, by cursor."""
    group = _visible_group(state, customer, name)
    rows = state.db.query(
        "SELECT s.* FROM services s JOIN members m ON m.service_id = s.id WHERE m.group_id = ? "
        "ORDER BY s.created_at DESC, s.id DESC",
        (group["id"],),
    )
    if search:
        needle = search.lower()
        rows = [
            r
            for r in rows
            if needle in r["name"].lower() or needle in (r["display_name"] or "").lower()
        ]
    offset = cursor_offset(cursor, "cursor")
    more = offset + limit < len(rows)
    return {
        "data": [service_json(r) for r in rows[offset : offset + limit]],
        "next_cursor": next_cursor(offset + limit, more),
        "has_more": more,
    }
