"""Recurrent requests: gateway calls on a schedule (draft without one, active with one),
and the manual trigger; the scheduler itself is in `_workers`."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Response
from pydantic import Field

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State
from .._routes import ControlRouter
from .._schedule import check_schedule, next_run
from .._store import dumps, loads, new_uuid, now
from .._workers import run_recurrent
from ._common import Body, Limit, Skip, gateway_path, insert_row, listing, owned, pick, update_row

__all__ = ["router"]

router = ControlRouter()

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Status = Literal["draft", "active", "paused", "cancelled"]


def _recurrent_json(row: dict[str, Any]) -> dict[str, Any]:
    """The public form of a recurrent request."""
    return pick(
        row,
        "id status customer_id request_path http_method created_at updated_at service_id "
        "enrollment_id body_template:json request_headers:json schedule:json state:json name",
    )


def _own_recurrent(state: EmulatorState, customer: str, request_id: str) -> dict[str, Any]:
    return owned(state, "recurrent_requests", "recurrent request", customer, request_id)


class RecurrentCreate(Body):
    """Body of a recurrent request create."""

    request_path: str = Field(min_length=1, max_length=2048)
    http_method: Method = "POST"
    service_id: str | None = Field(default=None, max_length=64)
    enrollment_id: str | None = Field(default=None, max_length=64)
    body_template: dict[str, Any] | None = None
    request_headers: dict[str, str] | None = None
    schedule: dict[str, Any] | None = None
    name: str | None = Field(default=None, max_length=200)


class RecurrentUpdate(Body):
    """Body of a recurrent request update; only the fields sent change."""

    request_path: str = Field(default="unset", min_length=1, max_length=2048)
    http_method: Method = "POST"
    body_template: dict[str, Any] | None = None
    request_headers: dict[str, str] | None = None
    schedule: dict[str, Any] | None = None
    status: Status = "draft"
    name: str | None = Field(default=None, max_length=200)


@router.api("GET", "/recurrent-requests/")
async def list_recurrent(
    state: State,
    customer: Customer,
    service_id: str | None = None,
    enrollment_id: str | None = None,
    status: Status | None = None,
    skip: Skip = 0,
    limit: Limit = 100,
) -> dict[str, Any]:
    """The customer's recurrent requests, filtered."""
    filters = [
        ("service_id = ?", service_id),
        ("enrollment_id = ?", enrollment_id),
        ("status = ?", status),
    ]
    return listing(
        state,
        "recurrent_requests",
        customer,
        _recurrent_json,
        order="created_at, id",
        skip=skip,
        limit=limit,
        filters=filters,
    )


@router.api("GET", "/recurrent-requests/{request_id}")
async def get_recurrent(state: State, customer: Customer, request_id: str) -> dict[str, Any]:
    """One recurrent request with its run state."""
    return _recurrent_json(_own_recurrent(state, customer, request_id))


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
    insert_row(
        state,
        "recurrent_requests",
        {
            "id": request_id,
            "customer_id": customer,
            "status": status,
            "request_path": path,
            "http_method": body.http_method,
            "service_id": body.service_id,
            "enrollment_id": body.enrollment_id,
            "body_template": dumps(body.body_template),
            "request_headers": dumps(body.request_headers),
            "schedule": dumps(body.schedule),
            "state": dumps({"run_count": 0}),
            "name": body.name,
            "next_run": next_run(body.schedule) if status == "active" and body.schedule else None,
            "created_at": now(),
            "updated_at": now(),
        },
    )
    return _recurrent_json(_own_recurrent(state, customer, request_id))


@router.api("PATCH", "/recurrent-requests/{request_id}")
async def update_recurrent(
    state: State, customer: Customer, request_id: str, body: RecurrentUpdate
) -> dict[str, Any]:
    """Change the fields sent; a schedule activates a draft."""
    row = _own_recurrent(state, customer, request_id)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("schedule") is not None:
        check_schedule(changes["schedule"])
        if row["status"] == "draft" and "status" not in changes:
            changes["status"] = "active"
    update_row(
        state,
        "recurrent_requests",
        row["id"],
        changes,
        json_columns=("body_template", "request_headers", "schedule"),
        required=("request_path", "http_method", "status"),
        convert={"request_path": gateway_path},
    )
    row = _own_recurrent(state, customer, request_id)
    schedule = loads(row["schedule"])
    due = next_run(schedule) if row["status"] == "active" and schedule else None
    state.db.execute("UPDATE recurrent_requests SET next_run = ? WHERE id = ?", (due, row["id"]))
    return _recurrent_json(_own_recurrent(state, customer, request_id))


@router.api("DELETE", "/recurrent-requests/{request_id}", status_code=204)
async def delete_recurrent(state: State, customer: Customer, request_id: str) -> Response:
    """Delete a recurrent request and its runs."""
    row = _own_recurrent(state, customer, request_id)
    with state.db.transaction():
        state.db.execute("DELETE FROM recurrent_runs WHERE request_id = ?", (row["id"],))
        state.db.execute("DELETE FROM recurrent_requests WHERE id = ?", (row["id"],))
    return Response(status_code=204)


@router.api("POST", "/recurrent-requests/{request_id}/trigger")
async def trigger_recurrent(state: State, customer: Customer, request_id: str) -> dict[str, Any]:
    """Fire a recurrent request now; returns the run record."""
    row = _own_recurrent(state, customer, request_id)
    if row["status"] == "cancelled":
        raise EmulatorError(409, "a cancelled recurrent request cannot be triggered")
    return await run_recurrent(state, row, "manual")
