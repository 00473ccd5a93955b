"""Enrollments: enroll in a service (pending until the worker activates it), list, get,
cancel; parameters are kept for a later re-enrollment."""

from __future__ import annotations

import time
from typing import Any

from fastapi import Request
from pydantic import Field

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State, gateway_base
from .._routes import ControlRouter
from .._store import dumps, loads, new_uuid, now
from ._common import Body, Limit, Skip, insert_row, listing, owned, pick
from ._services import find_service, service_json

__all__ = ["router"]

router = ControlRouter()

_SECRET_SHAPED = ("api_key", "apikey", "password", "secret", "token")


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
        **pick(row, "id service_id status created_at updated_at"),
        "owner_id": row["customer_id"],
        "parameters": _mask(loads(row["parameters"]) or {}),
        "service": service_json(service) if details and service else None,
        "proxy_endpoint": f"{gateway_base(request)}/e/{row['code']}",
        **pick(row, "code task_id"),
    }


def _own_enrollment(state: EmulatorState, customer: str, enrollment_id: str) -> dict[str, Any]:
    return owned(state, "enrollments", "enrollment", customer, enrollment_id)


@router.api("GET", "/enrollments/")
async def list_enrollments(
    request: Request,
    state: State,
    customer: Customer,
    skip: Skip = 0,
    limit: Limit = 100,
    include_service_details: bool = True,
) -> dict[str, Any]:
    """The customer's enrollments, newest first."""
    page = listing(
        state,
        "enrollments",
        customer,
        lambda row: _enrollment_json(state, request, row, include_service_details),
        order="created_at DESC, id",
        skip=skip,
        limit=limit,
    )
    return {**page, "skip": skip, "limit": limit}


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
            "UPDATE enrollments SET status = 'pending', parameters = ?, task_id = ?, "
            "updated_at = ?, activate_at = ? WHERE id = ?",
            (dumps(parameters), new_uuid(), stamp, activate_at, previous["id"]),
        )
        enrollment_id = previous["id"]
    else:
        enrollment_id = new_uuid()
        insert_row(
            state,
            "enrollments",
            {
                "id": enrollment_id,
                "customer_id": customer,
                "service_id": service["id"],
                "status": "pending",
                "parameters": dumps(body.parameters or {}),
                "code": new_uuid().split("-")[0].upper(),
                "task_id": new_uuid(),
                "created_at": stamp,
                "updated_at": stamp,
                "activate_at": activate_at,
            },
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
