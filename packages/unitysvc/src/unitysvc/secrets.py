"""``client.secrets``: the customer's secret store. Values go in, never come back out."""

from __future__ import annotations

import re
from typing import TypeVar

from sdkcore import Async, Mode, Op, Resource, Sync, as_model, endpoint

from ._args import check_int, name_segment
from .models import Message, SecretPublic, SecretsPublic

__all__ = ["AsyncSecrets", "Secrets"]

M = TypeVar("M", bound=Mode)
_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


def _secret_path(name: str) -> str:
    return "/secrets/" + name_segment(name, "name", _NAME, "of the form ^[A-Z_][A-Z0-9_]*$")


class _Secrets(Resource[M]):
    """Operations on the customer's secret store (``/v1/secrets/``), for either face."""

    @endpoint
    def list(self, *, skip: int = 0, limit: int = 100) -> Op[SecretsPublic]:
        """List all secrets owned by the authenticated customer (metadata only)."""
        query = {"skip": check_int(skip, "skip", 0), "limit": check_int(limit, "limit", 1, 1000)}
        return Op("GET", "/secrets/", as_model(SecretsPublic), query=query)

    @endpoint
    def get(self, name: str) -> Op[SecretPublic]:
        """Get a single secret by name (metadata only; the value is never returned)."""
        return Op("GET", _secret_path(name), as_model(SecretPublic))

    @endpoint
    def set(self, name: str, value: str) -> Op[SecretPublic]:
        """Set ``name`` to ``value`` (idempotent: creates or replaces; the value may be empty).

        ``name`` must match ``^[A-Z_][A-Z0-9_]*$``. Returns the public metadata; the value is
        never echoed back nor logged by the SDK.
        """
        path = _secret_path(name)
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        return Op("PUT", path, as_model(SecretPublic), body={"value": value})

    @endpoint
    def delete(self, name: str) -> Op[Message]:
        """Delete a secret by name. This cannot be undone."""
        return Op("DELETE", _secret_path(name), as_model(Message))


class Secrets(_Secrets[Sync]):
    """Operations on the customer's secret store (``/v1/secrets/``)."""


class AsyncSecrets(_Secrets[Async]):
    """Async sibling of `Secrets`: the same methods, awaited."""
