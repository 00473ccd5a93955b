"""The control plane under ``/v1``: one module per resource (groups; services, and their
plan, documents and collections; usage; enrollments; secrets; aliases; recurrent requests;
request logs; preferences; files), the shared row and body helpers in `_common`, and here
the routing dry run and the router that gathers them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .._deps import Customer, State
from .._routes import ControlRouter
from .._routing import resolve, split_wrappers
from . import (
    _aliases,
    _broadcasts,
    _chains,
    _enrollments,
    _files,
    _groups,
    _preferences,
    _recurrent,
    _request_logs,
    _secrets,
    _service_extras,
    _services,
    _usage,
)
from ._common import Body, gateway_path

__all__ = ["router"]

router = ControlRouter()


class ResolveRequest(Body):
    """Body of a routing dry run."""

    path: str = Field(min_length=1, max_length=2048)
    routing_key: dict[str, Any] | None = None
    gateway: Literal["api", "s3", "smtp"] = "api"
    strategy: Literal["weighted", "by_routing_key", "by_price"] | None = None


for _module in (
    _groups,
    _services,
    _enrollments,
    _secrets,
    _aliases,
    _recurrent,
    _request_logs,
    _preferences,
    _files,
    _service_extras,
    _usage,
    _broadcasts,
    _chains,
):
    router.include_router(_module.router)


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
