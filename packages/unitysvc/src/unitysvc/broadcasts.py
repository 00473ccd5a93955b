"""``client.broadcasts``: one call fanned out to many gateway targets at ``/b/<name>``.

A ``sync`` broadcast answers with an envelope of every target's result; an ``async`` one
answers 202 at once with one queued task per target (each run is recorded in the request
log). Broadcasts are managed by id and dispatched by name::

    bc = client.broadcasts.create(
        name="eval-fanout",
        targets=[
            {"name": "small", "target_path": "p/<id>"},
            {"name": "llm", "target_path": "g/llm"},
        ],
    )
    envelope = bc.dispatch(json={"messages": [...]}).json()   # POST /b/eval-fanout
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from pydantic import Field

import sdkcore
from sdkcore import Async, BaseModel, DualOp, Mode, Op, Sync, as_model, dual, endpoint

from ._args import check_int
from ._routes import (
    NamedRoute,
    RouteList,
    RouteResource,
    check_item,
    check_name,
    check_targets,
    partial_body,
)
from .models import Message

__all__ = [
    "AsyncBroadcasts",
    "Broadcast",
    "BroadcastList",
    "BroadcastTarget",
    "BroadcastTask",
    "BroadcastTaskList",
    "Broadcasts",
]

M = TypeVar("M", bound=Mode)
_UNSET: Any = sdkcore.NOT_GIVEN
_MODES = ("sync", "async")


class BroadcastTarget(BaseModel):
    """One target of a broadcast: a gateway-relative path (``p/<id>``, ``g/<name>``, ...)."""

    id: str
    broadcast_id: str
    name: str
    target_path: str
    sort_order: int = 0
    routing_key_override: dict[str, Any] | None = None


class BroadcastTask(BaseModel):
    """One target call an async broadcast queued: ``queued`` -> ``running`` ->
    ``succeeded`` / ``failed``, with the target's status code once it answered."""

    id: str
    broadcast_id: str
    target: str
    target_path: str
    status: str
    status_code: int | None = None
    elapsed_ms: float | None = None
    error: str | None = None
    created_at: datetime | None = None
    finished_at: datetime | None = None


class BroadcastTaskList(BaseModel):
    """Tasks of a broadcast, newest first: ``data`` and ``count``."""

    data: builtins.list[BroadcastTask] = Field(default_factory=builtins.list)
    count: int = 0


class Broadcast(NamedRoute):
    """Active-record wrapper around a broadcast, dispatchable at ``b/<name>``.

    Target methods pre-bind the id (``add_target``, ``remove_target``, ``replace_targets``),
    plus ``refresh``, ``update`` and ``delete``; the fluent wrappers compose before a
    dispatch: ``bc.logged().dispatch(json=body)``.
    """

    prefix: ClassVar[str] = "b"
    resource: ClassVar[str] = "broadcasts"

    mode: str = "sync"
    target_timeout_ms: int = 30000
    targets: builtins.list[BroadcastTarget] = Field(default_factory=builtins.list)

    def __repr__(self) -> str:
        return f"<Broadcast name={self.name!r} mode={self.mode!r} targets={len(self.targets)}>"

    def add_target(self, **target: Any) -> Any:
        """Add a target (see `Broadcasts.add_target`)."""
        return self._client.broadcasts.add_target(self.id, **target)

    def remove_target(self, target_id: str | UUID) -> Any:
        """Remove a target by id."""
        return self._client.broadcasts.remove_target(self.id, target_id)

    def replace_targets(self, targets: builtins.list[dict[str, Any]]) -> Any:
        """Replace every target at once; returns the updated broadcast."""
        return self._client.broadcasts.replace_targets(self.id, targets)

    def tasks(self, *, skip: int = 0, limit: int = 100) -> Any:
        """The tasks this broadcast's async dispatches queued (see `Broadcasts.tasks`)."""
        return self._client.broadcasts.tasks(self.id, skip=skip, limit=limit)


class BroadcastList(RouteList):
    """The customer's broadcasts: ``data`` (`Broadcast` records) and ``count``."""

    data: builtins.list[Broadcast] = Field(default_factory=builtins.list)


def _target(item: dict[str, Any], index: int, argument: str) -> dict[str, Any]:
    where = f"{argument}[{index}]" if index >= 0 else argument
    check_name(item["name"], f"{where}.name")
    body = {
        "name": item["name"],
        "target_path": item["target_path"],
        "sort_order": check_int(item.get("sort_order", max(index, 0)), f"{where}.sort_order", 0),
        "routing_key_override": item.get("routing_key_override"),
    }
    if body["routing_key_override"] is not None and not isinstance(
        body["routing_key_override"], dict
    ):
        raise TypeError(f"{where}.routing_key_override must be a dict")
    return body


def _check_mode(mode: Any) -> Any:
    if mode is not _UNSET and mode not in _MODES:
        raise ValueError(f"mode must be 'sync' or 'async', got {mode!r}")
    return mode


class _Broadcasts(RouteResource[M, Broadcast, BroadcastList]):
    """Operations on the customer's broadcasts (``/v1/broadcasts/``), for either face.

    ``dispatch(name, ...)`` posts to ``/b/<name>[/path]``. Sync mode answers with
    ``{"broadcast", "mode", "results": [...], "succeeded", "failed"}``, one result per target
    (``target``, ``status_code``, ``body``, ``elapsed_ms``, ``error``); async mode answers 202
    with ``{"tasks": [...]}``.
    """

    _record = Broadcast
    _list = BroadcastList
    _children = "targets"

    @dual
    def get(self, broadcast_id: str | UUID) -> DualOp[Broadcast, Broadcast]:
        """Get one broadcast (with its targets) by id."""
        return self._record_op("GET", self._path(broadcast_id))

    @dual
    def create(
        self,
        *,
        name: str,
        description: str | None = None,
        mode: str = "sync",
        target_timeout_ms: int = 30000,
        enabled: bool = True,
        targets: builtins.list[dict[str, Any]] | None = None,
    ) -> DualOp[Broadcast, Broadcast]:
        """Create a broadcast, dispatchable at ``/b/<name>``.

        ``targets`` is a list of dicts with ``name`` and ``target_path`` (a gateway-relative
        path) and optional ``routing_key_override`` (dict) and ``sort_order``.
        """
        body: dict[str, Any] = {
            "name": check_name(name),
            "description": description,
            "mode": _check_mode(mode),
            "target_timeout_ms": check_int(target_timeout_ms, "target_timeout_ms", 1, 600_000),
            "enabled": partial_body({"enabled": enabled}, bools=("enabled",))["enabled"],
        }
        if targets is not None:
            body["targets"] = check_targets(targets, "targets", _target)
        return self._record_op("POST", self._collection, body)

    @dual
    def update(
        self,
        broadcast_id: str | UUID,
        *,
        description: Any = _UNSET,
        mode: Any = _UNSET,
        target_timeout_ms: Any = _UNSET,
        enabled: Any = _UNSET,
    ) -> DualOp[Broadcast, Broadcast]:
        """Update a broadcast's metadata; only the fields passed are sent."""
        body = partial_body(
            {
                "description": description,
                "mode": _check_mode(mode),
                "target_timeout_ms": target_timeout_ms,
                "enabled": enabled,
            },
            ints=("target_timeout_ms",),
            bools=("enabled",),
        )
        return self._record_op("PATCH", self._path(broadcast_id), body)

    @endpoint
    def delete(self, broadcast_id: str | UUID) -> Op[Message]:
        """Delete a broadcast and its targets."""
        return self._delete(self._path(broadcast_id))

    @endpoint
    def add_target(
        self,
        broadcast_id: str | UUID,
        *,
        name: str,
        target_path: str,
        routing_key_override: dict[str, Any] | None = None,
        sort_order: int = 0,
    ) -> Op[BroadcastTarget]:
        """Add a target to a broadcast; returns the created target."""
        item = {
            "name": name,
            "target_path": target_path,
            "routing_key_override": routing_key_override,
            "sort_order": sort_order,
        }
        body = check_item(item, "target", _target)
        return self._add_child(broadcast_id, BroadcastTarget, body)

    @endpoint
    def remove_target(self, broadcast_id: str | UUID, target_id: str | UUID) -> Op[Message]:
        """Remove one target from a broadcast."""
        return self._delete(self._child_path(broadcast_id, target_id))

    @dual
    def replace_targets(
        self, broadcast_id: str | UUID, targets: builtins.list[dict[str, Any]]
    ) -> DualOp[Broadcast, Broadcast]:
        """Replace every target of a broadcast at once; returns the updated broadcast."""
        body = check_targets(targets, "targets", _target)
        return self._record_op("PUT", self._children_path(broadcast_id), body)

    @endpoint
    def tasks(
        self, broadcast_id: str | UUID, *, skip: int = 0, limit: int = 100
    ) -> Op[BroadcastTaskList]:
        """The tasks async dispatches of a broadcast queued, newest first, with outcomes."""
        query = {"skip": check_int(skip, "skip", 0), "limit": check_int(limit, "limit", 1, 1000)}
        path = self._path(broadcast_id) + "/tasks"
        return Op("GET", path, as_model(BroadcastTaskList), query=query)


class Broadcasts(_Broadcasts[Sync]):
    """Operations on the customer's broadcasts (``/v1/broadcasts/``)."""


class AsyncBroadcasts(_Broadcasts[Async]):
    """Async sibling of `Broadcasts`: the same methods, awaited."""
