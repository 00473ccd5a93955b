"""Blocking administration of a service database (keys, budgets, usage), for the CLI and
tests. Each call opens the database (migrating it), does its work and closes it, so it works
next to a running service on the same file."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from ._database import database_url, migrate, open_engine
from ._pricing import usd_to_nanos
from ._store import KeyRecord, Store

__all__ = ["Admin"]

T = TypeVar("T")


def _run(coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    # A thread of its own, so a caller inside a running event loop can use it too.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine())).result()


class Admin:
    """Key, budget and usage administration of the database at `db` (path or URL)."""

    def __init__(self, db: str | os.PathLike[str] | None) -> None:
        self.url = database_url(db)

    def __repr__(self) -> str:
        return f"Admin(url={self.url.split('@')[-1]!r})"

    def _call(self, work: Callable[[Store], Awaitable[T]]) -> T:
        async def main() -> T:
            engine = open_engine(self.url)
            try:
                await migrate(engine)
                store = Store(engine)
                try:
                    return await work(store)
                finally:
                    await store.aclose()
            finally:
                await engine.dispose()

        return _run(main)

    def create_key(self, *, project_id: str, **options: Any) -> tuple[str, KeyRecord]:
        """A new key (returned once, stored as a hash) and its record; options as
        `Store.create_key` (profile, rate_limit, name, allowed_projects, max_cost_per_task)."""
        return self._call(lambda store: store.create_key(project_id=project_id, **options))

    def list_keys(
        self, *, project_id: str | None = None, active_only: bool = False
    ) -> list[KeyRecord]:
        """Stored keys, oldest first."""
        return self._call(
            lambda store: store.list_keys(project_id=project_id, active_only=active_only)
        )

    def find_key(self, key_or_id: str) -> KeyRecord | None:
        """A key by its value or id."""
        return self._call(lambda store: store.find_key(key_or_id))

    def update_key(self, key_id: str, **values: Any) -> None:
        """Change stored fields of a key (revoked, profile, max_cost_per_task, rate_limit)."""
        self._call(lambda store: store.update_key(key_id, **values))

    def set_budget(self, project_id: str, usd: float | None) -> None:
        """A project's monthly budget in USD (None: unlimited)."""
        nanos = None if usd is None else usd_to_nanos(usd)
        self._call(lambda store: store.set_budget(project_id, nanos))

    def usage(self, project_id: str, period: str = "month") -> dict[str, Any]:
        """A project's usage over `period`, as `GET /v1/usage` reports it."""
        return self._call(lambda store: store.usage(project_id, period, time.time()))
