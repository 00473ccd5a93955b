"""Pagination: sans-I/O strategies that find the next page, and lazy sync/async pages."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import pydantic
from typing_extensions import Self

from ._casts import JsonCast, adapter_at
from ._operation import DualOp, ResultFactory

if TYPE_CHECKING:
    from ._client import AsyncAPIClient, BaseClient, SyncAPIClient

__all__ = [
    "AsyncPage",
    "BasePage",
    "CursorPagination",
    "OffsetPagination",
    "PageFactory",
    "PageNumberPagination",
    "PageStrategy",
    "SyncPage",
]

T = TypeVar("T")
SyncP = TypeVar("SyncP", bound="SyncPage[Any]")
AsyncP = TypeVar("AsyncP", bound="AsyncPage[Any]")


class PageStrategy(Protocol):
    """Reads one page envelope: its items, and the query changes that fetch the next page."""

    def items(self, envelope: Any) -> Sequence[Any]:
        """The raw items of the page."""

    def next_query(self, query: Mapping[str, Any], envelope: Any) -> dict[str, Any] | None:
        """Query changes for the next page, or None on the last page."""


def _get(envelope: Any, path: Sequence[str]) -> Any:
    value = envelope
    for key in path:
        value = value[key]
    return value


@dataclass(frozen=True)
class PageNumberPagination:
    """Numbered pages with a total count (e.g. `{"data": [...], "meta": {"total", "page",
    "pageSize"}}`); there is a next page while `(page - first_page + 1) * size < total`."""

    page_param: str = "page"
    size_param: str = "pageSize"
    items_path: tuple[str, ...] = ("data",)
    total_path: tuple[str, ...] = ("meta", "total")
    page_path: tuple[str, ...] = ("meta", "page")
    size_path: tuple[str, ...] = ("meta", "pageSize")
    first_page: int = 0

    def items(self, envelope: Any) -> Sequence[Any]:
        """The raw items of the page."""
        items: Sequence[Any] = _get(envelope, self.items_path)
        return items

    def next_query(self, query: Mapping[str, Any], envelope: Any) -> dict[str, Any] | None:
        """Same query, next page number; None past the total or on an empty page."""
        total = int(_get(envelope, self.total_path))
        page = int(_get(envelope, self.page_path))
        size = int(_get(envelope, self.size_path))
        if size <= 0 or not self.items(envelope):
            return None
        requested = query.get(self.page_param)
        if requested is not None and int(requested) != page:
            # The server ignored the page we asked for; following it again would loop forever.
            return None
        if (page - self.first_page + 1) * size >= total:
            return None
        return {self.page_param: page + 1, self.size_param: size}


@dataclass(frozen=True)
class CursorPagination:
    """Opaque cursors (e.g. `{"data": [...], "next_cursor": "...", "has_more": true}`)."""

    cursor_param: str = "cursor"
    items_path: tuple[str, ...] = ("data",)
    next_cursor_key: str = "next_cursor"
    has_more_key: str | None = "has_more"

    def items(self, envelope: Any) -> Sequence[Any]:
        """The raw items of the page."""
        items: Sequence[Any] = _get(envelope, self.items_path)
        return items

    def next_query(self, query: Mapping[str, Any], envelope: Any) -> dict[str, Any] | None:
        """The next cursor, while the server says there is more."""
        cursor = envelope.get(self.next_cursor_key)
        if not cursor:
            return None
        if self.has_more_key is not None and not envelope.get(self.has_more_key, True):
            return None
        return {self.cursor_param: cursor}


@dataclass(frozen=True)
class OffsetPagination:
    """skip/limit windows with a total count (e.g. `{"data": [...], "count": N}`)."""

    skip_param: str = "skip"
    limit_param: str = "limit"
    items_path: tuple[str, ...] = ("data",)
    total_key: str = "count"
    default_limit: int = 100

    def items(self, envelope: Any) -> Sequence[Any]:
        """The raw items of the page."""
        items: Sequence[Any] = _get(envelope, self.items_path)
        return items

    def next_query(self, query: Mapping[str, Any], envelope: Any) -> dict[str, Any] | None:
        """Advance `skip` by the number of items received, until the total is reached."""
        received = len(self.items(envelope))
        skip = int(query.get(self.skip_param) or 0) + received
        total = envelope.get(self.total_key)
        if received == 0 or (total is not None and skip >= int(total)):
            return None
        return {self.skip_param: skip, self.limit_param: query.get(self.limit_param)}


class BasePage(Generic[T]):
    """One page of results: its items in `data`, the SDK's parsed page metadata in `meta`
    (if any), the raw envelope, and where the next one is."""

    data: list[T]
    meta: Any

    def __init__(
        self,
        *,
        client: BaseClient,
        op: DualOp[Any, Any],
        envelope: Any,
        items: list[T],
        next_query: dict[str, Any] | None,
        meta: Any = None,
    ) -> None:
        self._client = client
        self._op = op
        self._envelope = envelope
        self._next_query = next_query
        self.data = items
        self.meta = meta

    @property
    def envelope(self) -> Any:
        """The decoded page body as the server sent it."""
        if isinstance(self._envelope, bytes):
            # Pages validated straight from the body keep its bytes; few callers need a dict.
            self._envelope = json.loads(self._envelope)
        return self._envelope

    def has_next_page(self) -> bool:
        """Whether another page follows this one."""
        return self._next_query is not None

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[T]:
        """Iterate over this page's items only (see `auto_paging_iter` for all pages)."""
        return iter(self.data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(items={len(self.data)}, has_next={self.has_next_page()})"

    def _next_op(self) -> DualOp[Any, Any]:
        if self._next_query is None:
            raise RuntimeError("No next page; check has_next_page() before calling next_page().")
        op = self._op.with_query(self._next_query)
        extra = op.options.get("extra_query")
        if extra and extra.keys() & self._next_query.keys():
            # extra_query is merged last; a paging key in it would pin every page to one.
            trimmed = {k: v for k, v in extra.items() if k not in self._next_query}
            op = replace(op, options={**op.options, "extra_query": trimmed})
        return op  # type: ignore[return-value]


class SyncPage(BasePage[T]):
    """A page from a blocking client; `auto_paging_iter()` fetches later pages lazily."""

    _client: SyncAPIClient

    def next_page(self) -> Self:
        """Fetch the following page. Raises `RuntimeError` on the last one."""
        page: Self = self._client._execute(self._next_op())
        return page

    def iter_pages(self) -> Iterator[Self]:
        """This page, then each following page as it is fetched."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def auto_paging_iter(self) -> Iterator[T]:
        """Every item of this and the following pages; one page in memory at a time."""
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(BasePage[T]):
    """A page from an async client; `auto_paging_iter()` is an async iterator over all pages."""

    _client: AsyncAPIClient

    async def next_page(self) -> Self:
        """Fetch the following page. Raises `RuntimeError` on the last one."""
        page: Self = await self._client._execute(self._next_op())
        return page

    async def iter_pages(self) -> AsyncIterator[Self]:
        """This page, then each following page as it is fetched."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        """Every item of this and the following pages; one page in memory at a time."""
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class _Validated:
    """A page body validated in one pass by `PageFactory.cast`: `body` is the envelope with its
    items already validated, `raw` what was validated (the bytes, or the decoded envelope)."""

    __slots__ = ("body", "raw")

    def __init__(self, body: Any, raw: Any) -> None:
        self.body = body
        self.raw = raw


class PageFactory(ResultFactory[SyncP, AsyncP]):
    """Wraps a decoded page envelope into the face's page class.

    `item` validates one raw item; pass the pydantic model class itself to allow `cast`, which
    validates a whole page body, items included, in one pass.
    """

    def __init__(
        self,
        strategy: PageStrategy,
        item: Callable[[Any], Any] | type[pydantic.BaseModel],
        sync_page: type[SyncP],
        async_page: type[AsyncP],
        *,
        meta: Callable[[Any], Any] | None = None,
    ) -> None:
        self.strategy = strategy
        self._model: type[pydantic.BaseModel] | None = None
        self.item: Callable[[Any], Any] = item
        if isinstance(item, type) and issubclass(item, pydantic.BaseModel):
            self._model, self.item = item, item.model_validate
        self.sync_page = sync_page
        self.async_page = async_page
        self.meta = meta

    @cached_property
    def cast(self) -> JsonCast[Any]:
        """The `Op.cast` for this factory's ops: validates the page body and every item at once
        (from the raw bytes when the client can). Needs a model class as `item` and a strategy
        with an `items_path`, as the built-in strategies have."""
        path = getattr(self.strategy, "items_path", None)
        if self._model is None or path is None:
            raise TypeError("PageFactory.cast needs a model class item and a strategy items_path")
        adapter = adapter_at(tuple(path), list[self._model])  # type: ignore[name-defined]
        return JsonCast(
            lambda body: _Validated(adapter.validate_python(body), body),
            lambda content: _Validated(adapter.validate_json(content), content),
        )

    def _kwargs(self, client: BaseClient, op: DualOp[Any, Any], value: Any) -> dict[str, Any]:
        if isinstance(value, _Validated):
            envelope, raw = value.body, value.raw
            items = list(self.strategy.items(envelope))
        else:
            envelope = raw = value
            items = [self.item(item) for item in self.strategy.items(envelope)]
        return {
            "client": client,
            "op": op,
            "envelope": raw,
            "items": items,
            "next_query": self.strategy.next_query(op.query or {}, envelope),
            "meta": None if self.meta is None else self.meta(envelope),
        }

    def sync(self, client: BaseClient, op: DualOp[SyncP, AsyncP], value: Any) -> SyncP:
        """A sync page."""
        return self.sync_page(**self._kwargs(client, op, value))

    def async_(self, client: BaseClient, op: DualOp[SyncP, AsyncP], value: Any) -> AsyncP:
        """An async page."""
        return self.async_page(**self._kwargs(client, op, value))
