"""Pages of a ClawOps listing: `data`, `meta`, `has_next_page()`, `next_page()`,
`auto_paging_iter()`."""

from __future__ import annotations

from typing import Any, TypeVar

import sdkcore

from .types.shared import PageMeta

__all__ = ["PAGINATION", "AsyncPage", "SyncPage"]

T = TypeVar("T")

PAGINATION = sdkcore.PageNumberPagination(page_param="page", size_param="pageSize")


class _MetaMixin:
    _envelope: Any

    @property
    def meta(self) -> PageMeta:
        """Total count and this page's position."""
        return PageMeta.model_validate(self._envelope["meta"])


class SyncPage(_MetaMixin, sdkcore.SyncPage[T]):
    """A page of results from `ClawOps`; iterate it for this page's items."""


class AsyncPage(_MetaMixin, sdkcore.AsyncPage[T]):
    """A page of results from `AsyncClawOps`; `async for` over `auto_paging_iter()` for all."""
