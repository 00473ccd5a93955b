"""What a service page shows beyond the service itself: its access plan (``/usage``), its
documents (rendered against a gateway interface) and which of the customer's collections
hold it (``/groups``, the Add-to-Group dropdown, with the Favorites collection)."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from pydantic import Field, StrictBool

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State, gateway_base, not_found
from .._routes import ControlRouter
from .._store import dumps, loads, new_uuid, now
from ._common import Body, insert_row
from ._services import find_service

__all__ = ["router"]

router = ControlRouter()

_SECRET = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
# Every document category of the public API (the emulator's services have two of them).
Category = Literal[
    "api_reference", "attachment", "avatar", "best_practice", "blog_banner", "blog_content",
    "changelog", "code_example", "code_example_output", "connectivity_test", "getting_started",
    "invoice", "logo", "other", "request_template", "service_level_agreement", "specification",
    "statement", "terms_of_service", "troubleshooting", "tutorial", "use_case",
]  # fmt: skip


@router.api("GET", "/services/{service_id}/usage")
async def access_plan(
    request: Request, state: State, customer: Customer, service_id: str
) -> dict[str, Any]:
    """How to use the service: enrollment posture, interfaces, channels, routing groups."""
    service = find_service(state, service_id)
    byok = service["enrollment_channel"] == "byok"
    secrets = sorted(set(_SECRET.findall(service["secret_headers"] or "")))
    gateway = gateway_base(request)
    price = service["list_price"] or 0
    routes = state.db.query(
        "SELECT g.name, g.routing_policy, m.routing_key FROM members m JOIN groups g "
        "ON g.id = m.group_id WHERE m.service_id = ? AND g.owner_type = 'system' ORDER BY g.name",
        (service["id"],),
    )
    return {
        "enrollment_mode": "required" if byok else "optional",
        "parameters": [
            {"name": name, "required": True, "names_secret": False}
            for name in loads(service["required_parameters"]) or []
        ],
        "interfaces": []
        if byok
        else [
            {
                "name": "default",
                "base_url": f"{gateway}/p/{service['id']}",
                "routing_key": None,
                "description": "Shared gateway interface",
            }
        ],
        "channels": [
            {
                "name": service["enrollment_channel"],
                "channel_type": service["enrollment_channel"],
                "free": price == 0,
                "price": f"{price:.2f}",
                "currency": "USD",
                "requires_enrollment": byok,
                "required_secrets": [{"name": name} for name in secrets],
                "default": True,
            }
        ],
        "routing_endpoints": [
            {
                "base_url": f"{gateway}/g/{row['name']}",
                "routing_key": loads(row["routing_key"]),
                "routing_key_required": loads(row["routing_policy"])["strategy"]
                == "by_routing_key",
            }
            for row in routes
        ],
        "input_formats": None,
        "gateway_type": service["gateway_type"] or "api",
    }


def _documents(service: dict[str, Any], base_url: str) -> list[dict[str, Any]]:
    """The service's documents, rendered against the gateway interface at ``base_url``."""
    name, title = service["name"], service["display_name"] or service["name"]
    sources = [
        (
            "getting_started",
            "text/markdown",
            "getting-started.md",
            f"# {title}\n\nCall it at `{base_url}` with your API key as a Bearer token.\n",
        ),
        (
            "code_example",
            "python",
            "example.py",
            "import httpx\n\n"
            f'response = httpx.post("{base_url}", json={{"messages": []}},\n'
            '                       headers={"Authorization": "Bearer $UNITYSVC_API_KEY"})\n'
            "print(response.json())\n",
        ),
    ]
    return [
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"unitysvc-document:{name}:{filename}")),
            "title": f"{title}: {category.replace('_', ' ')}",
            "category": category,
            "mime_type": mime,
            "description": None,
            "version": "1",
            "sort_order": order,
            "external_url": None,
            "filename": filename,
            "meta": None,
            "content": content,
            "render_error": None,
        }
        for order, (category, mime, filename, content) in enumerate(sources)
    ]


def _rendered(
    request: Request, state: EmulatorState, service_id: str, interface: str | None
) -> list[dict[str, Any]]:
    service = find_service(state, service_id)
    if interface not in (None, "canonical"):
        raise not_found("interface")
    return _documents(service, f"{gateway_base(request)}/p/{service['id']}")


def _envelope(documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {"interface": "canonical", "available_interfaces": ["canonical"], "documents": documents}


@router.api("GET", "/services/{service_id}/documents")
async def list_documents(
    request: Request,
    state: State,
    customer: Customer,
    service_id: str,
    category: Category | None = None,
    mime_type: Annotated[str | None, Query(max_length=100)] = None,
    include_content: bool = False,
    interface: str | None = None,
) -> dict[str, Any]:
    """The service's documents, narrowed by category and MIME type; the content only with
    ``include_content``."""
    documents = [
        {**doc, "content": doc["content"] if include_content else None}
        for doc in _rendered(request, state, service_id, interface)
        if category in (None, doc["category"]) and mime_type in (None, doc["mime_type"])
    ]
    return _envelope(documents)


@router.api("GET", "/services/{service_id}/documents/{document_id}")
async def get_document(
    request: Request,
    state: State,
    customer: Customer,
    service_id: str,
    document_id: str,
    interface: str | None = None,
) -> dict[str, Any]:
    """One document with its content, in the same envelope as the list."""
    found = [d for d in _rendered(request, state, service_id, interface) if d["id"] == document_id]
    if not found:
        raise not_found("document")
    return _envelope(found)


def _favorites(state: EmulatorState, customer: str) -> dict[str, Any] | None:
    return state.db.query_one(
        "SELECT * FROM groups WHERE owner_id = ? AND is_default = 1", (customer,)
    )


def _membership(state: EmulatorState, customer: str, service_id: str) -> dict[str, Any]:
    rows = state.db.query(
        "SELECT g.*, EXISTS (SELECT 1 FROM members m WHERE m.group_id = g.id AND "
        "m.service_id = ?) AS member FROM groups g WHERE g.owner_id = ? "
        "ORDER BY g.is_default DESC, g.name",
        (service_id, customer),
    )
    groups = [
        {
            "id": row["id"],
            "name": row["name"],
            "member": bool(row["member"]),
            "display_name": row["display_name"],
            "is_default": bool(row["is_default"]),
        }
        for row in rows
    ]
    # The rows are all the customer's groups, so Favorites, once created, is among them.
    if not any(g["is_default"] for g in groups):
        groups.insert(
            0,
            {
                "id": None,
                "name": "favorites",
                "member": False,
                "display_name": "Favorites",
                "is_default": True,
            },
        )
    return {"service_id": service_id, "eligible": True, "groups": groups}


@router.api("GET", "/services/{service_id}/groups")
async def service_groups(state: State, customer: Customer, service_id: str) -> dict[str, Any]:
    """The customer's collections (and Favorites), each flagged if it holds the service."""
    return _membership(state, customer, find_service(state, service_id)["id"])


class MembershipUpdate(Body):
    """Body of a membership save: every collection that should hold the service."""

    group_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    include_default: StrictBool = False


@router.api("PUT", "/services/{service_id}/groups")
async def set_service_groups(
    state: State, customer: Customer, service_id: str, body: MembershipUpdate
) -> dict[str, Any]:
    """Put the service in exactly the collections named (Favorites by ``include_default``,
    created on first use) and take it out of the customer's others."""
    service = find_service(state, service_id)["id"]
    owned = {
        row["id"]: row
        for row in state.db.query("SELECT * FROM groups WHERE owner_id = ?", (customer,))
    }
    wanted = {str(g) for g in body.group_ids}
    unknown = wanted - owned.keys()
    if unknown:
        raise EmulatorError(422, f"not a collection of yours: {', '.join(sorted(unknown))}")
    with state.db.transaction():
        favorites = _favorites(state, customer)
        if body.include_default and favorites is None:
            favorites = {"id": new_uuid()}
            insert_row(
                state,
                "groups",
                {
                    "id": favorites["id"],
                    "name": f"favorites-{customer[:8]}",
                    "owner_type": "customer",
                    "owner_id": customer,
                    "display_name": "Favorites",
                    "description": "Services you marked as favorites",
                    "group_type": "collection",
                    "routing_policy": dumps({"strategy": "weighted"}),
                    "enabled": 1,
                    "is_default": 1,
                    "created_at": now(),
                },
            )
        if favorites is not None and body.include_default:
            wanted.add(favorites["id"])
        for group_id in set(owned) | wanted:
            _place(state, group_id, service, group_id in wanted)
    return _membership(state, customer, service)


def _place(state: EmulatorState, group_id: str, service_id: str, member: bool) -> None:
    if not member:
        state.db.execute(
            "DELETE FROM members WHERE group_id = ? AND service_id = ?", (group_id, service_id)
        )
    elif not state.db.query_one(
        "SELECT id FROM members WHERE group_id = ? AND service_id = ?", (group_id, service_id)
    ):
        insert_row(
            state,
            "members",
            {
                "id": new_uuid(),
                "group_id": group_id,
                "service_id": service_id,
                "routing_key": None,
                "sort_order": 0,
                "weight": 1.0,
            },
        )
