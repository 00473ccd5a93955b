"""Checks of the listing arguments every paged ClawOps resource takes."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from sdkcore import DualOp, PageFactory, RequestOptions

from ..pagination import PAGINATION, AsyncPage, SyncPage
from ..pagination import meta as page_meta

__all__ = ["MAX_PAGE_SIZE", "check_choice", "list_op", "page_factory", "page_query"]

T = TypeVar("T")

MAX_PAGE_SIZE = 100


def page_query(page: int | None, page_size: int | None) -> dict[str, Any]:
    """The `page` / `pageSize` query; ValueError naming the argument when out of range."""
    if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 0):
        raise ValueError(f"page must be an int >= 0, got {page!r}")
    if page_size is not None and (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not 1 <= page_size <= MAX_PAGE_SIZE
    ):
        raise ValueError(f"page_size must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size!r}")
    return {"page": page, "pageSize": page_size}


def check_choice(value: str | None, allowed: Collection[str], *, argument: str) -> None:
    """ValueError naming ``argument`` unless ``value`` is None or one of ``allowed``."""
    if value is not None and value not in allowed:
        raise ValueError(f"{argument} must be one of {sorted(allowed)}, got {value!r}")


def page_factory(model: type[T]) -> PageFactory[SyncPage[T], AsyncPage[T]]:
    """Pages of ``model`` items (`data` + `meta`), for `list_op`."""
    return PageFactory(PAGINATION, model, SyncPage[model], AsyncPage[model], meta=page_meta)  # type: ignore[valid-type]


def list_op(
    path: str,
    factory: PageFactory[SyncPage[T], AsyncPage[T]],
    query: dict[str, Any],
    options: RequestOptions,
) -> DualOp[SyncPage[T], AsyncPage[T]]:
    """A GET of one page at ``path``; the page fetches the following ones itself."""
    return DualOp("GET", path, factory.cast, query=query, options=options, factory=factory)
