"""Page-number paging of the listings: ``page`` (from 0) and ``pageSize`` (1-100)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

from sdkcore.emulator import Database, EmulatorError, page_window

from ._store import now

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "PAGE_PATTERN",
    "PAGE_QUERY",
    "PAGE_SIZE_PATTERN",
    "PAGE_SIZE_QUERY",
    "PageRequest",
    "Paging",
    "int_param",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGE_PATTERN = r"^\d{1,9}$"
PAGE_SIZE_PATTERN = rf"^([1-9]\d?|{MAX_PAGE_SIZE})$"
# Checked by the endpoints rather than by FastAPI, so bad values answer 400 as the API does;
# the schema extras document what is accepted.
PAGE_QUERY = Query(default=None, json_schema_extra={"pattern": PAGE_PATTERN})
"""The ``page`` query parameter, as a string the endpoint parses."""
PAGE_SIZE_QUERY = Query(
    default=None, alias="pageSize", json_schema_extra={"pattern": PAGE_SIZE_PATTERN}
)
"""The ``pageSize`` query parameter, as a string the endpoint parses."""

_INTEGER = re.compile(r"-?\d{1,9}")


@dataclass(frozen=True)
class PageRequest:
    """A validated page request: which page, how big, and its SQL window."""

    page: int
    size: int

    @property
    def window(self) -> dict[str, int]:
        """``limit`` and ``offset`` parameters for the page's SQL query."""
        offset, limit = page_window(self.page, self.size)
        return {"limit": limit, "offset": offset}

    def envelope(self, items: list[dict[str, Any]], total: int) -> dict[str, Any]:
        """The page as the API sends it: ``{"data": [...], "meta": {...}}``."""
        return {"data": items, "meta": {"total": total, "page": self.page, "pageSize": self.size}}

    def fetch(
        self,
        db: Database,
        *,
        table: str,
        where: str,
        params: Mapping[str, Any],
        order: str,
        item: Callable[[dict[str, Any]], dict[str, Any]],
        columns: str = "*",
    ) -> dict[str, Any]:
        """This page of the rows of ``table`` matching ``where``, in ``order``, each made an
        API object by ``item``, in its envelope."""
        total = db.scalar(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)
        rows = db.query(
            f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {order}"
            " LIMIT :limit OFFSET :offset",
            {**params, **self.window},
        )
        return self.envelope([item(row) for row in rows], total)

    def newest_first(
        self,
        db: Database,
        *,
        table: str,
        account_id: str,
        status_sql: str,
        statuses: Sequence[str],
        status: str | None,
        item: Callable[[dict[str, Any]], dict[str, Any]],
        columns: str | None = None,
    ) -> dict[str, Any]:
        """This page of an account's rows of ``table``, newest first, each with the
        ``status`` that ``status_sql`` computes (``:now`` is now; ``columns`` replaces
        ``*, <status_sql> AS status``), only those in ``status`` if given (400 when it is
        not one of ``statuses``)."""
        if status is not None and status not in statuses:
            raise EmulatorError(400, f"Invalid status: use one of {', '.join(statuses)}")
        where = "account_id = :account" + (
            "" if status is None else f" AND ({status_sql}) = :status"
        )
        return self.fetch(
            db,
            table=table,
            columns=columns or f"*, {status_sql} AS status",
            where=where,
            params={"now": now(), "account": account_id, "status": status},
            order="created_at DESC, rowid DESC",
            item=item,
        )


def _bad_request(message: str) -> EmulatorError:
    return EmulatorError(400, message)


def int_param(
    value: str | None,
    name: str,
    default: int,
    refuse: Callable[[str], EmulatorError] = _bad_request,
) -> int:
    """``value`` as an int (``default`` when absent); anything else raises ``refuse(message)``
    (by default a plain 400)."""
    if value is None:
        return default
    if not _INTEGER.fullmatch(value.strip()):
        raise refuse(f"Invalid {name}: expected an integer")
    return int(value)


async def _page_request(
    page: str | None = PAGE_QUERY, page_size: str | None = PAGE_SIZE_QUERY
) -> PageRequest:
    number = int_param(page, "page", 0)
    size = int_param(page_size, "pageSize", DEFAULT_PAGE_SIZE)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise EmulatorError(400, f"Invalid pageSize: must be between 1 and {MAX_PAGE_SIZE}")
    if number < 0:
        raise EmulatorError(400, "Invalid page: must be 0 or more")
    return PageRequest(number, size)


Paging = Annotated[PageRequest, Depends(_page_request)]
"""The request's ``page`` and ``pageSize``, validated (400 otherwise)."""
