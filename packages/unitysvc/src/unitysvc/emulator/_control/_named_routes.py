"""The routes of a `NamedTable` (broadcasts, chains): list, create, get, update, delete, and
add, update, remove or replace its children, registered once for both resources.

No ``from __future__ import annotations`` here: FastAPI reads the endpoints' annotations,
which name the body models passed in, so they must be evaluated when each endpoint is made.
"""

from typing import Annotated, Any

from fastapi import Path
from pydantic import Field

from .._deps import Customer, State
from .._routes import ControlRouter
from ._common import Body, Limit, Skip
from ._named import NamedTable

__all__ = ["add_named_routes"]

_MAX_CHILDREN = 50


def _dump(body: Any, **kwargs: Any) -> dict[str, Any]:
    # The bodies' types are the models passed in, which mypy cannot follow.
    dumped: dict[str, Any] = body.model_dump(**kwargs)
    return dumped


def add_named_routes(
    router: ControlRouter,
    table: NamedTable,
    create: type[Body],
    update: type[Body],
    child: type[Body],
    child_update: type[Body] | None = None,
) -> None:
    """Register the routes of ``table`` on ``router`` (under ``/<table>/``)."""
    what, kid, kids = table.what, table.child_what, table.children_field
    ItemId = Annotated[str, Path(alias=table.parent_key)]
    ChildId = Annotated[str, Path(alias=f"{kid}_id")]
    item = f"/{table.table}/{{{table.parent_key}}}"
    children = f"{item}/{kids}"
    one_child = f"{children}/{{{kid}_id}}"

    def add(method: str, path: str, name: str, doc: str, endpoint: Any, **kwargs: Any) -> None:
        endpoint.__name__ = name
        endpoint.__doc__ = doc
        router.api(method, path, **kwargs)(endpoint)

    async def listing(
        state: State, customer: Customer, skip: Skip = 0, limit: Limit = 100
    ) -> dict[str, Any]:
        return table.page(state, customer, skip, limit)

    async def creating(state: State, customer: Customer, body: create) -> dict[str, Any]:  # type: ignore[valid-type]
        items = [_dump(c) for c in getattr(body, kids)]
        return table.create(state, customer, _dump(body, exclude={kids}), items)

    async def getting(state: State, customer: Customer, item_id: ItemId) -> dict[str, Any]:
        return table.as_json(state, table.own(state, customer, item_id))

    async def updating(
        state: State,
        customer: Customer,
        item_id: ItemId,
        body: update,  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        return table.update(state, customer, item_id, _dump(body, exclude_unset=True))

    async def deleting(state: State, customer: Customer, item_id: ItemId) -> dict[str, Any]:
        return table.delete(state, customer, item_id)

    async def adding(
        state: State,
        customer: Customer,
        item_id: ItemId,
        body: child,  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        return table.add_child(state, customer, item_id, _dump(body))

    async def replacing(
        state: State,
        customer: Customer,
        item_id: ItemId,
        body: Annotated[list[child], Field(max_length=_MAX_CHILDREN)],  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        return table.replace_children(state, customer, item_id, [_dump(c) for c in body])

    async def removing(
        state: State, customer: Customer, item_id: ItemId, child_id: ChildId
    ) -> dict[str, Any]:
        return table.remove_child(state, customer, item_id, child_id)

    plural = table.table
    add("GET", f"/{plural}/", f"list_{plural}", f"The customer's {plural}.", listing)
    add(
        "POST",
        f"/{plural}/",
        f"create_{what}",
        f"Create a {what}, dispatched by name on the gateway.",
        creating,
        status_code=201,
    )
    add("GET", item, f"get_{what}", f"One {what} with its {kids}.", getting)
    add("PATCH", item, f"update_{what}", "Change the fields sent.", updating)
    add("DELETE", item, f"delete_{what}", f"Delete a {what} and its {kids}.", deleting)
    add("POST", children, f"add_{kid}", f"Add one {kid}.", adding, status_code=201)
    add("PUT", children, f"replace_{kids}", f"Replace every {kid} at once.", replacing)
    add("DELETE", one_child, f"remove_{kid}", f"Remove one {kid}.", removing)
    if child_update is None:
        return

    async def changing(
        state: State,
        customer: Customer,
        item_id: ItemId,
        child_id: ChildId,
        body: child_update,  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        changes = _dump(body, exclude_unset=True)
        return table.update_child(state, customer, item_id, child_id, changes)

    add("PATCH", one_child, f"update_{kid}", f"Change the {kid} fields sent.", changing)
