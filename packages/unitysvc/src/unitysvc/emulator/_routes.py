"""Route registration for the control plane: every path answers at ``/v1/...`` and at the
seed's ``/v1/customer/...`` spelling, with and without a trailing slash (no redirects)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

__all__ = ["ControlRouter"]


class ControlRouter(APIRouter):
    """An APIRouter whose `api` decorator registers the four spellings of a path."""

    def api(self, method: str, path: str, **kwargs: Any) -> Callable[[Any], Any]:
        """Register ``method path`` (relative to ``/v1``); only ``/v1<path>`` is in the schema."""

        def register(endpoint: Any) -> Any:
            canonical = "/v1" + path
            other = canonical[:-1] if canonical.endswith("/") else canonical + "/"
            spellings = [canonical, other]
            spellings += [p.replace("/v1", "/v1/customer", 1) for p in spellings]
            for index, spelling in enumerate(spellings):
                self.add_api_route(
                    spelling,
                    endpoint,
                    methods=[method],
                    include_in_schema=index == 0,
                    name=f"{endpoint.__name__}_{index}" if index else endpoint.__name__,
                    **kwargs,
                )
            return endpoint

        return register
