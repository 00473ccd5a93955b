"""Where a gateway path goes: services, groups (by routing policy), enrollments, aliases.

`resolve` is the one decision both the gateway and ``POST /resolve`` make; the dry run only
peeks at the weighted round-robin state that a dispatch advances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sdkcore.emulator import EmulatorError

from ._deps import EmulatorState, not_found
from ._store import loads

__all__ = ["STRATEGIES", "Resolution", "resolve", "split_route", "split_wrappers"]

STRATEGIES = ("weighted", "by_routing_key", "by_price")
_MAX_ALIAS_DEPTH = 4


@dataclass
class Resolution:
    """The outcome of routing one path."""

    candidates: list[dict[str, Any]]
    strategy: str | None
    selected: dict[str, Any]
    rest: str
    enrollment: dict[str, Any] | None = None
    group: dict[str, Any] | None = None
    service: dict[str, Any] = field(default_factory=dict)


def split_wrappers(path: str) -> tuple[set[str], str]:
    """The wrapper letters (l, m, f, t) in front of a gateway path, and the path after them."""
    parts = path.lstrip("/").split("/")
    letters: set[str] = set()
    while len(parts) > 1 and parts[0] in ("l", "m", "f", "t"):
        letters.add(parts.pop(0))
    return letters, "/".join(parts)


def split_route(path: str) -> tuple[str, str, str]:
    """A gateway path (without wrappers) as its kind (``p``, ``g``, ``b``, ...), the id or
    name after it, and the rest; 404 when there is no id or name."""
    kind, _, remainder = path.lstrip("/").partition("/")
    ident, _, rest = remainder.partition("/")
    if not ident:
        raise EmulatorError(404, f"no gateway route for path {path!r}")
    return kind, ident, rest


def _candidate(
    state: EmulatorState,
    service: dict[str, Any],
    weight: float | None,
    enrollment_id: str | None = None,
) -> dict[str, Any]:
    return {
        "service_id": service["id"],
        "service_name": service["name"],
        "provider_name": service["provider_name"],
        "weight": weight,
        "enrollment_id": enrollment_id,
    }


def _matches(member_key: Any, routing_key: dict[str, Any]) -> bool:
    # A member's key only filters on the fields the request names.
    if not member_key:
        return True
    return all(routing_key[k] == v for k, v in member_key.items() if k in routing_key)


def resolve(
    state: EmulatorState,
    customer: str,
    path: str,
    routing_key: dict[str, Any] | None,
    strategy: str | None,
    *,
    commit: bool,
    depth: int = 0,
) -> Resolution:
    """Route ``path`` (without wrappers) for ``customer``; raises EmulatorError when nothing
    matches. ``commit`` advances the weighted round-robin (a real dispatch)."""
    if strategy is not None and strategy not in STRATEGIES:
        raise EmulatorError(422, f"strategy must be one of {', '.join(STRATEGIES)}")
    kind, ident, rest = split_route(path)
    key = routing_key or {}
    db = state.db
    if kind == "p":
        service = db.query_one("SELECT * FROM services WHERE id = ?", (ident,))
        if service is None:
            raise not_found("service")
        enrollment = _active_enrollment(state, customer, service)
        cand = _candidate(state, service, None, enrollment["id"] if enrollment else None)
        return Resolution([cand], None, cand, rest, enrollment, None, service)
    if kind == "e":
        enrollment = db.query_one(
            "SELECT * FROM enrollments WHERE code = ? AND customer_id = ?", (ident, customer)
        )
        if enrollment is None:
            raise not_found("enrollment")
        if enrollment["status"] != "active":
            raise EmulatorError(403, f"enrollment is {enrollment['status']}, not active")
        service = db.query_one("SELECT * FROM services WHERE id = ?", (enrollment["service_id"],))
        assert service is not None
        cand = _candidate(state, service, None, enrollment["id"])
        return Resolution([cand], None, cand, rest, enrollment, None, service)
    if kind == "a":
        if depth >= _MAX_ALIAS_DEPTH:
            raise EmulatorError(508, "alias chain too deep")
        alias = _routing_alias(state, customer, ident, key)
        target = alias["target_path"].strip("/") + ("/" + rest if rest else "")
        override = loads(alias["routing_key_override"])
        return resolve(
            state,
            customer,
            split_wrappers(target)[1],
            override or key,
            strategy,
            commit=commit,
            depth=depth + 1,
        )
    if kind == "g":
        return _route_group(state, customer, ident, rest, key, strategy, commit=commit)
    raise EmulatorError(404, f"no gateway route for path {path!r}")


def _active_enrollment(
    state: EmulatorState, customer: str, service: dict[str, Any]
) -> dict[str, Any] | None:
    enrollment = state.db.query_one(
        "SELECT * FROM enrollments WHERE customer_id = ? AND service_id = ? AND status = "
        "'active' ORDER BY created_at DESC LIMIT 1",
        (customer, service["id"]),
    )
    if enrollment is None and service["enrollment_channel"] == "byok":
        raise EmulatorError(403, f"service {service['name']!r} needs an active enrollment")
    return enrollment


def _routing_alias(
    state: EmulatorState, customer: str, name: str, key: dict[str, Any]
) -> dict[str, Any]:
    rows = state.db.query(
        "SELECT * FROM aliases WHERE customer_id = ? AND name = ? AND is_routing = 1 AND "
        "deactivated_at IS NULL ORDER BY created_at",
        (customer, name),
    )
    keyed = [r for r in rows if loads(r["request_routing_key"])]
    for row in keyed:
        if _matches(loads(row["request_routing_key"]), key):
            return row
    for row in rows:
        if not loads(row["request_routing_key"]):
            return row
    raise not_found(f"routing alias {name!r}")


def _route_group(
    state: EmulatorState,
    customer: str,
    name: str,
    rest: str,
    key: dict[str, Any],
    strategy: str | None,
    *,
    commit: bool,
) -> Resolution:
    db = state.db
    group = db.query_one(
        "SELECT * FROM groups WHERE name = ? AND (owner_type = 'system' OR owner_id = ?)",
        (name, customer),
    )
    if group is None:
        raise not_found("group")
    if not group["enabled"]:
        raise EmulatorError(403, f"group {name!r} is disabled")
    policy = loads(group["routing_policy"]) or {}
    chosen = strategy or policy.get("strategy") or "weighted"
    members = db.query(
        "SELECT m.*, s.list_price FROM members m JOIN services s ON s.id = m.service_id "
        "WHERE m.group_id = ? ORDER BY m.sort_order, m.id",
        (group["id"],),
    )
    matching = [m for m in members if _matches(loads(m["routing_key"]), key)]
    if not matching:
        raise EmulatorError(404, f"no member of group {name!r} matches the routing key")
    services = {
        m["service_id"]: db.query_one("SELECT * FROM services WHERE id = ?", (m["service_id"],))
        for m in matching
    }
    candidates = [_candidate(state, services[m["service_id"]] or {}, m["weight"]) for m in matching]
    if chosen == "by_price":
        index = min(range(len(matching)), key=lambda i: (matching[i]["list_price"] or 0.0, i))
    elif chosen == "by_routing_key":
        index = 0
    else:
        index = _smooth_weighted(state, group["id"], matching, commit=commit)
    member = matching[index]
    service = services[member["service_id"]]
    assert service is not None
    enrollment = _active_enrollment(state, customer, service)
    selected = dict(candidates[index], enrollment_id=enrollment["id"] if enrollment else None)
    return Resolution(candidates, chosen, selected, rest, enrollment, group, service)


def _smooth_weighted(
    state: EmulatorState, group_id: str, members: list[dict[str, Any]], *, commit: bool
) -> int:
    """Smooth weighted round-robin (as nginx): deterministic, so a dry run can predict it."""
    current = dict(state.weights.get(group_id, {}))
    total = 0.0
    best = 0
    for i, member in enumerate(members):
        weight = float(member["weight"] or 1.0)
        total += weight
        current[member["id"]] = current.get(member["id"], 0.0) + weight
        if current[member["id"]] > current[members[best]["id"]]:
            best = i
    current[members[best]["id"]] -= total
    if commit:
        state.weights[group_id] = current
    return best
