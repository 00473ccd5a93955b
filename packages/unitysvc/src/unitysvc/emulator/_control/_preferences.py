"""Preferences of the account a key acts for (``/v1/preferences``): ``notification`` (where
notices go), ``ai`` (the service behind ``/ai``) and ``request-log`` (gateway request logging).

Every answer carries the account's own ``value``, the ``effective`` value that applies and
its ``source`` (``account`` or ``default``; null when nothing applies), so a caller never
re-derives a fallback. ``request-log`` is the switch `request_logs.start/stop` turn: its
stored row is what the gateway reads (``{"enabled", "mode"}``), and its answers also carry
``enabled``, ``mode`` and ``message``. With no row logging is on (truncated, the platform
default); clearing it turns logging off and keeps the mode for the next start.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import Field

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State
from .._routes import ControlRouter
from .._store import dumps, loads
from ._common import Body

__all__ = ["router"]

router = ControlRouter()

Name = Literal["notification", "ai", "request-log"]
NAMES: tuple[Name, ...] = ("notification", "ai", "request-log")
_MODES = ("truncated", "complete")
# The platform's AI when the account names none.
DEFAULT_AI = "chat-small"


class ServiceValue(Body):
    """A service preference: the service (or ``e/<CODE>``, ``b/<name>``, ``a/<name>``)."""

    service: str = Field(min_length=1, max_length=512)


class PreferenceUpdate(Body):
    """Body of a set: a service (as a string or ``{"service": ...}``), or for ``request-log``
    a mode (``truncated`` / ``complete``; omitted: keep the current one)."""

    value: ServiceValue | Annotated[str, Field(min_length=1, max_length=512)] | None = None


def _stored(state: EmulatorState, customer: str, name: str) -> Any:
    row = state.db.query_one(
        "SELECT value FROM preferences WHERE customer_id = ? AND name = ?", (customer, name)
    )
    return None if row is None else loads(row["value"])


def _store(state: EmulatorState, customer: str, name: str, value: Any) -> None:
    state.db.execute(
        "INSERT OR REPLACE INTO preferences (customer_id, name, value) VALUES (?, ?, ?)",
        (customer, name, dumps(value)),
    )


def _view(state: EmulatorState, customer: str, name: str) -> dict[str, Any]:
    stored = _stored(state, customer, name)
    extra: dict[str, Any] = {}
    if name == "request-log":
        enabled = stored is None or bool(stored.get("enabled"))
        mode = "truncated" if stored is None else stored.get("mode")
        value = mode if stored is not None and enabled else None
        effective = mode if enabled else None
        source = "account" if value is not None else "default" if enabled else None
        extra = {
            "enabled": enabled,
            "mode": mode,
            "message": f"Request logging is {'on' if enabled else 'off'}",
        }
    else:
        value = stored
        fallback = {"service": DEFAULT_AI, "gateway": "api"} if name == "ai" else None
        effective = value if value is not None else fallback
        source = "account" if value is not None else "default" if fallback else None
    return {
        "name": name,
        "account": {"type": "customer", "id": customer, "name": customer},
        "can_edit": True,
        "value": value,
        "effective": effective,
        "source": source,
        **extra,
    }


def _service_target(state: EmulatorState, customer: str, name: str, target: str) -> None:
    """Refuse (422) a ``notification`` / ``ai`` target that does not exist for the account."""
    kind, slash, rest = target.partition("/")
    found: object
    if slash and kind == "e" and name == "notification":
        found = state.db.query_one(
            "SELECT id FROM enrollments WHERE customer_id = ? AND code = ?", (customer, rest)
        )
    elif slash and kind == "b" and name == "notification":
        found = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", rest)
    elif slash and kind == "a" and name == "ai":
        found = state.db.query_one(
            "SELECT id FROM aliases WHERE customer_id = ? AND name = ? AND deactivated_at IS NULL",
            (customer, rest),
        )
    else:
        service = state.db.query_one(
            "SELECT enrollment_channel FROM services WHERE name = ? OR id = ?",
            (target, target.removeprefix("p/")),
        )
        if service is not None and name == "ai" and service["enrollment_channel"] != "shared":
            raise EmulatorError(422, f"{target!r} requires an enrollment; ai cannot use it")
        found = service
    if not found:
        raise EmulatorError(422, f"{name} target {target!r} does not exist for this account")


@router.api("GET", "/preferences/")
async def list_preferences(state: State, customer: Customer) -> dict[str, Any]:
    """Every preference, as the account sees it."""
    return {"data": [_view(state, customer, name) for name in NAMES]}


PreferenceName = Annotated[Name, Path()]


@router.api("GET", "/preferences/{name}")
async def get_preference(state: State, customer: Customer, name: PreferenceName) -> dict[str, Any]:
    """One preference, as the account sees it."""
    return _view(state, customer, name)


@router.api("PUT", "/preferences/{name}")
async def set_preference(
    state: State, customer: Customer, name: PreferenceName, body: PreferenceUpdate
) -> dict[str, Any]:
    """Set one preference on the account (checked on write); idempotent."""
    value = body.value
    if name == "request-log":
        current = _stored(state, customer, name) or {}
        mode = value if isinstance(value, str) else current.get("mode") or "truncated"
        if value is not None and mode not in _MODES:
            raise EmulatorError(422, "request-log takes 'truncated' or 'complete'")
        _store(state, customer, name, {"enabled": True, "mode": mode})
        return _view(state, customer, name)
    if value is None:
        raise EmulatorError(422, f"{name} needs a value; DELETE clears it")
    target = value if isinstance(value, str) else value.service
    _service_target(state, customer, name, target)
    _store(state, customer, name, {"service": target, "gateway": "api"})
    return _view(state, customer, name)


@router.api("DELETE", "/preferences/{name}")
async def clear_preference(
    state: State, customer: Customer, name: PreferenceName
) -> dict[str, Any]:
    """Clear one preference back to its fallback (``request-log``: logging off); idempotent."""
    if name == "request-log":
        mode = (_stored(state, customer, name) or {}).get("mode") or "truncated"
        _store(state, customer, name, {"enabled": False, "mode": mode})
    else:
        state.db.execute(
            "DELETE FROM preferences WHERE customer_id = ? AND name = ?", (customer, name)
        )
    return _view(state, customer, name)
