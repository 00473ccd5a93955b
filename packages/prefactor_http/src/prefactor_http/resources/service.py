"""Calls outside the resources: the low-level request and the token check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkcore import IDEMPOTENT_METHODS, MISSING, Op, RequestOptions

from ._base import API, M, PrefactorResource, check_mapping, check_str

__all__ = ["Service"]

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def _json_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        raise TypeError(f"expected a JSON object, got {type(body).__name__}")
    return dict(body)


class Service(PrefactorResource[M]):
    """Builds the ops behind `request` and `validate_token` of both clients."""

    def request_op(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json_data: Mapping[str, Any] | None,
        idempotency_key: str | None,
    ) -> Op[dict[str, Any]]:
        """Any call as ``method path``; a write carries ``Idempotency-Key`` (generated when
        none is given), so it is retried like a read."""
        verb = check_str(method, "method").upper()
        if verb not in _METHODS:
            raise ValueError(f"method must be one of {sorted(_METHODS)}, got {method!r}")
        if not check_str(path, "path").startswith("/"):
            raise ValueError(f"path must start with '/', got {path!r}")
        options = RequestOptions()
        if verb not in IDEMPOTENT_METHODS or idempotency_key is not None:
            options["idempotency_key"] = self._key(idempotency_key)
        body = check_mapping(json_data, "json_data")
        return Op(
            verb,
            path,
            _json_object,
            query=check_mapping(params, "params"),
            body=MISSING if body is None else body,
            options=options,
        )

    def ping_op(self) -> Op[dict[str, Any]]:
        """``GET /api/v1/ping``."""
        return Op("GET", f"{API}/ping", _json_object)
