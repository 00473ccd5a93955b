"""``client.groups``: service groups (platform groups and the customer's own collections),
their members, the services in them, and dispatch through a group's gateway interface."""

from __future__ import annotations

import builtins
from typing import Any, TypeVar
from uuid import UUID

import httpx
from pydantic import Field

import sdkcore
from sdkcore import (
    Async,
    DualOp,
    Flow,
    Mode,
    Op,
    Resource,
    Sync,
    as_json,
    as_list,
    as_model,
    as_none,
    dual,
    endpoint,
    path_segment,
    strip_not_given,
)

from ._args import as_id, check_int, id_segment
from ._flows import call, flow, gateway_request, send_raw
from ._records import Bound, Record, bind
from ._wrappers import Wrappable
from .models import AccessInterface, ServiceCollectionMemberPublic
from .services import Service

__all__ = ["AsyncGroups", "Group", "GroupListPage", "Groups", "ServiceListPage"]

_UNSET: Any = sdkcore.NOT_GIVEN
_OWNERS = ("all", "system", "own")


class Group(Record, Wrappable):
    """Active-record wrapper around a service group.

    Fields come from the API (``name``, ``routing_policy``, ``interface``, ...); methods
    navigate without re-passing the slug: ``grp.services()``, ``grp.dispatch(json=...)``,
    ``grp.stream(...)``, and for the customer's own collections ``update``, ``delete``,
    ``add_member``, ``members``, ``remove_member``. The fluent wrappers chain before a
    dispatch: ``grp.cached(ttl="1h").logged().dispatch(json=body)``.
    """

    id: str
    name: str
    owner_type: str | None = None
    editable: bool = False
    display_name: str | None = None
    description: str | None = None
    member_count: int | None = None
    details: dict[str, Any] | None = None
    group_type: str | None = None
    interface: AccessInterface | None = None
    routing_policy: dict[str, Any] | None = None
    enabled: bool | None = None
    is_default: bool | None = None
    service_ids: list[str] | None = None
    owner_id: str | None = None

    def __repr__(self) -> str:
        return f"<Group name={self.name!r}>"

    @property
    def path(self) -> str:
        """Gateway-relative path for this group: ``g/<name>``."""
        return f"g/{self.name}"

    def _get_client(self) -> Any:
        return self._client

    def services(
        self, *, cursor: str | None = None, limit: int = 50, search: str | None = None
    ) -> Any:
        """List this group's services (see `Groups.services`)."""
        return self._client.groups.services(self.name, cursor=cursor, limit=limit, search=search)

    def dispatch(self, **kwargs: Any) -> Any:
        """Send a request through the group-level interface (see `Groups.dispatch`)."""
        return self._client.groups.dispatch(self.name, **kwargs)

    def stream(self, **kwargs: Any) -> Any:
        """Open a streaming request through the group-level interface (see `Groups.stream`)."""
        return self._client.groups.stream(self.name, **kwargs)

    def refresh(self) -> Any:
        """Re-fetch this group by name."""
        return self._client.groups.get(self.name)

    def update(
        self, *, display_name: Any = _UNSET, description: Any = _UNSET, enabled: Any = _UNSET
    ) -> Any:
        """Update this collection's metadata (see `Groups.update`)."""
        return self._client.groups.update(
            self.id, display_name=display_name, description=description, enabled=enabled
        )

    def delete(self) -> Any:
        """Delete this customer-owned collection."""
        return self._client.groups.delete(self.id)

    def add_member(self, *, service_id: str, routing_key: Any = None, sort_order: int = 0) -> Any:
        """Add a member service to this collection (see `Groups.add_member`)."""
        return self._client.groups.add_member(
            self.id, service_id=service_id, routing_key=routing_key, sort_order=sort_order
        )

    def members(self) -> Any:
        """List this collection's members."""
        return self._client.groups.members(self.id)

    def remove_member(self, service_id: str) -> Any:
        """Remove a member service from this collection."""
        return self._client.groups.remove_member(self.id, service_id)


class GroupListPage(sdkcore.BaseModel):
    """Result of `Groups.list`: ``data`` holds `Group` wrappers, ``count`` the server's count."""

    data: builtins.list[Group] = Field(default_factory=builtins.list)
    count: int = 0

    def __iter__(self) -> Any:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


class _ServicePages(sdkcore.PageFactory[Any, Any]):
    """Cursor pages whose items are `Service` records bound to the client."""

    def _kwargs(self, client: sdkcore.BaseClient, op: Any, envelope: Any) -> dict[str, Any]:
        kwargs = super()._kwargs(client, op, envelope)
        kwargs["items"] = [bind(Service, raw, client) for raw in envelope["data"]]
        return kwargs


class ServiceListPage(sdkcore.SyncPage[Service]):
    """A cursor page of a group's services (newest first).

    ``data`` holds `Service` wrappers; pass ``next_cursor`` back as ``cursor=`` for the next
    page, or walk every page with ``auto_paging_iter()`` / ``iter_pages()``.
    """

    @property
    def next_cursor(self) -> str | None:
        """Cursor of the next page (None on the last one)."""
        cursor: str | None = self.envelope.get("next_cursor")
        return cursor

    @property
    def has_more(self) -> bool:
        """Whether another page follows."""
        return bool(self.envelope.get("has_more"))


class AsyncServiceListPage(sdkcore.AsyncPage[Service]):
    """Async sibling of `ServiceListPage` (``async for`` over ``auto_paging_iter()``)."""

    next_cursor = ServiceListPage.next_cursor
    has_more = ServiceListPage.has_more


_SERVICE_PAGES = _ServicePages(
    sdkcore.CursorPagination(), as_json, ServiceListPage, AsyncServiceListPage
)


M = TypeVar("M", bound=Mode)


class _Groups(Resource[M]):
    """Operations on customer-visible service groups (``/v1/groups``), for either face."""

    @dual
    def list(
        self, *, owner: str = "all", name: str | None = None
    ) -> DualOp[GroupListPage, GroupListPage]:
        """List service groups and collections visible to the customer.

        ``owner`` narrows the server-side result set: "all" (platform + own, default),
        "system" (platform only) or "own" (the customer's collections). ``name`` is a
        client-side substring filter applied on top. Not paginated: ``{data, count}``.
        """
        if owner not in _OWNERS:
            raise ValueError(f"owner must be one of {', '.join(_OWNERS)}; got {owner!r}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}")
        return DualOp("GET", "/groups", as_json, query={"owner": owner}, factory=_GroupList(name))

    @dual
    def get(self, name: str) -> DualOp[Group, Group]:
        """Get a single group by its slug name."""
        return DualOp(
            "GET", "/groups/" + path_segment(name, argument="name"), as_json, factory=Bound(Group)
        )

    @dual
    def create(
        self, *, name: str, display_name: str | None = None, description: str | None = None
    ) -> DualOp[Group, Group]:
        """Create a customer-owned service collection (addressable at ``/g/<name>``)."""
        path_segment(name, argument="name")
        body = strip_not_given(
            {"name": name, "display_name": display_name, "description": description}
        )
        return DualOp("POST", "/groups", as_json, body=body, factory=Bound(Group))

    @dual
    def update(
        self,
        group_id: str | UUID,
        *,
        display_name: Any = _UNSET,
        description: Any = _UNSET,
        enabled: Any = _UNSET,
    ) -> DualOp[Group, Group]:
        """Update a customer-owned collection's metadata.

        Only the fields you pass are sent (an explicit None clears a field); omitted fields
        are left untouched server-side.
        """
        fields = {"display_name": display_name, "description": description, "enabled": enabled}
        body = {k: v for k, v in fields.items() if v is not _UNSET}
        if "enabled" in body and not isinstance(body["enabled"], bool):
            raise TypeError("enabled must be a bool")
        return DualOp("PATCH", _group_path(group_id), as_json, body=body, factory=Bound(Group))

    @endpoint
    def delete(self, group_id: str | UUID) -> Op[None]:
        """Delete a customer-owned collection."""
        return Op("DELETE", _group_path(group_id), as_none)

    @endpoint
    def add_member(
        self,
        group_id: str | UUID,
        *,
        service_id: str | UUID,
        routing_key: Any = None,
        sort_order: int = 0,
    ) -> Op[ServiceCollectionMemberPublic]:
        """Add a member service to a customer-owned collection; returns the member record."""
        check_int(sort_order, "sort_order", -(2**31), 2**31 - 1)
        body = {
            "service_id": as_id(service_id, "service_id"),
            "routing_key": routing_key,
            "sort_order": sort_order,
        }
        return Op(
            "POST",
            _group_path(group_id) + "/members",
            as_model(ServiceCollectionMemberPublic),
            body=body,
        )

    @endpoint
    def members(self, group_id: str | UUID) -> Op[builtins.list[ServiceCollectionMemberPublic]]:
        """List the member services of a collection (raw member records)."""
        return Op("GET", _group_path(group_id) + "/members", as_list(ServiceCollectionMemberPublic))

    @endpoint
    def remove_member(self, group_id: str | UUID, service_id: str | UUID) -> Op[None]:
        """Remove a member service from a customer-owned collection."""
        path = _group_path(group_id) + "/members/" + id_segment(service_id, "service_id")
        return Op("DELETE", path, as_none)

    @dual
    def services(
        self, name: str, *, cursor: str | None = None, limit: int = 50, search: str | None = None
    ) -> DualOp[ServiceListPage, AsyncServiceListPage]:
        """List services that belong to a group, newest first, by cursor.

        Pass the page's ``next_cursor`` back as ``cursor=``, or iterate every page with
        ``auto_paging_iter()``. This is the canonical service-discovery path. Items are
        `Service` wrappers.
        """
        check_int(limit, "limit", 1, 200)
        query = {"cursor": cursor, "limit": limit, "search": search}
        return DualOp(
            "GET",
            "/groups/" + path_segment(name, argument="name") + "/services",
            as_json,
            query=query,
            factory=_SERVICE_PAGES,
        )

    @flow
    def dispatch(
        self,
        name: str,
        *,
        path: str = "",
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Flow[httpx.Response]:
        """Send an HTTP request through the group's gateway interface.

        Resolves ``group.interface.base_url`` and makes a single request to it (plus ``path``)
        with the API key; the gateway's routing policy picks a member service. Upstream 4xx/5xx
        responses are returned, not raised.

        Raises:
            ValueError: the group has no group-level interface.
        """
        url, kwargs = yield from self._target(name, path, method, json, data, headers, timeout)
        response: httpx.Response = yield from send_raw(self._client, method, url, kwargs)
        return response

    @flow
    def stream(
        self,
        name: str,
        *,
        path: str = "",
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Flow[Any]:
        """Open a streaming request through the group-level interface.

        Same interface resolution and URL as `dispatch`; returns a context-managed
        `StreamingResponse` (`AsyncStreamingResponse` on the async client, used as
        ``async with await client.groups.stream(...)``) to iterate lazily::

            with client.groups.stream(name, json={..., "stream": True}) as r:
                for event in r.iter_events():
                    if event.kind == "done":
                        break
                    handle(event.parsed)
        """
        url, kwargs = yield from self._target(name, path, method, json, data, headers, timeout)
        client: Any = self._client
        return client._open_stream(method, url, kwargs)

    def _target(
        self,
        name: str,
        path: str,
        method: str,
        json: Any,
        data: Any,
        headers: dict[str, str] | None,
        timeout: float | None,
    ) -> Flow[tuple[str, dict[str, Any]]]:
        segment = path_segment(name, argument="name")
        gateway_request(
            self._client,
            "http://check",
            path=path,
            method=method,
            json=json,
            data=data,
            headers=headers,
            timeout=timeout,
        )
        raw = yield from call(self._client, Op("GET", "/groups/" + segment, as_model(Group)))
        if raw.interface is None or not raw.interface.base_url:
            raise ValueError(f"Group {name!r} has no group-level interface; cannot dispatch.")
        return gateway_request(
            self._client,
            raw.interface.base_url,
            path=path,
            method=method,
            json=json,
            data=data,
            headers=headers,
            timeout=timeout,
        )


class Groups(_Groups[Sync]):
    """Operations on customer-visible service groups (``/v1/groups``).

    Example::

        llm = client.groups.get("llm")              # by name
        page = llm.services()                       # active-record nav
        resp = llm.dispatch(json={"messages": [...]})
    """


class AsyncGroups(_Groups[Async]):
    """Async sibling of `Groups`: the same methods, awaited."""


class _GroupList(sdkcore.ResultFactory[GroupListPage, GroupListPage]):
    def __init__(self, name: str | None) -> None:
        self.name = name

    def sync(self, client: sdkcore.BaseClient, op: Any, value: Any) -> GroupListPage:
        items = [bind(Group, raw, client) for raw in value["data"]]
        if self.name is not None:
            needle = self.name.lower()
            items = [
                g
                for g in items
                if needle in g.name.lower() or needle in (g.display_name or "").lower()
            ]
        return GroupListPage(data=items, count=int(value.get("count", len(items))))

    async_ = sync


def _group_path(group_id: Any) -> str:
    return "/groups/" + id_segment(group_id, "group_id")
