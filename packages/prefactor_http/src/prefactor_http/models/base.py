"""Envelopes shared by every endpoint."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import sdkcore

__all__ = [
    "ApiError",
    "ApiResponse",
    "DetailedApiError",
    "ListResponse",
    "PaginationOutput",
    "Sorting",
]

T = TypeVar("T")


class ApiResponse(sdkcore.BaseModel, Generic[T]):
    """The success envelope: ``{"status": "success", "details": ...}``."""

    status: str
    details: T


class ApiError(sdkcore.BaseModel):
    """The error envelope: ``{"status": "error", "code", "message"}``."""

    status: str = "error"
    code: str
    message: str


class DetailedApiError(ApiError):
    """An error envelope whose ``errors`` map field paths to messages."""

    errors: dict[str, Any]


class PaginationOutput(sdkcore.BaseModel):
    """Where a page sits in a listing (``page_index`` is 1-based)."""

    item_count: int
    item_start: int
    item_end: int
    page_count: int
    page_index: int
    page_offset: int
    page_size: int
    next_page_offset: int | None = None
    previous_page_offset: int | None = None


class Sorting(sdkcore.BaseModel):
    """How a listing is ordered: ``field`` and ``direction`` (``asc`` or ``desc``)."""

    field: str
    direction: str


class ListResponse(sdkcore.BaseModel, Generic[T]):
    """The listing envelope: ``summaries`` with their ``pagination`` and ``sorting``."""

    status: str
    summaries: list[T]
    pagination: PaginationOutput | None
    sorting: Sorting | None
