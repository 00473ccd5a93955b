"""The control plane under ``/v1``: groups, services, enrollments, secrets, aliases,
recurrent requests, request logs and logging preference, and the routing dry run."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Request, Response
from pydantic import BaseModel, BeforeValidator, Field, StrictBool

from sdkcore.emulator import EmulatorError, decode_cursor, encode_cursor, isoformat, utcnow

from ._deps import Customer, EmulatorState, State, gateway_base, not_found
from ._routes import ControlRouter
from ._routing import resolve, split_wrappers
from ._schedule import check_schedule, next_run
from ._store import dumps, loads, new_uuid, now

__all__ = ["router"]

router = ControlRouter()

_SECRET_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_SECRET_SHAPED = ("api_key", "apikey", "password", "secret", "token")
Skip = Annotated[int, Query(ge=0, le=1_000_000)]


SecretName = Annotated[str, Path(pattern=r"^[A-Z_][A-Z0-9_]*$", max_length=128)]


def _json_int(value: Any) -> Any:
    # JSON Schema's "integer" admits 3.0 but not "3" or true; pydantic's lax int is the reverse
    # on both counts.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (str, bool)):
        raise ValueError("must be a JSON integer")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_int)]


def _iso_datetime(value: Any) -> Any:
    # pydantic reads a bare number as a Unix timestamp; the schema says an ISO 8601 string.
    if isinstance(value, str) and re.fullmatch(r"[\d.eE+-]+", value):
        raise ValueError("must be an ISO 8601 date-time")
    return value


IsoTime = Annotated[datetime | None, BeforeValidator(_iso_datetime)]


class Body(BaseModel):
    """A request body; bools and numbers are strict, so 0 for a bool or "1" for a number is a
    422 rather than coerced."""


def window(
    state: EmulatorState,
    table: str,
    where: str,
    params: list[Any],
    order: str,
    skip: int,
    limit: int,
) -> tuple[int, list[dict[str, Any]]]:
    """The total count of ``table`` rows matching ``where``, and the ``skip``/``limit`` window
    of them in ``order`` (table, where and order are code, never input)."""
    total = int(state.db.scalar(f"SELECT COUNT(*) FROM {table} WHERE {where}", params))
    rows = state.db.query(
        f"SELECT * FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, skip],
    )
    return total, rows


# -- serialisers ---------------------------------------------------------------------------


def service_json(row: dict[str, Any]) -> dict[str, Any]:
    """The public form of a catalogue service."""
    return {
        "id": row["id"],
        "name": row["name"],
        "display_name": row["display_name"],
        "service_type": row["service_type"],
        "gateway_type": row["gateway_type"],
        "description": row["description"],
        "provider_name": row["provider_name"],
        "seller_name": row["seller_name"],
        "capabilities": loads(row["capabilities"]),
        "tags": loads(row["tags"]),
        "list_price": row["list_price"],
        "enrollment_channel": row["enrollment_channel"],
        "channel_types": [row["enrollment_channel"]],
    }


def _group_json(
    state: EmulatorState, request: Request, row: dict[str, Any], customer: str
) -> dict[str, Any]:
    members = state.db.query(
        "SELECT service_id FROM members WHERE group_id = ? ORDER BY sort_order, id", (row["id"],)
    )
    return {
        "id": row["id"],
        "name": row["name"],
        "owner_type": row["owner_type"],
        "owner_id": row["owner_id"],
        "editable": row["owner_id"] == customer,
        "display_name": row["display_name"],
        "description": row["description"],
        "member_count": len(members),
        "service_ids": [m["service_id"] for m in members],
        "details": {},
        "group_type": row["group_type"],
        "is_default": bool(row["is_default"]),
        "interface": {
            "name": "group",
            "description": f"Gateway interface of group {row['name']}",
            "access_method": "http",
            "base_url": f"{gateway_base(request)}/g/{row['name']}",
            "group_name": row["name"],
            "enrollment_id": None,
        },
        "routing_policy": loads(row["routing_policy"]),
        "enabled": bool(row["enabled"]),
    }


def _mask(parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        k: ("****" if any(s in k.lower() for s in _SECRET_SHAPED) else v)
        for k, v in parameters.items()
    }


def _enrollment_json(
    state: EmulatorState, request: Request, row: dict[str, Any], details: bool = True
) -> dict[str, Any]:
    service = state.db.query_one("SELECT * FROM services WHERE id = ?", (row["service_id"],))
    return {
        "id": row["id"],
        "service_id": row["service_id"],
        "status": row["status"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "owner_id": row["customer_id"],
        "parameters": _mask(loads(row["parameters"]) or {}),
        "service": service_json(service) if details and service else None,
        "proxy_endpoint": f"{gateway_base(request)}/e/{row['code']}",
        "code": row["code"],
        "task_id": row["task_id"],
    }


def _secret_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "id": row["id"],
        "owner_type": "customer",
        "role_id": None,
        "owner_id": row["customer_id"],
        "sensitive": True,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "last_used_at": row["last_used_at"],
        "description": None,
    }


def _alias_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "customer_id": row["customer_id"],
        "owner_id": row["customer_id"],
        "name": row["name"],
        "target_path": row["target_path"],
        "description": row["description"],
        "request_routing_key": loads(row["request_routing_key"]),
        "routing_key_override": loads(row["routing_key_override"]),
        "is_routing": bool(row["is_routing"]),
        "details": {},
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "deactivated_at": row["deactivated_at"],
    }


def recurrent_json(row: dict[str, Any]) -> dict[str, Any]:
    """The public form of a recurrent request."""
    return {
        "id": row["id"],
        "status": row["status"],
        "customer_id": row["customer_id"],
        "request_path": row["request_path"],
        "http_method": row["http_method"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "service_id": row["service_id"],
        "enrollment_id": row["enrollment_id"],
        "body_template": loads(row["body_template"]),
        "request_headers": loads(row["request_headers"]),
        "schedule": loads(row["schedule"]),
        "state": loads(row["state"]),
        "name": row["name"],
    }


# -- groups --------------------------------------------------------------------------------


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


def _group_by_key(state: EmulatorState, customer: str, key: str) -> dict[str, Any]:
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
    row = _group_by_key(state, customer, group_id)
    if row["owner_id"] != customer:
        raise EmulatorError(403, "platform groups cannot be changed")
    return row


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
    return _group_json(state, request, _group_by_key(state, customer, group_id), customer)


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
    state.db.execute(
        "INSERT INTO groups (id, name, owner_type, owner_id, display_name, description, "
        "group_type, routing_policy, enabled, is_default, created_at) "
        "VALUES (?, ?, 'customer', ?, ?, ?, 'collection', ?, 1, 0, ?)",
        (
            group_id,
            body.name,
            customer,
            body.display_name,
            body.description,
            dumps({"strategy": "weighted"}),
            now(),
        ),
    )
    return _group_json(state, request, _visible_group(state, customer, group_id, "id"), customer)


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
    for column, value in changes.items():
        stored = dumps(value) if column == "routing_policy" else value
        state.db.execute(f"UPDATE groups SET {column} = ? WHERE id = ?", (stored, row["id"]))
    return _group_json(state, request, _visible_group(state, customer, row["id"], "id"), customer)


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
    return {
        "id": row["id"],
        "service_id": row["service_id"],
        "routing_key": loads(row["routing_key"]),
        "sort_order": row["sort_order"],
    }


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
    state.db.execute(
        "INSERT INTO members (id, group_id, service_id, routing_key, sort_order, weight) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            member_id,
            group["id"],
            body.service_id,
            dumps(body.routing_key),
            body.sort_order,
            body.weight,
        ),
    )
    row = state.db.query_one("SELECT * FROM members WHERE id = ?", (member_id,))
    assert row is not None
    return _member_json(row)


@router.api("GET", "/groups/{group_id}/members")
async def list_members(state: State, customer: Customer, group_id: str) -> list[dict[str, Any]]:
    """The members of a group."""
    row = _group_by_key(state, customer, group_id)
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
    offset = 0
    if cursor:
        try:
            offset = int(decode_cursor(cursor)["offset"])
        except (ValueError, KeyError, TypeError):
            raise EmulatorError(422, "cursor is not valid") from None
    window = rows[offset : offset + limit]
    more = offset + limit < len(rows)
    return {
        "data": [service_json(r) for r in window],
        "next_cursor": encode_cursor({"offset": offset + limit}) if more else None,
        "has_more": more,
    }


# -- services ------------------------------------------------------------------------------


def find_service(state: EmulatorState, service_id: str) -> dict[str, Any]:
    """A service by full id or unique prefix (an ambiguous prefix is a 400)."""
    exact = state.db.query_one("SELECT * FROM services WHERE id = ?", (service_id,))
    if exact is not None:
        return exact
    if len(service_id) < 4 or not re.fullmatch(r"[0-9a-fA-F-]+", service_id):
        raise not_found("service")
    rows = state.db.query("SELECT * FROM services WHERE id LIKE ?", (service_id.lower() + "%",))
    if not rows:
        raise not_found("service")
    if len(rows) > 1:
        raise EmulatorError(400, f"service id prefix {service_id!r} is ambiguous")
    return rows[0]


@router.api("GET", "/services/{service_id}")
async def get_service(state: State, customer: Customer, service_id: str) -> dict[str, Any]:
    """One service by id or unique id prefix."""
    return service_json(find_service(state, service_id))


@router.api("GET", "/services/{service_id}/interfaces")
async def service_interfaces(
    request: Request, state: State, customer: Customer, service_id: str
) -> list[dict[str, Any]]:
    """Shared interfaces plus the customer's enrollment-bound ones."""
    service = find_service(state, service_id)
    gateway = gateway_base(request)
    interfaces = []
    if service["enrollment_channel"] != "byok":
        interfaces.append(
            {
                "name": "default",
                "description": "Shared gateway interface",
                "access_method": "http",
                "base_url": f"{gateway}/p/{service['id']}",
                "group_name": None,
                "enrollment_id": None,
            }
        )
    for row in state.db.query(
        "SELECT * FROM enrollments WHERE customer_id = ? AND service_id = ? AND status = 'active' "
        "ORDER BY created_at",
        (customer, service["id"]),
    ):
        interfaces.append(
            {
                "name": f"enrollment-{row['code']}",
                "description": "Enrollment-bound interface",
                "access_method": "http",
                "base_url": f"{gateway}/e/{row['code']}",
                "group_name": None,
                "enrollment_id": row["id"],
            }
        )
    return interfaces


# -- enrollments ---------------------------------------------------------------------------


def _own_enrollment(state: EmulatorState, customer: str, enrollment_id: str) -> dict[str, Any]:
    row = state.db.query_one(
        "SELECT * FROM enrollments WHERE id = ? AND customer_id = ?", (enrollment_id, customer)
    )
    if row is None:
        raise not_found("enrollment")
    return row


@router.api("GET", "/enrollments/")
async def list_enrollments(
    request: Request,
    state: State,
    customer: Customer,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    include_service_details: bool = True,
) -> dict[str, Any]:
    """The customer's enrollments, newest first."""
    total, rows = window(
        state, "enrollments", "customer_id = ?", [customer], "created_at DESC, id", skip, limit
    )
    data = [_enrollment_json(state, request, r, include_service_details) for r in rows]
    return {"data": data, "count": total, "skip": skip, "limit": limit}


@router.api("GET", "/enrollments/{enrollment_id}")
async def get_enrollment(
    request: Request,
    state: State,
    customer: Customer,
    enrollment_id: str,
    include_service_details: bool = True,
) -> dict[str, Any]:
    """One enrollment."""
    row = _own_enrollment(state, customer, enrollment_id)
    return _enrollment_json(state, request, row, include_service_details)


class EnrollmentCreate(Body):
    """Body of an enroll."""

    service_id: str = Field(min_length=1, max_length=64)
    parameters: dict[str, Any] | None = None


@router.api("POST", "/enrollments/", status_code=202)
async def create_enrollment(
    request: Request, state: State, customer: Customer, body: EnrollmentCreate
) -> dict[str, Any]:
    """Enroll: the enrollment starts pending; the worker activates it."""
    service = find_service(state, body.service_id)
    activate_at = time.time() + state.config.activation_delay
    stamp = now()
    previous = state.db.query_one(
        "SELECT * FROM enrollments WHERE customer_id = ? AND service_id = ? ORDER BY created_at "
        "DESC LIMIT 1",
        (customer, service["id"]),
    )
    if previous is not None and previous["status"] in ("pending", "active"):
        raise EmulatorError(409, f"already enrolled in this service ({previous['status']})")
    if previous is not None:
        # Re-enrolling reactivates the cancelled enrollment with its kept parameters.
        parameters = {**(loads(previous["parameters"]) or {}), **(body.parameters or {})}
        state.db.execute(
            "UPDATE enrollments SET status = 'pending', parameters = ?, task_id = ?, updated_at = "
            "?, "
            "activate_at = ? WHERE id = ?",
            (dumps(parameters), new_uuid(), stamp, activate_at, previous["id"]),
        )
        enrollment_id = previous["id"]
    else:
        enrollment_id = new_uuid()
        state.db.execute(
            "INSERT INTO enrollments (id, customer_id, service_id, status, parameters, code, "
            "task_id, created_at, updated_at, activate_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, "
            "?, ?, ?)",
            (
                enrollment_id,
                customer,
                service["id"],
                dumps(body.parameters or {}),
                new_uuid().split("-")[0].upper(),
                new_uuid(),
                stamp,
                stamp,
                activate_at,
            ),
        )
    created = _enrollment_json(state, request, _own_enrollment(state, customer, enrollment_id))
    return {**created, "message": "Enrollment received; a worker activates it"}


@router.api("DELETE", "/enrollments/{enrollment_id}")
async def cancel_enrollment(state: State, customer: Customer, enrollment_id: str) -> dict[str, Any]:
    """Cancel; parameters are kept for a later re-enrollment."""
    row = _own_enrollment(state, customer, enrollment_id)
    state.db.execute(
        "UPDATE enrollments SET status = 'cancelled', updated_at = ? WHERE id = ?",
        (now(), row["id"]),
    )
    return {
        "enrollment_id": row["id"],
        "status": "cancelled",
        "message": "Enrollment cancelled; parameters are kept for re-enrollment",
    }


# -- secrets -------------------------------------------------------------------------------


def _secret_name(name: str) -> str:
    if not _SECRET_NAME.fullmatch(name) or len(name) > 128:
        raise EmulatorError(422, "secret name must match ^[A-Z_][A-Z0-9_]*$")
    return name


def _own_secret(state: EmulatorState, customer: str, name: str) -> dict[str, Any]:
    row = state.db.query_one(
        "SELECT * FROM secrets WHERE customer_id = ? AND name = ?", (customer, _secret_name(name))
    )
    if row is None:
        raise not_found("secret")
    return row


@router.api("GET", "/secrets/")
async def list_secrets(
    state: State,
    customer: Customer,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The customer's secrets (metadata only)."""
    total, rows = window(state, "secrets", "customer_id = ?", [customer], "name", skip, limit)
    return {"data": [_secret_json(r) for r in rows], "count": total}


@router.api("GET", "/secrets/{name}")
async def get_secret(state: State, customer: Customer, name: SecretName) -> dict[str, Any]:
    """One secret's metadata."""
    return _secret_json(_own_secret(state, customer, name))


class SecretValue(Body):
    """Body of a secret set."""

    value: str = Field(max_length=65536)


@router.api("PUT", "/secrets/{name}")
async def set_secret(
    state: State, customer: Customer, name: SecretName, body: SecretValue
) -> dict[str, Any]:
    """Create or replace a secret."""
    stamp = now()
    state.db.execute(
        "INSERT INTO secrets (id, customer_id, name, value, created_at, updated_at) VALUES (?, ?, "
        "?, ?, ?, ?) "
        "ON CONFLICT (customer_id, name) DO UPDATE SET value = excluded.value, updated_at = "
        "excluded.updated_at",
        (new_uuid(), customer, _secret_name(name), body.value, stamp, stamp),
    )
    return _secret_json(_own_secret(state, customer, name))


@router.api("DELETE", "/secrets/{name}")
async def delete_secret(state: State, customer: Customer, name: SecretName) -> dict[str, Any]:
    """Delete a secret."""
    row = _own_secret(state, customer, name)
    state.db.execute("DELETE FROM secrets WHERE id = ?", (row["id"],))
    return {"message": f"Secret {name} deleted"}


# -- aliases -------------------------------------------------------------------------------


def _relative(path: str) -> str:
    if "://" in path or path.startswith("//"):
        raise EmulatorError(422, "target_path must be a gateway-relative path")
    return path.strip("/")


def _own_alias(state: EmulatorState, customer: str, alias_id: str) -> dict[str, Any]:
    row = state.db.query_one(
        "SELECT * FROM aliases WHERE id = ? AND customer_id = ?", (alias_id, customer)
    )
    if row is None:
        raise not_found("alias")
    return row


class AliasCreate(Body):
    """Body of an alias create."""

    name: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    target_path: str = Field(min_length=1, max_length=2048)
    description: str | None = Field(default=None, max_length=2000)
    request_routing_key: dict[str, Any] | None = None
    routing_key_override: dict[str, Any] | None = None
    is_routing: StrictBool | None = None


class AliasUpdate(Body):
    """Body of an alias update; only the fields sent change."""

    name: str = Field(
        default="unset", min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    )
    target_path: str = Field(default="unset", min_length=1, max_length=2048)
    description: str | None = Field(default=None, max_length=2000)
    request_routing_key: dict[str, Any] | None = None
    routing_key_override: dict[str, Any] | None = None


def _demote_siblings(state: EmulatorState, row: dict[str, Any]) -> None:
    state.db.execute(
        "UPDATE aliases SET is_routing = 0, updated_at = ? WHERE customer_id = ? AND name = ? "
        "AND id != ? AND COALESCE(request_routing_key, '') = COALESCE(?, '')",
        (now(), row["customer_id"], row["name"], row["id"], row["request_routing_key"]),
    )


@router.api("GET", "/aliases/")
async def list_aliases(
    state: State,
    customer: Customer,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    name: str | None = None,
    include_deactivated: bool = False,
) -> dict[str, Any]:
    """The customer's aliases."""
    where = "customer_id = ?" + ("" if include_deactivated else " AND deactivated_at IS NULL")
    params: list[Any] = [customer]
    if name is not None:
        where += " AND name = ?"
        params.append(name)
    total, rows = window(state, "aliases", where, params, "created_at, id", skip, limit)
    return {"data": [_alias_json(r) for r in rows], "count": total}


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
                "SELECT id FROM aliases WHERE customer_id = ? AND name = ? AND is_routing = 1 "
                "AND COALESCE(request_routing_key, '') = COALESCE(?, '')",
                (customer, body.name, key),
            )
        state.db.execute(
            "INSERT INTO aliases (id, customer_id, name, target_path, description, "
            "request_routing_key, "
            "routing_key_override, is_routing, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?)",
            (
                alias_id,
                customer,
                body.name,
                _relative(body.target_path),
                body.description,
                key,
                dumps(body.routing_key_override),
                int(routing),
                now(),
                now(),
            ),
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
    row = _own_alias(state, customer, alias_id)
    for column, value in body.model_dump(exclude_unset=True).items():
        if column in ("name", "target_path") and value is None:
            raise EmulatorError(422, f"{column} cannot be null")
        stored = _relative(value) if column == "target_path" else value
        if column in ("request_routing_key", "routing_key_override"):
            stored = dumps(value)
        state.db.execute(
            f"UPDATE aliases SET {column} = ?, updated_at = ? WHERE id = ?",
            (stored, now(), row["id"]),
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
                "SELECT id FROM aliases WHERE customer_id = ? AND name = ? AND id != ? AND "
                "is_routing = 1 AND COALESCE(request_routing_key, '') = COALESCE(?, '')",
                (customer, row["name"], row["id"], row["request_routing_key"]),
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


# -- recurrent requests --------------------------------------------------------------------


def own_recurrent(state: EmulatorState, customer: str, request_id: str) -> dict[str, Any]:
    """A recurrent request of ``customer`` or 404."""
    row = state.db.query_one(
        "SELECT * FROM recurrent_requests WHERE id = ? AND customer_id = ?", (request_id, customer)
    )
    if row is None:
        raise not_found("recurrent request")
    return row


class RecurrentCreate(Body):
    """Body of a recurrent request create."""

    request_path: str = Field(min_length=1, max_length=2048)
    http_method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "POST"
    service_id: str | None = Field(default=None, max_length=64)
    enrollment_id: str | None = Field(default=None, max_length=64)
    body_template: dict[str, Any] | None = None
    request_headers: dict[str, str] | None = None
    schedule: dict[str, Any] | None = None
    name: str | None = Field(default=None, max_length=200)


class RecurrentUpdate(Body):
    """Body of a recurrent request update; only the fields sent change."""

    request_path: str = Field(default="unset", min_length=1, max_length=2048)
    http_method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "POST"
    body_template: dict[str, Any] | None = None
    request_headers: dict[str, str] | None = None
    schedule: dict[str, Any] | None = None
    status: Literal["draft", "active", "paused", "cancelled"] = "draft"
    name: str | None = Field(default=None, max_length=200)


def gateway_path(path: str) -> str:
    """A stored request path as a gateway-relative path (full gateway URLs are accepted)."""
    marker = "/gateway/api/"
    if marker in path:
        path = path.split(marker, 1)[1]
    elif "://" in path:
        raise EmulatorError(422, "request_path must be a gateway path or URL of /gateway/api")
    return path.lstrip("/")


@router.api("GET", "/recurrent-requests/")
async def list_recurrent(
    state: State,
    customer: Customer,
    service_id: str | None = None,
    enrollment_id: str | None = None,
    status: Literal["draft", "active", "paused", "cancelled"] | None = None,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The customer's recurrent requests, filtered."""
    where, params = "customer_id = ?", [customer]
    for column, value in (
        ("service_id", service_id),
        ("enrollment_id", enrollment_id),
        ("status", status),
    ):
        if value is not None:
            where += f" AND {column} = ?"
            params.append(value)
    total, rows = window(state, "recurrent_requests", where, params, "created_at, id", skip, limit)
    return {"data": [recurrent_json(r) for r in rows], "count": total}


@router.api("GET", "/recurrent-requests/{request_id}")
async def get_recurrent(state: State, customer: Customer, request_id: str) -> dict[str, Any]:
    """One recurrent request with its run state."""
    return recurrent_json(own_recurrent(state, customer, request_id))


@router.api("POST", "/recurrent-requests/", status_code=201)
async def create_recurrent(
    state: State, customer: Customer, body: RecurrentCreate
) -> dict[str, Any]:
    """Create: draft without a schedule, active with one."""
    path = gateway_path(body.request_path)
    if body.schedule is not None:
        check_schedule(body.schedule)
    status = "active" if body.schedule else "draft"
    request_id = new_uuid()
    state.db.execute(
        "INSERT INTO recurrent_requests (id, customer_id, status, request_path, http_method, "
        "service_id, "
        "enrollment_id, body_template, request_headers, schedule, state, name, next_run, "
        "created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            request_id,
            customer,
            status,
            path,
            body.http_method,
            body.service_id,
            body.enrollment_id,
            dumps(body.body_template),
            dumps(body.request_headers),
            dumps(body.schedule),
            dumps({"run_count": 0}),
            body.name,
            next_run(body.schedule) if status == "active" and body.schedule else None,
            now(),
            now(),
        ),
    )
    return recurrent_json(own_recurrent(state, customer, request_id))


@router.api("PATCH", "/recurrent-requests/{request_id}")
async def update_recurrent(
    state: State, customer: Customer, request_id: str, body: RecurrentUpdate
) -> dict[str, Any]:
    """Change the fields sent; a schedule activates a draft."""
    row = own_recurrent(state, customer, request_id)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("schedule") is not None:
        check_schedule(changes["schedule"])
        if row["status"] == "draft" and "status" not in changes:
            changes["status"] = "active"
    if "request_path" in changes and changes["request_path"] is not None:
        changes["request_path"] = gateway_path(changes["request_path"])
    for column, value in changes.items():
        if value is None and column in ("request_path", "http_method", "status"):
            raise EmulatorError(422, f"{column} cannot be null")
        stored = (
            dumps(value) if column in ("body_template", "request_headers", "schedule") else value
        )
        state.db.execute(
            f"UPDATE recurrent_requests SET {column} = ?, updated_at = ? WHERE id = ?",
            (stored, now(), row["id"]),
        )
    row = own_recurrent(state, customer, request_id)
    schedule = loads(row["schedule"])
    due = next_run(schedule) if row["status"] == "active" and schedule else None
    state.db.execute("UPDATE recurrent_requests SET next_run = ? WHERE id = ?", (due, row["id"]))
    return recurrent_json(own_recurrent(state, customer, request_id))


@router.api("DELETE", "/recurrent-requests/{request_id}", status_code=204)
async def delete_recurrent(state: State, customer: Customer, request_id: str) -> Response:
    """Delete a recurrent request and its runs."""
    row = own_recurrent(state, customer, request_id)
    with state.db.transaction():
        state.db.execute("DELETE FROM recurrent_runs WHERE request_id = ?", (row["id"],))
        state.db.execute("DELETE FROM recurrent_requests WHERE id = ?", (row["id"],))
    return Response(status_code=204)


# -- request logs and the logging preference ----------------------------------------------


class LogPreference(Body):
    """Body of the request-log preference."""

    mode: Literal["truncated", "complete"] | None = None


def _logging_status(state: EmulatorState, customer: str) -> dict[str, Any]:
    row = state.db.query_one(
        "SELECT value FROM preferences WHERE customer_id = ? AND name = 'request-log'", (customer,)
    )
    value = loads(row["value"]) if row else {"enabled": True, "mode": "truncated"}
    enabled = bool(value.get("enabled"))
    return {
        "enabled": enabled,
        "mode": value.get("mode"),
        "message": f"Request logging is {'on' if enabled else 'off'}",
    }


@router.api("GET", "/preferences/request-log")
async def get_logging(state: State, customer: Customer) -> dict[str, Any]:
    """Whether request logging is on, and its mode."""
    return _logging_status(state, customer)


@router.api("PUT", "/preferences/request-log")
async def start_logging(state: State, customer: Customer, body: LogPreference) -> dict[str, Any]:
    """Turn logging on; without a mode the previous one is kept (truncated if none)."""
    mode = body.mode or _logging_status(state, customer).get("mode") or "truncated"
    state.db.execute(
        "INSERT OR REPLACE INTO preferences (customer_id, name, value) VALUES (?, 'request-log', "
        "?)",
        (customer, dumps({"enabled": True, "mode": mode})),
    )
    return _logging_status(state, customer)


@router.api("DELETE", "/preferences/request-log")
async def stop_logging(state: State, customer: Customer) -> dict[str, Any]:
    """Turn logging off; stored rows stay."""
    mode = _logging_status(state, customer).get("mode")
    state.db.execute(
        "INSERT OR REPLACE INTO preferences (customer_id, name, value) VALUES (?, 'request-log', "
        "?)",
        (customer, dumps({"enabled": False, "mode": mode})),
    )
    return _logging_status(state, customer)


def _log_item(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "detail"}


def _utc(value: datetime) -> str:
    return isoformat(value if value.tzinfo else value.replace(tzinfo=timezone.utc))


@router.api("GET", "/request-logs")
async def list_request_logs(
    state: State,
    customer: Customer,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    service_id: str | None = None,
    service_enrollment_id: str | None = None,
    status_min: Annotated[int | None, Query(ge=100, le=599)] = None,
    status_max: Annotated[int | None, Query(ge=100, le=599)] = None,
    start_time: IsoTime = None,
    end_time: IsoTime = None,
    user_request_path: str | None = None,
    error_source: Literal["gateway", "upstream"] | None = None,
    error_type: str | None = None,
    gateway_source: str | None = None,
) -> dict[str, Any]:
    """Request logs, newest first; the last 24 h unless a time bound is given."""
    where, params = "customer_id = ?", [customer]
    if start_time is None and end_time is None:
        start_time = utcnow() - timedelta(hours=24)
    filters: list[tuple[str, Any]] = [
        ("service_id = ?", service_id),
        ("service_enrollment_id = ?", service_enrollment_id),
        ("upstream_response_status_code >= ?", status_min),
        ("upstream_response_status_code <= ?", status_max),
        ("event_timestamp >= ?", _utc(start_time) if start_time else None),
        ("event_timestamp <= ?", _utc(end_time) if end_time else None),
        (
            "user_request_path LIKE ? ESCAPE '\\'",
            None
            if user_request_path is None
            else re.sub(r"([%_\\])", r"\\\1", user_request_path) + "%",
        ),
        ("error_source = ?", error_source),
        ("error_type = ?", error_type),
        ("gateway_source = ?", gateway_source),
    ]
    for clause, value in filters:
        if value is not None:
            where += " AND " + clause
            params.append(value)
    total, rows = window(
        state, "request_logs", where, params, "event_timestamp DESC, log_id", skip, limit
    )
    return {
        "total_count": total,
        "skip": skip,
        "limit": limit,
        "items": [_log_item(r) for r in rows],
    }


@router.api("GET", "/request-logs/{log_id}")
async def get_request_log(state: State, customer: Customer, log_id: str) -> dict[str, Any]:
    """One request log in full."""
    row = state.db.query_one(
        "SELECT * FROM request_logs WHERE log_id = ? AND customer_id = ?", (log_id, customer)
    )
    if row is None:
        raise not_found("request log")
    return {**_log_item(row), **(loads(row["detail"]) or {})}


# -- resolve -------------------------------------------------------------------------------


class ResolveRequest(Body):
    """Body of a routing dry run."""

    path: str = Field(min_length=1, max_length=2048)
    routing_key: dict[str, Any] | None = None
    gateway: Literal["api", "s3", "smtp"] = "api"
    strategy: Literal["weighted", "by_routing_key", "by_price"] | None = None


@router.api("POST", "/resolve")
async def resolve_route(state: State, customer: Customer, body: ResolveRequest) -> dict[str, Any]:
    """What the gateway would do for this path and routing key, without calling upstream."""
    if body.gateway != "api":
        return {"candidates": [], "routing_strategy": None, "selected": None}
    _, target = split_wrappers(gateway_path(body.path.split("?", 1)[0]))
    res = resolve(state, customer, target, body.routing_key, body.strategy, commit=False)
    return {
        "candidates": res.candidates,
        "routing_strategy": res.strategy,
        "selected": res.selected,
    }
