"""Argument checks shared by resources: a bad value names its argument before any request."""

from __future__ import annotations

__all__ = ["require_text"]


def require_text(value: object, *, argument: str) -> str:
    """``value`` if it is a non-blank str; otherwise TypeError/ValueError naming ``argument``."""
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{argument} must be a non-empty string")
    return value
