"""Base of the account-scoped resources, and the argument checks their listings share."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

import sdkcore
from sdkcore import DualOp, Mode, PageFactory, RequestOptions, Resource

__all__ = ["MAX_PAGE_SIZE", "AccountResource", "M", "check_choice", "page_query"]

M = TypeVar("M", bound=Mode)
SyncP = TypeVar("SyncP", bound="sdkcore.SyncPage[Any]")
AsyncP = TypeVar("AsyncP", bound="sdkcore.AsyncPage[Any]")

MAX_PAGE_SIZE = 100


class AccountResource(Resource[M]):
    """A resource bound to one account; every path lives under `/v1/accounts/{account_id}`."""

    def __init__(self, client: sdkcore.BaseClient, account_id: str) -> None:
        super().__init__(client)
        self._account_id = account_id
        self._prefix = "/v1/accounts/" + sdkcore.path_segment(account_id, argument="account_id")

    def _path(self, *parts: str) -> str:
        return self._prefix + "".join(parts)

    @staticmethod
    def _page_op(
        path: str,
        pages: PageFactory[SyncP, AsyncP],
        query: dict[str, Any],
        options: RequestOptions,
    ) -> DualOp[SyncP, AsyncP]:
        """The GET of one page of a listing, wrapped for the client's face by `pages`."""
        return DualOp("GET", path, pages.cast, query=query, options=options, factory=pages)


def check_choice(value: Any, choices: Collection[str], *, argument: str) -> None:
    """Refuse a `value` (unless None) that is not one of `choices`, naming the argument."""
    if value is not None and value not in choices:
        raise ValueError(f"{argument} must be one of {sorted(choices)}, got {value!r}")


def page_query(page: int | None, page_size: int | None, **filters: Any) -> dict[str, Any]:
    """The query of one page of a listing, after checking `page` (>= 0) and `page_size`
    (1 to 100); None values are left out when the request is sent."""
    if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 0):
        raise ValueError(f"page must be an int >= 0, got {page!r}")
    if page_size is not None and (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not 1 <= page_size <= MAX_PAGE_SIZE
    ):
        raise ValueError(f"page_size must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size!r}")
    return {**filters, "page": page, "pageSize": page_size}
