"""Secrets: the customer's named values (metadata only on the way out)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path
from pydantic import Field

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State
from .._routes import ControlRouter
from .._store import new_uuid, now
from ._common import Body, Limit, Skip, listing, owned, pick

__all__ = ["router"]

router = ControlRouter()

_SECRET_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
SecretName = Annotated[str, Path(pattern=r"^[A-Z_][A-Z0-9_]*$", max_length=128)]


def _secret_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **pick(row, "name id"),
        "owner_type": "customer",
        "role_id": None,
        "owner_id": row["customer_id"],
        "sensitive": True,
        **pick(row, "created_at updated_at last_used_at"),
        "description": None,
    }


def _secret_name(name: str) -> str:
    if not _SECRET_NAME.fullmatch(name) or len(name) > 128:
        raise EmulatorError(422, "secret name must match ^[A-Z_][A-Z0-9_]*$")
    return name


def _own_secret(state: EmulatorState, customer: str, name: str) -> dict[str, Any]:
    return owned(state, "secrets", "secret", customer, _secret_name(name), "name")


@router.api("GET", "/secrets/")
async def list_secrets(
    state: State, customer: Customer, skip: Skip = 0, limit: Limit = 100
) -> dict[str, Any]:
    """The customer's secrets (metadata only)."""
    return listing(state, "secrets", customer, _secret_json, order="name", skip=skip, limit=limit)


@router.api("GET", "/secrets/{name}")
async def get_secret(state: State, customer: Customer, name: SecretName) -> dict[str, Any]:
    """One secret's metadata."""
    return _secret_json(_own_secret(state, customer, name))


class SecretValue(Body):
    """Body of a secret set."""

    value: str = Field(max_length=65536)


@router.api("PUT", "/secrets/{name}")
async def set_secret(
    state: State, customer: Customer, name: SecretName, body: SecretValue
) -> dict[str, Any]:
    """Create or replace a secret."""
    stamp = now()
    state.db.execute(
        "INSERT INTO secrets (id, customer_id, name, value, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id, name) "
        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (new_uuid(), customer, _secret_name(name), body.value, stamp, stamp),
    )
    return _secret_json(_own_secret(state, customer, name))


@router.api("DELETE", "/secrets/{name}")
async def delete_secret(state: State, customer: Customer, name: SecretName) -> dict[str, Any]:
    """Delete a secret."""
    row = _own_secret(state, customer, name)
    state.db.execute("DELETE FROM secrets WHERE id = ?", (row["id"],))
    return {"message": f"Secret {name} deleted"}
