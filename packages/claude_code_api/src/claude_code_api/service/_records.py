"""What the store hands out and keeps about keys, budget months and usage periods: key
generation and hashing, `KeyRecord`, `BudgetReservation`, calendar boundaries."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "KEY_PREFIX",
    "RATE_WINDOW",
    "BudgetReservation",
    "IdempotencyState",
    "KeyRecord",
    "generate_key",
    "hash_key",
    "key_record",
    "mask_key",
    "month_of",
    "period_start",
]

KEY_PREFIX = "cc_"
_KEY_HEX = 40
RATE_WINDOW = 60


def generate_key() -> str:
    """A new API key: `cc_` + 40 hex characters from `secrets`."""
    return KEY_PREFIX + secrets.token_hex(_KEY_HEX // 2)


def hash_key(key: str) -> str:
    """What is stored instead of the key: its SHA-256 (keys carry 160 random bits, so a
    plain hash cannot be brute-forced)."""
    return hashlib.sha256(key.encode()).hexdigest()


def mask_key(key: str) -> str:
    """The key as shown in listings: `cc_1a2b...9f0e`."""
    return f"{key[:7]}...{key[-4:]}"


def month_of(when: float) -> str:
    """The budget month (`YYYY-MM`, UTC) of an epoch time."""
    return dt.datetime.fromtimestamp(when, dt.timezone.utc).strftime("%Y-%m")


def period_start(period: str, now: float) -> float:
    """Start (epoch) of the calendar day, ISO week or month (UTC) containing `now`."""
    today = dt.datetime.fromtimestamp(now, dt.timezone.utc).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    if period == "day":
        start = today
    elif period == "week":
        start = today - dt.timedelta(days=today.weekday())
    elif period == "month":
        start = today.replace(day=1)
    else:
        raise ValueError(f"period must be day, week or month, got {period!r}")
    return start.timestamp()


@dataclass(frozen=True)
class KeyRecord:
    """An API key as stored (never the key itself)."""

    id: str
    key_hint: str
    name: str | None
    project_id: str
    profile: str
    rate_limit: int
    allowed_projects: tuple[str, ...]
    max_cost_per_task: float | None
    revoked: bool
    created_at: float
    last_used_at: float | None

    def may_act_for(self, project_id: str) -> bool:
        """Whether this key may bill `project_id`."""
        return (
            project_id == self.project_id
            or "*" in self.allowed_projects
            or project_id in self.allowed_projects
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (for the CLI)."""
        return {
            "id": self.id,
            "key": self.key_hint,
            "name": self.name,
            "project_id": self.project_id,
            "profile": self.profile,
            "rate_limit": self.rate_limit,
            "allowed_projects": list(self.allowed_projects),
            "max_cost_per_task": self.max_cost_per_task,
            "revoked": self.revoked,
            "created_at": self.created_at,
            "last_used_at": self.last_used_at,
        }


def key_record(row: Any) -> KeyRecord:
    """The `KeyRecord` of an `api_keys` row."""
    return KeyRecord(
        id=row.id,
        key_hint=row.key_hint,
        name=row.name,
        project_id=row.project_id,
        profile=row.profile,
        rate_limit=row.rate_limit,
        allowed_projects=tuple(p for p in row.allowed_projects.split(",") if p),
        max_cost_per_task=row.max_cost_per_task,
        revoked=bool(row.revoked),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
    )


@dataclass(frozen=True)
class BudgetReservation:
    """The outcome of reserving an estimate against a project's month."""

    granted: bool
    project_id: str
    month: str
    nanos: int
    limit_nanos: int | None
    """The month's limit; only looked up for a refusal."""
    remaining_nanos: int | None


IdempotencyState = Literal["new", "pending", "done", "mismatch"]
