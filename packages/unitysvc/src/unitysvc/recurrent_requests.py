"""``client.recurrent_requests``: requests the gateway fires on an interval or cron schedule."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from sdkcore import Async, Mode, Op, Resource, Sync, as_json, as_model, as_none, endpoint

from ._args import as_id, check_int, id_segment
from .aliases import body_of
from .models import (
    RecurrentRequestCreate,
    RecurrentRequestPublic,
    RecurrentRequestsPublic,
    RecurrentRequestStatusEnum,
    RecurrentRequestUpdate,
)
from .services import check_recurrence

__all__ = ["AsyncRecurrentRequests", "RecurrentRequests"]

M = TypeVar("M", bound=Mode)
_STATUSES = frozenset(s.value for s in RecurrentRequestStatusEnum)


def _path(request_id: Any) -> str:
    return "/recurrent-requests/" + id_segment(request_id, "request_id")


class _RecurrentRequests(Resource[M]):
    """Operations on the customer's recurrent requests (``/v1/recurrent-requests/``)."""

    @endpoint
    def list(
        self,
        *,
        service_id: str | UUID | None = None,
        enrollment_id: str | UUID | None = None,
        status: RecurrentRequestStatusEnum | str | None = None,
        skip: int = 0,
        limit: int = 100,
    ) -> Op[RecurrentRequestsPublic]:
        """List recurrent requests owned by the authenticated customer."""
        if isinstance(status, RecurrentRequestStatusEnum):
            status = status.value
        if status is not None and status not in _STATUSES:
            raise ValueError(f"status must be one of {sorted(_STATUSES)}, got {status!r}")
        query = {
            "service_id": None if service_id is None else as_id(service_id, "service_id"),
            "enrollment_id": None
            if enrollment_id is None
            else as_id(enrollment_id, "enrollment_id"),
            "status": status,
            "skip": check_int(skip, "skip", 0),
            "limit": check_int(limit, "limit", 1, 1000),
        }
        return Op("GET", "/recurrent-requests/", as_model(RecurrentRequestsPublic), query=query)

    @endpoint
    def get(self, request_id: str | UUID) -> Op[RecurrentRequestPublic]:
        """Get a single recurrent request by id (``state`` records its runs)."""
        return Op("GET", _path(request_id), as_model(RecurrentRequestPublic))

    @endpoint
    def create(self, body: RecurrentRequestCreate | dict[str, Any]) -> Op[RecurrentRequestPublic]:
        """Create a recurrent request (``draft`` without a schedule, ``active`` with one)."""
        payload = body_of(body, RecurrentRequestCreate, partial=False)
        if payload.get("schedule") is not None:
            check_recurrence(payload["schedule"])
        return Op("POST", "/recurrent-requests/", as_model(RecurrentRequestPublic), body=payload)

    @endpoint
    def update(
        self, request_id: str | UUID, body: RecurrentRequestUpdate | dict[str, Any]
    ) -> Op[RecurrentRequestPublic]:
        """Update a recurrent request; only the fields set in ``body`` are sent."""
        path = _path(request_id)
        payload = body_of(body, RecurrentRequestUpdate, partial=True)
        if payload.get("schedule") is not None:
            check_recurrence(payload["schedule"])
        return Op("PATCH", path, as_model(RecurrentRequestPublic), body=payload)

    @endpoint
    def trigger(self, request_id: str | UUID) -> Op[Any]:
        """Force an immediate run; returns the run record."""
        return Op("POST", _path(request_id) + "/trigger", as_json)

    @endpoint
    def delete(self, request_id: str | UUID) -> Op[None]:
        """Delete a recurrent request by id (and its run history)."""
        return Op("DELETE", _path(request_id), as_none)


class RecurrentRequests(_RecurrentRequests[Sync]):
    """Operations on the customer's recurrent requests (``/v1/recurrent-requests/``)."""


class AsyncRecurrentRequests(_RecurrentRequests[Async]):
    """Async sibling of `RecurrentRequests`: the same methods, awaited."""
