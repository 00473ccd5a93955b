"""Request logs, newest first and filtered (the ``request-log`` preference in `_preferences`
turns logging on and off)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from fastapi import Query

from sdkcore.emulator import isoformat, utcnow

from .._deps import Customer, State
from .._routes import ControlRouter
from .._store import loads
from ._common import IsoTime, Skip, owned, window

__all__ = ["router"]

router = ControlRouter()


def _log_item(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "detail"}


def _utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return isoformat(value if value.tzinfo else value.replace(tzinfo=timezone.utc))


def _prefix(text: str | None) -> str | None:
    return None if text is None else re.sub(r"([%_\\])", r"\\\1", text) + "%"


@router.api("GET", "/request-logs")
async def list_request_logs(
    state: State,
    customer: Customer,
    skip: Skip = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    service_id: str | None = None,
    service_enrollment_id: str | None = None,
    status_min: Annotated[int | None, Query(ge=100, le=599)] = None,
    status_max: Annotated[int | None, Query(ge=100, le=599)] = None,
    start_time: IsoTime = None,
    end_time: IsoTime = None,
    user_request_path: str | None = None,
    error_source: Literal["gateway", "upstream"] | None = None,
    error_type: str | None = None,
    gateway_source: str | None = None,
) -> dict[str, Any]:
    """Request logs, newest first; the last 24 h unless a time bound is given."""
    if start_time is None and end_time is None:
        start_time = utcnow() - timedelta(hours=24)
    total, rows = window(
        state,
        "request_logs",
        customer,
        order="event_timestamp DESC, log_id",
        skip=skip,
        limit=limit,
        filters=[
            ("service_id = ?", service_id),
            ("service_enrollment_id = ?", service_enrollment_id),
            ("upstream_response_status_code >= ?", status_min),
            ("upstream_response_status_code <= ?", status_max),
            ("event_timestamp >= ?", _utc(start_time)),
            ("event_timestamp <= ?", _utc(end_time)),
            ("user_request_path LIKE ? ESCAPE '\\'", _prefix(user_request_path)),
            ("error_source = ?", error_source),
            ("error_type = ?", error_type),
            ("gateway_source = ?", gateway_source),
        ],
    )
    return {
        "total_count": total,
        "skip": skip,
        "limit": limit,
        "items": [_log_item(r) for r in rows],
    }


@router.api("GET", "/request-logs/{log_id}")
async def get_request_log(state: State, customer: Customer, log_id: str) -> dict[str, Any]:
    """One request log in full."""
    row = owned(state, "request_logs", "request log", customer, log_id, "log_id")
    return {**_log_item(row), **(loads(row["detail"]) or {})}
