"""The senders' small caches of what many requests share (timeouts, origins)."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["remember"]

K = TypeVar("K")
V = TypeVar("V")

_SIZE = 64


def remember(cache: dict[K, V], key: K, value: V) -> V:
    """Store `value` under `key` in `cache` and return it. A cache already holding 64 entries
    is emptied first, so a client fed ever new keys (a timeout per request) stays bounded.

    Meant after a miss: ``cache.get(key) or remember(cache, key, build(key))``.
    """
    if len(cache) >= _SIZE:
        cache.clear()
    cache[key] = value
    return value
