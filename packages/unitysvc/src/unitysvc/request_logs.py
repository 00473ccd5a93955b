"""``client.request_logs``: gateway request logging (on/off, truncated or complete) and the
logged requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sdkcore import Async, Mode, Op, Resource, Sync, as_model, endpoint

from ._args import as_id, check_int, id_segment
from .models import LoggingStatusResponse, RequestLogDetail, RequestLogListResponse

__all__ = ["AsyncRequestLogs", "RequestLogs"]

M = TypeVar("M", bound=Mode)
_PREFERENCE = "/preferences/request-log"


def _status(value: Any, argument: str) -> int | None:
    return None if value is None else check_int(value, argument, 100, 599)


def _time(value: Any, argument: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"{argument} must be a datetime")
    return value.isoformat()


class _RequestLogs(Resource[M]):
    """Operations on the customer's request log (``/v1/request-logs``), for either face."""

    @endpoint
    def start(self, *, truncate_long_message: bool | None = None) -> Op[LoggingStatusResponse]:
        """Enable request logging; idempotent.

        ``truncate_long_message``: True stores an 8 KB preview (mode ``truncated``), False
        full bodies (``complete``), None keeps the existing mode (``truncated`` if none).
        Sets the ``request-log`` preference (``PUT /preferences/request-log``), as
        ``client.preferences.set_request_log_mode`` and the public 0.2.1 package do.
        """
        if truncate_long_message is None:
            body: dict[str, Any] = {}
        elif isinstance(truncate_long_message, bool):
            body = {"value": "truncated" if truncate_long_message else "complete"}
        else:
            raise TypeError("truncate_long_message must be a bool or None")
        return Op("PUT", _PREFERENCE, as_model(LoggingStatusResponse), body=body)

    @endpoint
    def stop(self) -> Op[LoggingStatusResponse]:
        """Disable request logging (clears the ``request-log`` preference); rows already
        stored stay visible. Idempotent."""
        return Op("DELETE", _PREFERENCE, as_model(LoggingStatusResponse))

    @endpoint
    def list(
        self,
        *,
        skip: int = 0,
        limit: int = 50,
        service_id: UUID | None = None,
        service_enrollment_id: UUID | None = None,
        status_min: int | None = None,
        status_max: int | None = None,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        user_request_path: str | None = None,
        error_source: str | None = None,
        error_type: str | None = None,
        gateway_source: str | None = None,
    ) -> Op[RequestLogListResponse]:
        """List request logs (lightweight columns), newest first.

        The window defaults to the last 24 hours when neither ``start_time`` nor ``end_time``
        is given. ``limit`` is 1-200; ``error_source`` is "gateway" or "upstream".
        """
        if error_source is not None and error_source not in ("gateway", "upstream"):
            raise ValueError("error_source must be 'gateway' or 'upstream'")
        query = {
            "skip": check_int(skip, "skip", 0),
            "limit": check_int(limit, "limit", 1, 200),
            "service_id": None if service_id is None else as_id(service_id, "service_id"),
            "service_enrollment_id": None
            if service_enrollment_id is None
            else as_id(service_enrollment_id, "service_enrollment_id"),
            "status_min": _status(status_min, "status_min"),
            "status_max": _status(status_max, "status_max"),
            "start_time": _time(start_time, "start_time"),
            "end_time": _time(end_time, "end_time"),
            "user_request_path": user_request_path,
            "error_source": error_source,
            "error_type": error_type,
            "gateway_source": gateway_source,
        }
        return Op("GET", "/request-logs", as_model(RequestLogListResponse), query=query)

    @endpoint
    def get(self, log_id: UUID | str) -> Op[RequestLogDetail]:
        """Get one request log in full (request and response as stored)."""
        return Op(
            "GET", "/request-logs/" + id_segment(log_id, "log_id"), as_model(RequestLogDetail)
        )


class RequestLogs(_RequestLogs[Sync]):
    """Operations on the customer's request log (``/v1/request-logs``)."""


class AsyncRequestLogs(_RequestLogs[Async]):
    """Async sibling of `RequestLogs`: the same methods, awaited."""
