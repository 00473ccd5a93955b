"""Identifiers and timestamps for emulator records."""

from __future__ import annotations

import secrets
import string
from datetime import datetime, timezone

__all__ = ["isoformat", "new_id", "utcnow"]

_ALPHABET = string.ascii_letters + string.digits


def utcnow() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(timezone.utc)


def isoformat(dt: datetime) -> str:
    """Format ``dt`` as UTC with millisecond precision and a ``Z`` suffix.

    Naive datetimes are taken to be UTC already. Example: ``2026-11-25T12:00:00.123Z``.
    """
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def new_id(prefix: str, length: int = 20) -> str:
    """Return ``prefix`` followed by ``length`` random ASCII letters and digits."""
    if length < 1:
        raise ValueError("length must be at least 1")
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))
