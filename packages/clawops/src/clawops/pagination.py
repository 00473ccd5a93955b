"""Pages of a ClawOps listing: `data`, `meta`, `has_next_page()`, `next_page()`,
`auto_paging_iter()`."""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic

import sdkcore

from .types.shared import PageMeta

__all__ = ["PAGINATION", "AsyncPage", "SyncPage", "pages_of"]

T = TypeVar("T")

PAGINATION = sdkcore.PageNumberPagination(page_param="page", size_param="pageSize")


class SyncPage(sdkcore.SyncPage[T]):
    """A page of results from `ClawOps`; iterate it for this page's items."""

    meta: PageMeta
    """Total count and this page's position."""


class AsyncPage(sdkcore.AsyncPage[T]):
    """A page of results from `AsyncClawOps`; `async for` over `auto_paging_iter()` for all."""

    meta: PageMeta
    """Total count and this page's position."""


def meta(envelope: Any) -> PageMeta:
    """The validated `meta` of a page envelope."""
    return PageMeta.model_validate(envelope["meta"])


ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


def pages_of(
    model: type[ModelT],
) -> sdkcore.PageFactory[SyncPage[ModelT], AsyncPage[ModelT]]:
    """The page factory of a listing of `model` items (the ClawOps page envelope)."""
    return sdkcore.PageFactory(PAGINATION, model, SyncPage[model], AsyncPage[model], meta=meta)  # type: ignore[valid-type]
