"""Aliases: named secondary paths to gateway targets; per (name, routing key) one routes at a
time, and switching one on demotes its sibling atomically."""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State, not_found
from .._routes import ControlRouter
from .._store import dumps, new_uuid, now
from ._common import Body, Limit, Skip, insert_row, listing, owned, pick, update_row

__all__ = ["router"]

router = ControlRouter()

_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# The sibling of an alias: same customer and name, another id, the same routing key.
_SIBLING = (
    "customer_id = ? AND name = ? AND id != ? "
    "AND COALESCE(request_routing_key, '') = COALESCE(?, '')"
)


def _alias_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **pick(row, "id customer_id"),
        "owner_id": row["customer_id"],
        **pick(
            row,
            "name target_path description request_routing_key:json routing_key_override:json "
            "is_routing:bool",
        ),
        "details": {},
        **pick(row, "created_at updated_at deactivated_at"),
    }


def _relative(path: str) -> str:
    if "://" in path or path.startswith("//"):
        raise EmulatorError(422, "target_path must be a gateway-relative path")
    return path.strip("/")


def _own_alias(state: EmulatorState, customer: str, alias_id: str) -> dict[str, Any]:
    return owned(state, "aliases", "alias", customer, alias_id)


def _sibling_params(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["customer_id"], row["name"], row["id"], row["request_routing_key"])


class AliasCreate(Body):
    """Body of an alias create."""

    name: str = Field(min_length=1, max_length=128, pattern=_NAME)
    target_path: str = Field(min_length=1, max_length=2048)
    description: str | None = Field(default=None, max_length=2000)
    request_routing_key: dict[str, Any] | None = None
    routing_key_override: dict[str, Any] | None = None
    is_routing: StrictBool | None = None


class AliasUpdate(Body):
    """Body of an alias update; only the fields sent change."""

    name: str = Field(default="unset", min_length=1, max_length=128, pattern=_NAME)
    target_path: str = Field(default="unset", min_length=1, max_length=2048)
    description: str | None = Field(default=None, max_length=2000)
    request_routing_key: dict[str, Any] | None = None
    routing_key_override: dict[str, Any] | None = None


def _demote_siblings(state: EmulatorState, row: dict[str, Any]) -> None:
    state.db.execute(
        f"UPDATE aliases SET is_routing = 0, updated_at = ? WHERE {_SIBLING}",
        (now(), *_sibling_params(row)),
    )


@router.api("GET", "/aliases/")
async def list_aliases(
    state: State,
    customer: Customer,
    skip: Skip = 0,
    limit: Limit = 100,
    name: str | None = None,
    include_deactivated: bool = False,
) -> dict[str, Any]:
    """The customer's aliases."""
    return listing(
        state,
        "aliases",
        customer,
        _alias_json,
        order="created_at, id",
        skip=skip,
        limit=limit,
        filters=[("name = ?", name)],
        where="customer_id = ?" + ("" if include_deactivated else " AND deactivated_at IS NULL"),
    )


@router.api("GET", "/aliases/{alias_id}")
async def get_alias(state: State, customer: Customer, alias_id: str) -> dict[str, Any]:
    """One alias."""
    return _alias_json(_own_alias(state, customer, alias_id))


@router.api("POST", "/aliases/", status_code=201)
async def create_alias(state: State, customer: Customer, body: AliasCreate) -> dict[str, Any]:
    """Create an alias; the first one of a (name, routing key) routes."""
    alias_id = new_uuid()
    key = dumps(body.request_routing_key)
    with state.db.transaction():
        routing = body.is_routing
        if routing is None:
            routing = not state.db.query_one(
                f"SELECT id FROM aliases WHERE {_SIBLING} AND is_routing = 1",
                (customer, body.name, alias_id, key),
            )
        insert_row(
            state,
            "aliases",
            {
                "id": alias_id,
                "customer_id": customer,
                "name": body.name,
                "target_path": _relative(body.target_path),
                "description": body.description,
                "request_routing_key": key,
                "routing_key_override": dumps(body.routing_key_override),
                "is_routing": int(routing),
                "created_at": now(),
                "updated_at": now(),
            },
        )
        row = _own_alias(state, customer, alias_id)
        if routing:
            _demote_siblings(state, row)
    return _alias_json(row)


@router.api("PATCH", "/aliases/{alias_id}")
async def update_alias(
    state: State, customer: Customer, alias_id: str, body: AliasUpdate
) -> dict[str, Any]:
    """Change the fields sent."""
    update_row(
        state,
        "aliases",
        _own_alias(state, customer, alias_id)["id"],
        body.model_dump(exclude_unset=True),
        json_columns=("request_routing_key", "routing_key_override"),
        required=("name", "target_path"),
        convert={"target_path": _relative},
    )
    return _alias_json(_own_alias(state, customer, alias_id))


def _switch_target(
    state: EmulatorState, customer: str, identifier: str, target: str | None, key: str | None
) -> dict[str, Any]:
    """The alias a switch acts on: by id, or by name (narrowed by target / routing key
    substrings, else the one after the currently routing one)."""
    by_id = state.db.query_one(
        "SELECT * FROM aliases WHERE id = ? AND customer_id = ?", (identifier, customer)
    )
    if by_id is not None:
        return by_id
    rows = state.db.query(
        "SELECT * FROM aliases WHERE customer_id = ? AND name = ? AND deactivated_at IS NULL "
        "ORDER BY created_at, id",
        (customer, identifier),
    )
    if target is not None:
        rows = [r for r in rows if target in r["target_path"]]
    if key is not None:
        rows = [r for r in rows if key in (r["request_routing_key"] or "")]
    if not rows:
        raise not_found("alias")
    routing = [i for i, r in enumerate(rows) if r["is_routing"]]
    return rows[(routing[0] + 1) % len(rows)] if routing else rows[0]


@router.api("POST", "/aliases/{alias_id}/switch")
async def switch_alias(
    state: State,
    customer: Customer,
    alias_id: str,
    on: bool = True,
    target: str | None = None,
    routing_key: str | None = None,
) -> dict[str, Any]:
    """Turn routing on (atomically demoting the sibling) or off; ``alias_id`` may be a name."""
    with state.db.transaction():
        row = _switch_target(state, customer, alias_id, target, routing_key)
        if row["deactivated_at"] is not None and on:
            raise EmulatorError(409, "a deleted alias cannot route")
        demoted = None
        if on:
            sibling = state.db.query_one(
                f"SELECT id FROM aliases WHERE {_SIBLING} AND is_routing = 1",
                _sibling_params(row),
            )
            demoted = sibling["id"] if sibling else None
            _demote_siblings(state, row)
        state.db.execute(
            "UPDATE aliases SET is_routing = ?, updated_at = ? WHERE id = ?",
            (int(on), now(), row["id"]),
        )
        alias = _alias_json(_own_alias(state, customer, row["id"]))
    return {"alias": alias, "demoted_alias_id": demoted}


@router.api("DELETE", "/aliases/{alias_id}")
async def delete_alias(state: State, customer: Customer, alias_id: str) -> dict[str, Any]:
    """Deactivate an alias (it stops routing; listed with include_deactivated)."""
    row = _own_alias(state, customer, alias_id)
    state.db.execute(
        "UPDATE aliases SET is_routing = 0, deactivated_at = ?, updated_at = ? WHERE id = ?",
        (now(), now(), row["id"]),
    )
    return {"message": "Alias deleted"}
