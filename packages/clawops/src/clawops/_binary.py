"""Casts for responses that are not JSON (recordings): they get the whole response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

__all__ = ["BinaryCast"]

T = TypeVar("T")


class BinaryCast(Generic[T]):
    """An `Op.cast` that turns the read `httpx.Response` (bytes and headers) into the result,
    where every other cast gets the decoded JSON body."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[httpx.Response], T]) -> None:
        self.convert = convert

    def __call__(self, response: httpx.Response) -> T:
        return self.convert(response)
