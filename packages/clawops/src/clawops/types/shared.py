"""Types shared by several resources."""

from __future__ import annotations

from sdkcore import CamelModel

__all__ = ["PageMeta"]


class PageMeta(CamelModel):
    """Position of a page in a listing: `total` items, 0-based `page`, and `page_size`."""

    total: int
    page: int
    page_size: int
