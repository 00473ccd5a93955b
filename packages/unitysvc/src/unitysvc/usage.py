"""``client.usage``: what the current billing cycle has cost so far."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import Field

from sdkcore import Async, BaseModel, Mode, Op, Resource, Sync, as_model, endpoint

__all__ = ["AsyncUsage", "CycleUsage", "ServiceUsage", "Usage"]

M = TypeVar("M", bound=Mode)


class ServiceUsage(BaseModel):
    """One service's requests and cost in the cycle (amounts are decimal strings)."""

    service_id: str
    service_name: str
    request_count: int
    success_count: int
    error_count: int
    customer_charge: str
    channel: str = ""
    usage_metrics: dict[str, Any] | None = None


class CycleUsage(BaseModel):
    """Cycle-to-date usage and cost; ``projected_total_charge`` extrapolates to the end."""

    cycle_start: date
    cycle_end: date
    as_of: str
    days_elapsed: int
    days_total: int
    currency: str
    services_charge: str
    meters_charge: str
    total_charge: str
    projected_total_charge: str
    has_active_plan: bool = False
    services: list[ServiceUsage] = Field(default_factory=list)
    meters: list[dict[str, Any]] = Field(default_factory=list)
    wallet_balance: str | None = None
    balance_after_usage: str | None = None


class _Usage(Resource[M]):
    """The account's usage (``/v1/usage``), for either face."""

    @endpoint
    def cycle(self, cycle_start: date | None = None) -> Op[CycleUsage]:
        """Usage and cost of the billing cycle holding ``cycle_start`` (default: the current
        one), per service."""
        if cycle_start is not None and not isinstance(cycle_start, date):
            raise TypeError("cycle_start must be a datetime.date")
        query = {"cycle_start": None if cycle_start is None else cycle_start.isoformat()}
        return Op("GET", "/usage/cycle", as_model(CycleUsage), query=query)


class Usage(_Usage[Sync]):
    """The account's usage (``/v1/usage``): ``client.usage.cycle().total_charge``."""


class AsyncUsage(_Usage[Async]):
    """Async sibling of `Usage`: the same methods, awaited."""
