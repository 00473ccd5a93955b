"""``client.enrollments``: the customer's enrollments in services.

A new enrollment is ``pending``; a server-side worker activates it once its parameters and
secrets are satisfied::

    enr = client.enrollments.create(service_id=svc.id, parameters={"model": "small"})
    while enr.status == "pending":
        time.sleep(1)
        enr = enr.refresh()
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from pydantic import Field

from sdkcore import (
    Async,
    BaseModel,
    DualOp,
    Mode,
    Op,
    Resource,
    Sync,
    as_json,
    as_model,
    dual,
    endpoint,
)

from ._args import as_id, check_int, id_segment
from ._records import Bound, BoundList, Record
from .models import CustomerEnrollmentCancelResponse

__all__ = ["AsyncEnrollments", "Enrollment", "EnrollmentList", "Enrollments"]

M = TypeVar("M", bound=Mode)


class Enrollment(Record):
    """Active-record wrapper around an enrollment: ``refresh()`` and ``cancel()``.

    ``parameters`` come back with secret-shaped keys (api_key, password, ...) masked.
    """

    id: str
    service_id: str
    status: str
    created_at: datetime | None = None
    owner_id: str | None = None
    parameters: dict[str, Any] | None = None
    updated_at: datetime | None = None
    service: dict[str, Any] | None = None
    proxy_endpoint: str | None = None
    code: str | None = None
    task_id: str | None = None

    def __repr__(self) -> str:
        return f"<Enrollment id={self.id!r} status={self.status!r}>"

    def refresh(self, *, include_service_details: bool = True) -> Any:
        """Re-fetch this enrollment (to poll for activation)."""
        return self._client.enrollments.get(
            self.id, include_service_details=include_service_details
        )

    def cancel(self) -> Any:
        """Cancel this enrollment (see `Enrollments.cancel`)."""
        return self._client.enrollments.cancel(self.id)


class EnrollmentList(BaseModel):
    """A window of the customer's enrollments: ``data``, ``count``, ``skip``, ``limit``."""

    data: builtins.list[Enrollment] = Field(default_factory=builtins.list)
    count: int = 0
    skip: int | None = None
    limit: int | None = None


class _Enrollments(Resource[M]):
    """Operations on the customer's enrollments (``/v1/enrollments/``), for either face."""

    @dual
    def list(
        self, *, skip: int = 0, limit: int = 100, include_service_details: bool = True
    ) -> DualOp[EnrollmentList, EnrollmentList]:
        """List enrollments owned by the calling customer."""
        query = {
            "skip": check_int(skip, "skip", 0),
            "limit": check_int(limit, "limit", 1, 1000),
            "include_service_details": bool(include_service_details),
        }
        return DualOp(
            "GET",
            "/enrollments/",
            as_json,
            query=query,
            factory=BoundList(EnrollmentList, Enrollment),
        )

    @dual
    def get(
        self, enrollment_id: str | UUID, *, include_service_details: bool = True
    ) -> DualOp[Enrollment, Enrollment]:
        """Get one enrollment by UUID."""
        return DualOp(
            "GET",
            "/enrollments/" + id_segment(enrollment_id, "enrollment_id"),
            as_json,
            query={"include_service_details": bool(include_service_details)},
            factory=Bound(Enrollment),
        )

    @dual
    def create(
        self, *, service_id: str | UUID, parameters: dict[str, Any] | None = None
    ) -> DualOp[Enrollment, Enrollment]:
        """Enroll in a service; returns at once with ``status="pending"``.

        The server activates the enrollment in a background worker once required parameters
        and secrets are satisfied; poll with `Enrollment.refresh`. Secret-shaped parameter
        keys are masked on reads.
        """
        if parameters is not None and not isinstance(parameters, dict):
            raise TypeError("parameters must be a dict")
        body = {"service_id": as_id(service_id, "service_id"), "parameters": parameters or {}}
        return DualOp("POST", "/enrollments/", as_json, body=body, factory=Bound(Enrollment))

    @endpoint
    def cancel(self, enrollment_id: str | UUID) -> Op[CustomerEnrollmentCancelResponse]:
        """Cancel (unenroll): status becomes ``cancelled``; parameters are kept so a later
        enrollment can reactivate with them."""
        return Op(
            "DELETE",
            "/enrollments/" + id_segment(enrollment_id, "enrollment_id"),
            as_model(CustomerEnrollmentCancelResponse),
        )


class Enrollments(_Enrollments[Sync]):
    """Operations on the customer's enrollments (``/v1/enrollments/``)."""


class AsyncEnrollments(_Enrollments[Async]):
    """Async sibling of `Enrollments`: the same methods, awaited."""
