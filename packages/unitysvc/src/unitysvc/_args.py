"""Argument checks shared by the resources (they run before any request is sent)."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from sdkcore import path_segment

__all__ = ["as_id", "check_int", "id_segment", "name_segment"]


def as_id(value: Any, argument: str) -> str:
    """A str or UUID identifier as a non-blank string, else TypeError/ValueError naming it."""
    if isinstance(value, UUID):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str or UUID, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{argument} must be a non-empty string")
    return value


def id_segment(value: Any, argument: str) -> str:
    """`as_id`, percent-encoded as one path segment."""
    return path_segment(as_id(value, argument), argument=argument)


def name_segment(value: Any, argument: str, pattern: re.Pattern[str], shape: str) -> str:
    """A str matching ``pattern`` (described as ``shape`` in the error), percent-encoded as
    one path segment; else TypeError/ValueError naming the argument."""
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, got {type(value).__name__}")
    if not pattern.fullmatch(value):
        raise ValueError(f"{argument} must be {shape}, got {value!r}")
    return path_segment(value, argument=argument)


def check_int(value: Any, argument: str, low: int, high: int | None = None) -> int:
    """An int within [low, high], else TypeError/ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{argument} must be an int, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{argument} must be {bound}, got {value}")
    return value
