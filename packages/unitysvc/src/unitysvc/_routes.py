"""What broadcasts (``/b/<name>``) and chains (``/c/<name>``) share: a record dispatchable by
name, the checks on a route's name and on the gateway paths it calls, update bodies, and the
resource base with their listing, paths and dispatch."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import Field

import sdkcore
from sdkcore import MISSING, BaseModel, DualOp, Mode, Op, Resource, as_json, as_model, dual

from ._args import check_int, id_segment
from ._records import Bound, BoundList, Record
from ._wrappers import Wrappable, check_relative
from .models import Message

__all__ = [
    "ROUTE_NAME",
    "NamedRoute",
    "RouteList",
    "RouteResource",
    "check_item",
    "check_name",
    "check_targets",
    "partial_body",
    "route_path",
]

# A name is one gateway path segment after /b/ or /c/.
ROUTE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def check_name(name: Any, argument: str = "name") -> str:
    """A broadcast or chain name usable as one gateway path segment, else an error naming it."""
    if not isinstance(name, str):
        raise TypeError(f"{argument} must be a str, got {type(name).__name__}")
    if not ROUTE_NAME.fullmatch(name):
        raise ValueError(
            f"{argument} must be 1-128 letters, digits, '.', '_' or '-' (not first), got {name!r}"
        )
    return name


def route_path(prefix: str, name: str, path: str = "") -> str:
    """The gateway path ``<prefix>/<name>[/path]``; the name is checked first."""
    base = f"{prefix}/{check_name(name)}"
    if not isinstance(path, str):
        raise TypeError("path must be a str")
    return f"{base}/{path.lstrip('/')}" if path else base


def check_targets(items: Any, argument: str, check_one: Any) -> list[dict[str, Any]]:
    """A list of target/step dicts, each checked by ``check_one(item, index, argument)``,
    which returns its body; a key the body lacks is refused as unknown."""
    if not isinstance(items, list):
        raise TypeError(f"{argument} must be a list of dicts")
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise TypeError(f"{argument}[{index}] must be a dict")
        for key in ("name", "target_path"):
            if key not in item:
                raise ValueError(f"{argument}[{index}] needs a {key!r}")
        body = dict(item)
        body["target_path"] = check_relative(
            item["target_path"], f"{argument}[{index}].target_path"
        )
        checked = check_one(body, index, argument)
        unknown = set(item) - set(checked)
        if unknown:
            where = f"{argument}[{index}]"
            raise ValueError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
        out.append(checked)
    return out


def partial_body(
    fields: dict[str, Any], *, ints: tuple[str, ...] = (), bools: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An update body: only the fields passed (NOT_GIVEN dropped; None clears), type-checked."""
    body = {k: v for k, v in fields.items() if v is not sdkcore.NOT_GIVEN}
    for key in ints:
        value = body.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{key} must be an int")
    for key in bools:
        if key in body and body[key] is not None and not isinstance(body[key], bool):
            raise TypeError(f"{key} must be a bool")
    return body


class NamedRoute(Record, Wrappable):
    """A record the gateway dispatches by name at ``<prefix>/<name>``.

    ``dispatch``/``stream`` go to the client's ``api_base_url``; the fluent wrappers compose
    in front: ``route.logged().dispatch(json=body)``, ``route.cached(ttl="5m")``.
    """

    prefix: ClassVar[str] = ""
    resource: ClassVar[str] = ""

    id: str
    name: str
    customer_id: str | None = None
    owner_id: str | None = None
    description: str | None = None
    enabled: bool = True
    details: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def path(self) -> str:
        """Gateway-relative dispatch path: ``<prefix>/<name>``."""
        return f"{self.prefix}/{self.name}"

    def _get_client(self) -> Any:
        return self._client

    def _sub(self, path: str) -> str:
        return route_path(self.prefix, self.name, path)

    def dispatch(self, *, path: str = "", **kwargs: Any) -> Any:
        """Send one request to ``<prefix>/<name>[/path]`` (see `Client.dispatch`); returns
        the `httpx.Response` (awaitable on the async client), 4xx/5xx not raised."""
        return self._client.dispatch(self._sub(path), **kwargs)

    def stream(self, *, path: str = "", **kwargs: Any) -> Any:
        """Open a streaming request to ``<prefix>/<name>[/path]`` (see `Client.stream`)."""
        return self._client.stream(self._sub(path), **kwargs)

    def _manager(self) -> Any:
        return getattr(self._client, self.resource)

    def refresh(self) -> Any:
        """Re-fetch this record."""
        return self._manager().get(self.id)

    def update(self, **fields: Any) -> Any:
        """Update this record's metadata (only the fields passed)."""
        return self._manager().update(self.id, **fields)

    def delete(self) -> Any:
        """Delete this record with its children."""
        return self._manager().delete(self.id)


class RouteList(BaseModel):
    """A listing of broadcasts or chains: ``data`` (subclasses type it) and ``count``."""

    data: list[Any] = Field(default_factory=list)
    count: int = 0

    def __iter__(self) -> Any:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


M = TypeVar("M", bound=Mode)
C = TypeVar("C", bound=BaseModel)
RouteT = TypeVar("RouteT", bound=NamedRoute)
ListT = TypeVar("ListT", bound=RouteList)


class RouteResource(Resource[M], Generic[M, RouteT, ListT]):
    """Base of the broadcast and chain resources: the listing, dispatch by name, and the paths
    and ops of one record and its children (targets or steps), for either face.

    Subclasses name their record and list models and their children (``targets``); the
    collection (``/broadcasts/``) and the id arguments (``broadcast_id``, ``target_id``)
    follow from those names. The methods taking an id stay on the subclass, so each keeps
    its argument's name.
    """

    _record: ClassVar[type[NamedRoute]]
    _list: ClassVar[type[RouteList]]
    _children: ClassVar[str]

    @property
    def _collection(self) -> str:
        return f"/{self._record.resource}/"

    @dual
    def list(self, *, skip: int = 0, limit: int = 100) -> DualOp[ListT, ListT]:
        """List the customer's records of this kind (``data`` and ``count``)."""
        query = {"skip": check_int(skip, "skip", 0), "limit": check_int(limit, "limit", 1, 1000)}
        factory = BoundList(self._list, self._record)
        return DualOp("GET", self._collection, as_json, query=query, factory=factory)

    def dispatch(self, name: str, *, path: str = "", **kwargs: Any) -> Any:
        """Send one request through the route ``name`` (``<prefix>/<name>[/path]``); returns
        the `httpx.Response` (awaitable on the async client), 4xx/5xx not raised. Keyword
        arguments are those of `Client.dispatch`; the class docstring says what answers."""
        sub = route_path(self._record.prefix, name, path)
        return self._client.dispatch(sub, **kwargs)  # type: ignore[attr-defined]

    def _path(self, route_id: Any) -> str:
        return self._collection + id_segment(route_id, f"{self._record.resource[:-1]}_id")

    def _children_path(self, route_id: Any) -> str:
        return f"{self._path(route_id)}/{self._children}"

    def _child_path(self, route_id: Any, child_id: Any) -> str:
        parent = self._children_path(route_id)
        return f"{parent}/" + id_segment(child_id, f"{self._children[:-1]}_id")

    def _record_op(self, method: str, path: str, body: Any = MISSING) -> DualOp[RouteT, RouteT]:
        """An op answered by one whole record, bound to the client."""
        factory: Bound[Any] = Bound(self._record)  # the record class is RouteT's
        return DualOp(method, path, as_json, body=body, factory=factory)

    def _delete(self, path: str) -> Op[Message]:
        return Op("DELETE", path, as_model(Message))

    def _add_child(self, route_id: Any, model: type[C], body: dict[str, Any]) -> Op[C]:
        return Op("POST", self._children_path(route_id), as_model(model), body=body)


def check_item(item: dict[str, Any], argument: str, check_one: Any) -> dict[str, Any]:
    """One target/step given as keyword arguments: checked as `check_targets` checks a list
    item (index -1: messages name ``argument`` alone)."""
    return check_targets([item], argument, lambda i, _n, a: check_one(i, -1, a))[0]
