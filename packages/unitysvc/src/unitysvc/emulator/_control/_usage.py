"""Cycle-to-date usage: the customer's gateway requests of a calendar-month billing cycle,
counted from the request log and priced at each service's list price."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from .._deps import Customer, State
from .._routes import ControlRouter
from ._common import IsoDate

__all__ = ["router"]

router = ControlRouter()


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


@router.api("GET", "/usage/cycle")
async def cycle_usage(
    state: State, customer: Customer, cycle_start: IsoDate = None
) -> dict[str, Any]:
    """Usage and cost of the cycle holding ``cycle_start`` (default: the current one)."""
    today = datetime.now(timezone.utc).date()
    day = cycle_start or today
    start = day.replace(day=1)
    days_total = calendar.monthrange(start.year, start.month)[1]
    end = start + timedelta(days=days_total - 1)
    rows = state.db.query(
        "SELECT l.service_id, s.name, s.list_price, s.enrollment_channel, COUNT(*) AS requests, "
        "SUM(l.upstream_response_status_code < 400) AS ok FROM request_logs l "
        "LEFT JOIN services s ON s.id = l.service_id WHERE l.customer_id = ? "
        "AND l.service_id IS NOT NULL AND substr(l.event_timestamp, 1, 10) BETWEEN ? AND ? "
        "GROUP BY l.service_id ORDER BY s.name",
        (customer, start.isoformat(), end.isoformat()),
    )
    services = []
    total = Decimal(0)
    for row in rows:
        charge = Decimal(str(row["list_price"] or 0)) * row["requests"]
        total += charge
        services.append(
            {
                "service_id": row["service_id"],
                "service_name": row["name"] or "",
                "request_count": row["requests"],
                "success_count": row["ok"] or 0,
                "error_count": row["requests"] - (row["ok"] or 0),
                "customer_charge": _money(charge),
                "channel": row["enrollment_channel"] or "",
            }
        )
    elapsed = max(1, min(days_total, (today - start).days + 1)) if start <= today else 0
    projected = total * days_total / elapsed if elapsed else total
    return {
        "cycle_start": start.isoformat(),
        "cycle_end": end.isoformat(),
        "as_of": datetime.now(timezone.utc).isoformat(),
        "days_elapsed": elapsed,
        "days_total": days_total,
        "currency": "USD",
        "services_charge": _money(total),
        "meters_charge": "0.00",
        "total_charge": _money(total),
        "projected_total_charge": _money(projected),
        "has_active_plan": False,
        "services": services,
        "meters": [],
        "wallet_balance": None,
        "balance_after_usage": None,
    }
