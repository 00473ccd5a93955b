"""What every action of the API shares; the actions live in one module per resource.

An action takes the caller's account and a JSON object of parameters and returns the success
body; the same action answers its own route and the bulk endpoint. `perform` runs one in a
transaction and makes writes idempotent: a key seen before with the same parameters returns
the first result and writes nothing; with other parameters, 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sdkcore.emulator import Database, new_id

from ._envelope import ApiError
from ._params import Params
from ._store import now

__all__ = [
    "MAX_OFFSET",
    "Action",
    "Actions",
    "Context",
    "fresh_id",
    "owned",
    "perform",
    "transition",
]

MAX_OFFSET = 2**62
"""Largest listing offset (SQLite integers are 64-bit)."""


@dataclass(frozen=True)
class Context:
    """Who is acting, on which database."""

    db: Database
    account_id: str


Handler = Callable[[Context, Params], dict[str, Any]]


@dataclass(frozen=True)
class Action:
    """An action's handler and whether it writes (only writes are made idempotent)."""

    handler: Handler
    writes: bool


class Actions(dict[str, Action]):
    """The actions of one resource, by name (``agents/create``)."""

    def register(self, name: str, *, writes: bool = True) -> Callable[[Handler], Handler]:
        """Decorator adding ``handler`` as action ``name``."""

        def add(handler: Handler) -> Handler:
            self[name] = Action(handler, writes)
            return handler

        return add


def _fingerprint(params: Mapping[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def perform(
    db: Database,
    account_id: str,
    name: str,
    action: Action,
    params: Mapping[str, Any],
    key: str | None,
) -> dict[str, Any]:
    """Run ``action`` (called ``name``) in its own transaction, idempotently when ``key`` is
    given."""
    idempotent = action.writes and key is not None
    fingerprint = _fingerprint(params)
    with db.transaction():
        if idempotent:
            seen = db.query_one(
                "SELECT fingerprint, response FROM idempotency"
                " WHERE account_id = ? AND action = ? AND key = ?",
                (account_id, name, key),
            )
            if seen is not None:
                if seen["fingerprint"] != fingerprint:
                    raise ApiError(
                        409,
                        "idempotency_conflict",
                        f"idempotency key {key!r} was already used for {name} with other "
                        "parameters",
                        {"idempotency_key": ["was already used with other parameters"]},
                    )
                replay: dict[str, Any] = json.loads(seen["response"])
                return replay
        result = action.handler(Context(db, account_id), Params(params))
        if idempotent:
            db.execute(
                "INSERT INTO idempotency (account_id, action, key, fingerprint, response,"
                " inserted_at) VALUES (?, ?, ?, ?, ?, ?)",
                (account_id, name, key, fingerprint, json.dumps(result), now()),
            )
    return result


def owned(ctx: Context, table: str, label: str, resource_id: str) -> dict[str, Any]:
    """The row ``resource_id`` of ``table``: 404 when missing, 403 when of another account."""
    row = ctx.db.query_one(f"SELECT * FROM {table} WHERE id = ?", (resource_id,))
    if row is None:
        raise ApiError(404, "not_found", f"{label} {resource_id!r} not found")
    if row["account_id"] != ctx.account_id:
        raise ApiError(403, "forbidden", f"{label} {resource_id!r} belongs to another account")
    return row


def transition(what: str, current: str, wanted: str) -> ApiError:
    """The 409 of an illegal lifecycle transition."""
    return ApiError(
        409,
        "invalid_transition",
        f"cannot {wanted}: {what} is {current}",
        {"status": [f"is {current}"]},
    )


def fresh_id(ctx: Context, table: str, given: str | None, prefix: str) -> str:
    """``given`` when not taken (409 otherwise), else a new id starting with ``prefix``."""
    if given is None:
        return new_id(prefix)
    if ctx.db.scalar(f"SELECT 1 FROM {table} WHERE id = ?", (given,)):
        raise ApiError(409, "conflict", f"id {given!r} is already taken", {"id": ["is taken"]})
    return given
