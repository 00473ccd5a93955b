"""Page windows and opaque cursors for list endpoints."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from ._errors import EmulatorError

__all__ = ["decode_cursor", "encode_cursor", "page_window"]


def page_window(page: int, page_size: int, *, first_page: int = 0) -> tuple[int, int]:
    """Return the ``(offset, limit)`` of page ``page`` holding ``page_size`` items.

    Pages count from ``first_page`` (0 by default; pass 1 for 1-based APIs). Out-of-range
    values raise ``EmulatorError(400)`` so an endpoint can pass query values straight in.
    """
    if page_size < 1:
        raise EmulatorError(400, f"page size must be at least 1, got {page_size}")
    if page < first_page:
        raise EmulatorError(400, f"page must be at least {first_page}, got {page}")
    return (page - first_page) * page_size, page_size


def encode_cursor(data: Mapping[str, Any]) -> str:
    """Encode ``data`` as an opaque, URL-safe cursor (unpadded base64 of compact JSON)."""
    raw = json.dumps(dict(data), separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """Decode a cursor made by `encode_cursor`; anything else raises ``EmulatorError(400)``."""
    try:
        # Padding is stripped on encode; restore it so any length decodes.
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        data = json.loads(raw)
    except (ValueError, binascii.Error) as exc:
        raise EmulatorError(400, "invalid cursor") from exc
    if not isinstance(data, dict):
        raise EmulatorError(400, "invalid cursor")
    return data
