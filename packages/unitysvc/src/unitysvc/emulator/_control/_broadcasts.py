"""Control plane for broadcasts: ``/v1/broadcasts`` (the gateway side is `_fanout`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictBool

from .._deps import Customer, State
from .._routes import ControlRouter
from ._common import Body, JsonInt, Limit, Skip, listing
from ._named import MAX_ORDER, MAX_TIMEOUT_MS, Name, NamedTable, TargetPath
from ._named_routes import add_named_routes

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


add_named_routes(router, BROADCASTS, BroadcastCreate, BroadcastUpdate, TargetCreate)


@router.api("GET", "/broadcasts/{broadcast_id}/tasks")
async def list_tasks(
    state: State, customer: Customer, broadcast_id: str, skip: Skip = 0, limit: Limit = 100
) -> dict[str, Any]:
    """The tasks an async broadcast's dispatches queued, newest first, with their outcome."""
    row = BROADCASTS.own(state, customer, broadcast_id)
    return listing(
        state,
        "broadcast_tasks",
        customer,
        dict,
        order="created_at DESC, target",
        skip=skip,
        limit=limit,
        filters=[("broadcast_id = ?", row["id"])],
    )
