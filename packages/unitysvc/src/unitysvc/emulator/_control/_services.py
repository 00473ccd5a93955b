"""Catalogue services: one service by id or unique id prefix, and its gateway interfaces."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State, gateway_base, not_found
from .._routes import ControlRouter
from ._common import pick

__all__ = ["find_service", "interface_json", "router", "service_json"]

router = ControlRouter()


def service_json(row: dict[str, Any]) -> dict[str, Any]:
    """The public form of a catalogue service."""
    return {
        **pick(
            row,
            "id name display_name service_type gateway_type description provider_name "
            "seller_name capabilities:json tags:json list_price enrollment_channel",
        ),
        "channel_types": [row["enrollment_channel"]],
    }


def interface_json(
    name: str, description: str, base_url: str, group: str | None, enrollment: str | None
) -> dict[str, Any]:
    """A gateway interface: where to call a service, group or enrollment over HTTP."""
    return {
        "name": name,
        "description": description,
        "access_method": "http",
        "base_url": base_url,
        "group_name": group,
        "enrollment_id": enrollment,
    }


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
            interface_json(
                "default", "Shared gateway interface", f"{gateway}/p/{service['id']}", None, None
            )
        )
    for row in state.db.query(
        "SELECT * FROM enrollments WHERE customer_id = ? AND service_id = ? AND status = 'active' "
        "ORDER BY created_at",
        (customer, service["id"]),
    ):
        interfaces.append(
            interface_json(
                f"enrollment-{row['code']}",
                "Enrollment-bound interface",
                f"{gateway}/e/{row['code']}",
                None,
                row["id"],
            )
        )
    return interfaces
