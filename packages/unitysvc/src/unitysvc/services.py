"""``client.services``: service details, access interfaces, dispatch, streaming and scheduling.

Discovery goes through a group (``client.groups.services(name)``). Dispatch, stream and
schedule share one interface-resolution rule (see `Services.dispatch`).
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

import httpx

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
    dual,
    endpoint,
)

from ._args import as_id, id_segment
from ._flows import call, flow, gateway_request, send_raw
from ._records import Bound, Record
from ._wrappers import Wrappable
from .models import (
    AccessInterface,
    AccessPlan,
    GroupMembership,
    RecurrentRequestPublic,
    ServiceDocuments,
)

__all__ = ["AsyncServices", "Service", "Services"]

M = TypeVar("M", bound=Mode)


class Service(Record, Wrappable):
    """Active-record wrapper around a service.

    Fields come from the API (``id``, ``name``, ``display_name``, ``list_price``, ...);
    methods pre-bind the id: ``svc.interfaces()``, ``svc.dispatch(...)``, ``svc.stream(...)``,
    ``svc.schedule(...)``, ``svc.enroll(...)``. The fluent wrappers chain before a dispatch:
    ``svc.cached(ttl="1h").logged().dispatch(json=body)``.
    """

    id: str
    name: str
    display_name: str | None = None
    service_type: str | None = None
    gateway_type: str | None = None
    description: str | None = None
    provider_name: str | None = None
    seller_name: str | None = None
    capabilities: list[str] | None = None
    tags: list[str] | None = None
    list_price: Any = None
    enrollment_channel: str | None = None
    channel_types: list[str] | None = None

    def __repr__(self) -> str:
        return f"<Service id={self.id!r} name={self.name!r}>"

    @property
    def path(self) -> str:
        """Gateway-relative path for this service: ``p/<id>``."""
        return f"p/{self.id}"

    def _get_client(self) -> Any:
        return self._client

    def interfaces(self) -> Any:
        """List this service's access interfaces (see `Services.interfaces`)."""
        return self._client.services.interfaces(self.id)

    def access_plan(self) -> Any:
        """How to use this service (see `Services.access_plan`)."""
        return self._client.services.access_plan(self.id)

    def documents(self, **kwargs: Any) -> Any:
        """This service's documents (see `Services.documents`)."""
        return self._client.services.documents(self.id, **kwargs)

    def group_membership(self) -> Any:
        """Which of your collections hold this service (see `Services.group_membership`)."""
        return self._client.services.group_membership(self.id)

    def set_group_membership(self, group_ids: Any, *, include_default: bool = False) -> Any:
        """Put this service in exactly these collections (see
        `Services.set_group_membership`)."""
        return self._client.services.set_group_membership(
            self.id, group_ids, include_default=include_default
        )

    def dispatch(self, **kwargs: Any) -> Any:
        """Send a one-shot request (see `Services.dispatch`)."""
        return self._client.services.dispatch(self.id, **kwargs)

    def stream(self, **kwargs: Any) -> Any:
        """Open a streaming request (see `Services.stream`)."""
        return self._client.services.stream(self.id, **kwargs)

    def schedule(self, **kwargs: Any) -> Any:
        """Register a recurring dispatch (see `Services.schedule`)."""
        return self._client.services.schedule(self.id, **kwargs)

    def enroll(self, *, parameters: dict[str, Any] | None = None) -> Any:
        """Enroll in this service (see `Enrollments.create`)."""
        return self._client.enrollments.create(service_id=self.id, parameters=parameters)


def pick_interface(
    interfaces: list[AccessInterface],
    service_id: Any,
    *,
    interface: str | UUID | None,
    enrollment: str | UUID | None,
) -> AccessInterface:
    """Choose the interface a dispatch goes through.

    By name when ``interface`` is given; by ``enrollment_id`` when ``enrollment`` is; else the
    customer's single enrollment-bound interface, else the first shared one. Several
    enrollment-bound interfaces and no hint is an error.
    """
    if not interfaces:
        raise ValueError(f"Service {service_id!r} has no dispatchable interfaces.")
    if interface is not None:
        for candidate in interfaces:
            if candidate.name == str(interface):
                return candidate
        names = ", ".join(repr(i.name) for i in interfaces)
        raise ValueError(f"No interface {interface!r} on service {service_id!r}; have {names}")
    bound = [i for i in interfaces if i.enrollment_id is not None]
    if enrollment is not None:
        matches = [i for i in bound if i.enrollment_id == str(enrollment)]
        if len(matches) != 1:
            raise ValueError(
                f"{len(matches)} interfaces of service {service_id!r} are bound to enrollment "
                f"{enrollment!r}; need exactly one"
            )
        return matches[0]
    if len(bound) > 1:
        raise ValueError(
            f"Service {service_id!r} has {len(bound)} enrollment-bound interfaces; pass "
            "enrollment= or interface= to pick one"
        )
    return bound[0] if bound else interfaces[0]


class _Services(Resource[M]):
    """Operations on customer-visible services (``/v1/services``), for either face."""

    @dual
    def get(self, service_id: str | UUID) -> DualOp[Service, Service]:
        """Get a single service by UUID or by a unique prefix of it.

        404 for inactive or non-public services; an ambiguous prefix is a `ValidationError`.
        """
        return DualOp(
            "GET",
            "/services/" + id_segment(service_id, "service_id"),
            as_json,
            factory=Bound(Service),
        )

    @endpoint
    def interfaces(self, service_id: str | UUID) -> Op[list[AccessInterface]]:
        """List access interfaces dispatchable by this customer.

        Shared interfaces plus the customer's enrollment-bound ones; ``enrollment_id`` is None
        for shared, set for BYOK/BYOE.
        """
        return Op(
            "GET",
            "/services/" + id_segment(service_id, "service_id") + "/interfaces",
            as_list(AccessInterface),
        )

    @endpoint
    def access_plan(self, service_id: str | UUID) -> Op[AccessPlan]:
        """How to use the service (``GET /services/{id}/usage``): enrollment mode and
        parameters, shared interfaces, channels with price and secrets, and the platform
        groups that route to it."""
        return Op("GET", _service(service_id) + "/usage", as_model(AccessPlan))

    @endpoint
    def documents(
        self,
        service_id: str | UUID,
        *,
        category: str | None = None,
        mime_type: str | None = None,
        include_content: bool = False,
        interface: str | None = None,
    ) -> Op[ServiceDocuments]:
        """The service's documents (guides, code examples), narrowed by ``category`` and
        ``mime_type``; ``include_content`` returns each rendered against ``interface``."""
        if not isinstance(include_content, bool):
            raise TypeError("include_content must be a bool")
        query = {
            "category": category,
            "mime_type": mime_type,
            "include_content": include_content,
            "interface": interface,
        }
        path = _service(service_id) + "/documents"
        return Op("GET", path, as_model(ServiceDocuments), query=query)

    @endpoint
    def document(
        self, service_id: str | UUID, document_id: str | UUID, *, interface: str | None = None
    ) -> Op[ServiceDocuments]:
        """One document with its content, in the `documents` envelope."""
        path = _service(service_id) + "/documents/" + id_segment(document_id, "document_id")
        return Op("GET", path, as_model(ServiceDocuments), query={"interface": interface})

    @endpoint
    def group_membership(self, service_id: str | UUID) -> Op[GroupMembership]:
        """Your collections (and Favorites), each flagged if it holds the service."""
        return Op("GET", _service(service_id) + "/groups", as_model(GroupMembership))

    @endpoint
    def set_group_membership(
        self,
        service_id: str | UUID,
        group_ids: list[str | UUID],
        *,
        include_default: bool = False,
    ) -> Op[GroupMembership]:
        """Put the service in exactly the collections ``group_ids`` (and Favorites when
        ``include_default``, created on first use); it leaves your other collections."""
        if not isinstance(group_ids, (list, tuple)):
            raise TypeError("group_ids must be a list of collection ids")
        if not isinstance(include_default, bool):
            raise TypeError("include_default must be a bool")
        body = {
            "group_ids": [as_id(g, "group_ids") for g in group_ids],
            "include_default": include_default,
        }
        path = _service(service_id) + "/groups"
        return Op("PUT", path, as_model(GroupMembership), body=body)

    @flow
    def dispatch(
        self,
        service_id: str | UUID,
        *,
        interface: str | UUID | None = None,
        enrollment: str | UUID | None = None,
        path: str = "",
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Flow[httpx.Response]:
        """Send an HTTP request to the service through its gateway interface.

        Picks the interface (by ``interface`` name, by ``enrollment``, else the single
        enrollment-bound one, else the first shared one) and sends one request to its
        ``base_url`` + ``path`` with the API key; ``headers`` are merged on top. Upstream
        4xx/5xx responses are returned as-is, not raised.

        Raises:
            ValueError: no interface matches, several do, or it has no base_url.
        """
        url, kwargs = yield from self._target(
            service_id, interface, enrollment, path, method, json, data, headers, timeout
        )
        response: httpx.Response = yield from send_raw(self._client, method, url, kwargs)
        return response

    @flow
    def stream(
        self,
        service_id: str | UUID,
        *,
        interface: str | UUID | None = None,
        enrollment: str | UUID | None = None,
        path: str = "",
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Flow[Any]:
        """Open a streaming HTTP request through the resolved service interface.

        Same resolution, auth and URL as `dispatch`; returns a `StreamingResponse` context
        manager (`AsyncStreamingResponse` on the async client, opened with
        ``async with await client.services.stream(...)``)::

            with client.services.stream(svc_id, json={..., "stream": True}) as r:
                print(r.status_code)
                for event in r.iter_events():
                    if event.kind == "done":
                        break
                    handle(event.parsed)
        """
        url, kwargs = yield from self._target(
            service_id, interface, enrollment, path, method, json, data, headers, timeout
        )
        client: Any = self._client
        return client._open_stream(method, url, kwargs)

    @flow
    def schedule(
        self,
        service_id: str | UUID,
        *,
        recurrence: dict[str, Any],
        interface: str | UUID | None = None,
        enrollment: str | UUID | None = None,
        path: str = "",
        method: str = "POST",
        json: Any = None,
        headers: dict[str, str] | None = None,
        name: str | None = None,
    ) -> Flow[RecurrentRequestPublic]:
        """Schedule a recurring dispatch.

        Same interface resolution as `dispatch`; creates a recurrent request the server fires
        on ``recurrence``: ``{"schedule_type": "interval", "interval_seconds": 300}`` or
        ``{"schedule_type": "cron", "cron_expression": "*/5 * * * *", "timezone": "UTC"}``.
        """
        check_recurrence(recurrence)
        iface = yield from self._interface(service_id, interface, enrollment)
        if not iface.base_url:
            raise ValueError("Interface has no resolved base_url; cannot schedule.")
        request_path = iface.base_url.rstrip("/")
        if path:
            request_path += "/" + path.lstrip("/")
        body = sdkcore.strip_not_given(
            {
                "request_path": request_path,
                "http_method": method,
                "service_id": as_id(service_id, "service_id"),
                "enrollment_id": None if enrollment is None else str(enrollment),
                "body_template": json,
                "request_headers": sdkcore.validate_headers(headers) or None,
                "schedule": recurrence,
                "name": name,
            }
        )
        created: RecurrentRequestPublic = yield from call(
            self._client,
            Op("POST", "/recurrent-requests/", as_model(RecurrentRequestPublic), body=body),
        )
        return created

    def _target(
        self,
        service_id: Any,
        interface: Any,
        enrollment: Any,
        path: str,
        method: str,
        json: Any,
        data: Any,
        headers: dict[str, str] | None,
        timeout: float | None,
    ) -> Flow[tuple[str, dict[str, Any]]]:
        iface = yield from self._interface(service_id, interface, enrollment)
        return gateway_request(
            self._client,
            iface.base_url,
            path=path,
            method=method,
            json=json,
            data=data,
            headers=headers,
            timeout=timeout,
        )

    def _interface(self, service_id: Any, interface: Any, enrollment: Any) -> Flow[AccessInterface]:
        segment = id_segment(service_id, "service_id")
        interfaces = yield from call(
            self._client,
            Op("GET", "/services/" + segment + "/interfaces", as_list(AccessInterface)),
        )
        return pick_interface(interfaces, service_id, interface=interface, enrollment=enrollment)


def _service(service_id: Any) -> str:
    return "/services/" + id_segment(service_id, "service_id")


def check_recurrence(recurrence: Any) -> None:
    """A schedule spec must be an interval with seconds > 0 or a cron expression."""
    if not isinstance(recurrence, dict):
        raise TypeError("recurrence must be a dict")
    kind = recurrence.get("schedule_type")
    if kind == "interval":
        seconds = recurrence.get("interval_seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
            raise ValueError("recurrence['interval_seconds'] must be a positive number")
    elif kind == "cron":
        if not isinstance(recurrence.get("cron_expression"), str):
            raise ValueError("recurrence['cron_expression'] must be a cron string")
    else:
        raise ValueError("recurrence['schedule_type'] must be 'interval' or 'cron'")


class Services(_Services[Sync]):
    """Operations on customer-visible services (``/v1/services``).

    Example::

        svc = client.services.get(service_id)
        ifaces = svc.interfaces()                   # active-record nav
        resp = svc.dispatch(json={"messages": [...]})
    """


class AsyncServices(_Services[Async]):
    """Async sibling of `Services`: the same methods, awaited."""
