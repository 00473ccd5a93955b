"""What every control-plane resource module shares: strict body and query types, and the row
helpers (owned lookup, insert, partial update, filters, paging, serialising)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, BeforeValidator

from sdkcore.emulator import EmulatorError, decode_cursor, encode_cursor

from .._deps import EmulatorState, not_found
from .._store import dumps, loads, now

__all__ = [
    "Body",
    "IsoDate",
    "IsoTime",
    "JsonInt",
    "Limit",
    "Skip",
    "cursor_offset",
    "gateway_path",
    "insert_row",
    "listing",
    "next_cursor",
    "owned",
    "pick",
    "update_row",
    "window",
]

Skip = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=1000)]


def _json_int(value: Any) -> Any:
    # JSON Schema's "integer" admits 3.0 but not "3" or true; pydantic's lax int is the reverse
    # on both counts.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (str, bool)):
        raise ValueError("must be a JSON integer")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_int)]


def _iso_text(value: Any) -> Any:
    # pydantic reads a bare number as a Unix timestamp; the schema says an ISO 8601 string.
    if isinstance(value, str) and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value):
        raise ValueError("must be an ISO 8601 date or date-time")
    return value


IsoTime = Annotated[datetime | None, BeforeValidator(_iso_text)]
IsoDate = Annotated[date | None, BeforeValidator(_iso_text)]


class Body(BaseModel):
    """A request body; bools and numbers are strict, so 0 for a bool or "1" for a number is a
    422 rather than coerced."""


def pick(row: dict[str, Any], columns: str) -> dict[str, Any]:
    """The named columns of ``row`` in order; ``name:json`` decodes a JSON column and
    ``name:bool`` reads an integer flag."""
    out: dict[str, Any] = {}
    for spec in columns.split():
        name, _, kind = spec.partition(":")
        value = row[name]
        out[name] = loads(value) if kind == "json" else bool(value) if kind == "bool" else value
    return out


def owned(
    state: EmulatorState,
    table: str,
    what: str,
    customer: str,
    key: str,
    column: str = "id",
) -> dict[str, Any]:
    """The ``table`` row of ``customer`` whose ``column`` is ``key``, or a 404 naming
    ``what`` (table and column are code, never input)."""
    row = state.db.query_one(
        f"SELECT * FROM {table} WHERE {column} = ? AND customer_id = ?", (key, customer)
    )
    if row is None:
        raise not_found(what)
    return row


def insert_row(state: EmulatorState, table: str, values: dict[str, Any]) -> None:
    """Insert one row of ``values`` (column names are code, never input)."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    state.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))


def update_row(
    state: EmulatorState,
    table: str,
    row_id: str,
    changes: dict[str, Any],
    *,
    json_columns: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
    convert: dict[str, Callable[[Any], Any]] | None = None,
    stamp: bool = True,
) -> None:
    """Write the ``changes`` of a partial update: a ``required`` column set to null is a 422,
    ``convert`` checks and normalises a column's value, ``json_columns`` are stored encoded,
    and ``stamp`` moves ``updated_at``."""
    for column in required:
        if column in changes and changes[column] is None:
            raise EmulatorError(422, f"{column} cannot be null")
    for column, value in changes.items():
        if convert and column in convert and value is not None:
            value = convert[column](value)
        stored = dumps(value) if column in json_columns else value
        if stamp:
            state.db.execute(
                f"UPDATE {table} SET {column} = ?, updated_at = ? WHERE id = ?",
                (stored, now(), row_id),
            )
        else:
            state.db.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (stored, row_id))


def window(
    state: EmulatorState,
    table: str,
    customer: str,
    *,
    order: str,
    skip: int,
    limit: int,
    filters: Sequence[tuple[str, Any]] = (),
    where: str = "customer_id = ?",
) -> tuple[int, list[dict[str, Any]]]:
    """The total count of ``customer``'s ``table`` rows matching ``where`` and every
    ``(clause, value)`` filter whose value is not None, and the ``skip``/``limit`` window of
    them in ``order`` (table, clauses and order are code, never input)."""
    params: list[Any] = [customer]
    for clause, value in filters:
        if value is not None:
            where += " AND " + clause
            params.append(value)
    total = int(state.db.scalar(f"SELECT COUNT(*) FROM {table} WHERE {where}", params))
    rows = state.db.query(
        f"SELECT * FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, skip],
    )
    return total, rows


def listing(
    state: EmulatorState,
    table: str,
    customer: str,
    serialise: Callable[[dict[str, Any]], dict[str, Any]],
    **query: Any,
) -> dict[str, Any]:
    """A `window` of rows as the ``{"data": [...], "count": total}`` envelope."""
    total, rows = window(state, table, customer, **query)
    return {"data": [serialise(r) for r in rows], "count": total}


def cursor_offset(token: str | None, argument: str) -> int:
    """The offset an opaque cursor (from `next_cursor`) stands for; 0 for none, 422 naming
    ``argument`` for one the server did not issue."""
    if not token:
        return 0
    try:
        return int(decode_cursor(token)["offset"])
    except (EmulatorError, ValueError, KeyError, TypeError):
        raise EmulatorError(422, f"{argument} is not valid") from None


def next_cursor(offset: int, more: bool) -> str | None:
    """The cursor of the page after the one ending at ``offset``, if there is one."""
    return encode_cursor({"offset": offset}) if more else None


def gateway_path(path: str) -> str:
    """A stored request path as a gateway-relative path (full gateway URLs are accepted)."""
    marker = "/gateway/api/"
    if marker in path:
        path = path.split(marker, 1)[1]
    elif "://" in path:
        raise EmulatorError(422, "request_path must be a gateway path or URL of /gateway/api")
    return path.lstrip("/")
