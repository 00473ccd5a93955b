"""``client.aliases``: customer-defined names for gateway paths, with atomic routing switch."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from sdkcore import Async, Mode, Op, Resource, Sync, as_model, endpoint

from ._args import check_int, id_segment
from .models import (
    Alias,
    Message,
    ServiceAliasCreate,
    ServiceAliasesPublic,
    ServiceAliasUpdate,
    SwitchRoutingResponse,
)

__all__ = ["Aliases", "AsyncAliases", "body_of"]

M = TypeVar("M", bound=Mode)


def body_of(body: Any, model: type[Any], *, partial: bool) -> dict[str, Any]:
    """A request body from a model or a dict, validated before sending.

    ``partial`` sends only the fields that were set (an update).
    """
    if isinstance(body, dict):
        body = model.model_validate(body)
    if not isinstance(body, model):
        raise TypeError(f"body must be a {model.__name__} or a dict")
    dumped: dict[str, Any] = body.model_dump(mode="json", exclude_unset=partial)
    return dumped


class _Aliases(Resource[M]):
    """Operations on the customer's service aliases (``/v1/aliases/``), for either face."""

    @endpoint
    def list(
        self,
        *,
        skip: int = 0,
        limit: int = 100,
        name: str | None = None,
        include_deactivated: bool = False,
    ) -> Op[ServiceAliasesPublic]:
        """List aliases owned by the authenticated customer."""
        query = {
            "skip": check_int(skip, "skip", 0),
            "limit": check_int(limit, "limit", 1, 1000),
            "name": name,
            "include_deactivated": bool(include_deactivated),
        }
        return Op("GET", "/aliases/", as_model(ServiceAliasesPublic), query=query)

    @endpoint
    def get(self, alias_id: str | UUID) -> Op[Alias]:
        """Get a single alias by id."""
        return Op("GET", "/aliases/" + id_segment(alias_id, "alias_id"), as_model(Alias))

    @endpoint
    def create(self, body: ServiceAliasCreate | dict[str, Any]) -> Op[Alias]:
        """Create a new alias."""
        payload = body_of(body, ServiceAliasCreate, partial=False)
        return Op("POST", "/aliases/", as_model(Alias), body=payload)

    @endpoint
    def update(self, alias_id: str | UUID, body: ServiceAliasUpdate | dict[str, Any]) -> Op[Alias]:
        """Update an existing alias (only the fields set in ``body`` are sent)."""
        path = "/aliases/" + id_segment(alias_id, "alias_id")
        return Op(
            "PATCH", path, as_model(Alias), body=body_of(body, ServiceAliasUpdate, partial=True)
        )

    @endpoint
    def switch_routing(self, alias_id: str | UUID, *, on: bool = True) -> Op[SwitchRoutingResponse]:
        """Switch routing on or off for an alias.

        Turning one on atomically turns off any sibling alias routing the same
        (name, routing key); turning it off just stops it routing. Returns the alias and
        the id of the sibling it demoted.
        """
        if not isinstance(on, bool):
            raise TypeError("on must be a bool")
        path = "/aliases/" + id_segment(alias_id, "alias_id") + "/switch"
        return Op("POST", path, as_model(SwitchRoutingResponse), query={"on": on}, safe=True)

    @endpoint
    def delete(self, alias_id: str | UUID) -> Op[Message]:
        """Delete an alias by id."""
        return Op("DELETE", "/aliases/" + id_segment(alias_id, "alias_id"), as_model(Message))


class Aliases(_Aliases[Sync]):
    """Operations on the customer's service aliases (``/v1/aliases/``)."""


class AsyncAliases(_Aliases[Async]):
    """Async sibling of `Aliases`: the same methods, awaited."""
