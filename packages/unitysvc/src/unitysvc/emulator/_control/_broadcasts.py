"""Control plane for broadcasts: ``/v1/broadcasts`` (the gateway side is `_fanout`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool

from .._deps import Customer, State
from .._routes import ControlRouter
from ._common import Body, JsonInt, Limit, Skip
from ._named import MAX_ORDER, MAX_TIMEOUT_MS, Name, NamedTable, TargetPath

__all__ = ["BROADCASTS", "router"]

router = ControlRouter()

BROADCASTS = NamedTable(
    table="broadcasts",
    children="broadcast_targets",
    parent_key="broadcast_id",
    children_field="targets",
    what="broadcast",
    child_what="target",
    parent_columns=("name", "description", "mode", "target_timeout_ms", "enabled"),
    child_columns=("name", "target_path", "routing_key_override", "sort_order"),
    json_columns=("routing_key_override",),
    nullable=("routing_key_override",),
)


class TargetCreate(Body):
    """One target: a gateway-relative path, and a routing key to send it with."""

    name: Name
    target_path: TargetPath
    routing_key_override: dict[str, Any] | None = None
    sort_order: JsonInt = Field(default=0, ge=0, le=MAX_ORDER)


class BroadcastCreate(Body):
    """Body of a broadcast create."""

    name: Name
    description: str | None = Field(default=None, max_length=2000)
    mode: Literal["sync", "async"] = "sync"
    target_timeout_ms: JsonInt = Field(default=30000, ge=1, le=MAX_TIMEOUT_MS)
    enabled: StrictBool = True
    targets: list[TargetCreate] = Field(default_factory=list, max_length=50)


class BroadcastUpdate(Body):
    """Body of a broadcast update; only the fields sent change."""

    description: str | None = Field(default=None, max_length=2000)
    mode: Literal["sync", "async"] = "sync"
    target_timeout_ms: JsonInt = Field(default=30000, ge=1, le=MAX_TIMEOUT_MS)
    enabled: StrictBool = True


@router.api("GET", "/broadcasts/")
async def list_broadcasts(
    state: State, customer: Customer, skip: Skip = 0, limit: Limit = 100
) -> dict[str, Any]:
    """The customer's broadcasts, with their targets."""
    return BROADCASTS.page(state, customer, skip, limit)


@router.api("POST", "/broadcasts/", status_code=201)
async def create_broadcast(
    state: State, customer: Customer, body: BroadcastCreate
) -> dict[str, Any]:
    """Create a broadcast, dispatchable at ``/gateway/api/b/<name>``."""
    fields = body.model_dump(exclude={"targets"})
    targets = [t.model_dump() for t in body.targets]
    return BROADCASTS.create(state, customer, fields, targets)


@router.api("GET", "/broadcasts/{broadcast_id}")
async def get_broadcast(state: State, customer: Customer, broadcast_id: str) -> dict[str, Any]:
    """One broadcast."""
    return BROADCASTS.as_json(state, BROADCASTS.own(state, customer, broadcast_id))


@router.api("PATCH", "/broadcasts/{broadcast_id}")
async def update_broadcast(
    state: State, customer: Customer, broadcast_id: str, body: BroadcastUpdate
) -> dict[str, Any]:
    """Change the fields sent."""
    return BROADCASTS.update(state, customer, broadcast_id, body.model_dump(exclude_unset=True))


@router.api("DELETE", "/broadcasts/{broadcast_id}")
async def delete_broadcast(state: State, customer: Customer, broadcast_id: str) -> dict[str, Any]:
    """Delete a broadcast and its targets."""
    return BROADCASTS.delete(state, customer, broadcast_id)


@router.api("POST", "/broadcasts/{broadcast_id}/targets", status_code=201)
async def add_target(
    state: State, customer: Customer, broadcast_id: str, body: TargetCreate
) -> dict[str, Any]:
    """Add one target."""
    return BROADCASTS.add_child(state, customer, broadcast_id, body.model_dump())


@router.api("PUT", "/broadcasts/{broadcast_id}/targets")
async def replace_targets(
    state: State,
    customer: Customer,
    broadcast_id: str,
    body: Annotated[list[TargetCreate], Field(max_length=50)],
) -> dict[str, Any]:
    """Replace every target at once; returns the broadcast."""
    targets = [t.model_dump() for t in body]
    return BROADCASTS.replace_children(state, customer, broadcast_id, targets)


@router.api("DELETE", "/broadcasts/{broadcast_id}/targets/{target_id}")
async def remove_target(
    state: State, customer: Customer, broadcast_id: str, target_id: str
) -> dict[str, Any]:
    """Remove one target."""
    return BROADCASTS.remove_child(state, customer, broadcast_id, target_id)


@router.api("GET", "/broadcasts/{broadcast_id}/tasks")
async def list_tasks(
    state: State, customer: Customer, broadcast_id: str, skip: Skip = 0, limit: Limit = 100
) -> dict[str, Any]:
    """The tasks an async broadcast's dispatches queued, newest first, with their outcome."""
    row = BROADCASTS.own(state, customer, broadcast_id)
    count = state.db.scalar(
        "SELECT COUNT(*) FROM broadcast_tasks WHERE broadcast_id = ?", (row["id"],)
    )
    rows = state.db.query(
        "SELECT * FROM broadcast_tasks WHERE broadcast_id = ? ORDER BY created_at DESC, target "
        "LIMIT ? OFFSET ?",
        (row["id"], limit, skip),
    )
    return {"data": rows, "count": int(count)}
