"""`ClaudeService`: the service on 127.0.0.1 for the length of a ``with`` block (tests, demos)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from sdkcore import Closeable
from sdkcore.emulator import ServerHandle, serve

from ._admin import Admin
from ._app import create_app
from ._config import ServiceConfig

__all__ = ["ClaudeService"]


class ClaudeService(Closeable):
    """A running service. ``with ClaudeService() as svc:`` serves a fresh app on a free port
    with a database in a temporary directory (or `db`); `svc.create_key()` makes a key and
    `svc.client_kwargs(key)` points a client at it. An instance serves once; to simulate a
    restart, start a new one on the same `db`.

    Args:
        db: Database path or URL (default: a temporary file removed at exit).
        engine: Engine name; engine_options: its constructor's keyword arguments.
        config_options: Other `ServiceConfig` fields (batch_concurrency, ...).
    """

    def __init__(
        self,
        *,
        db: str | None = None,
        engine: str = "offline",
        engine_options: Mapping[str, Any] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        **config_options: Any,
    ) -> None:
        self._stack = contextlib.ExitStack()
        if db is None:
            folder = self._stack.enter_context(tempfile.TemporaryDirectory(prefix="claude-api-"))
            db = str(Path(folder) / "claude_api.db")
        self.db = db
        self.config = ServiceConfig(
            db=db, engine=engine, engine_options=dict(engine_options or {}), **config_options
        )
        self.app: FastAPI = create_app(self.config)
        self.admin = Admin(db)
        self._host = host
        self._port = port
        self._handle: ServerHandle | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (only while running)."""
        if self._handle is None:
            raise RuntimeError("the service is not running; use it in a with block")
        return self._handle.url

    def create_key(self, project_id: str = "test", **options: Any) -> str:
        """A new key for `project_id` (options as `Admin.create_key`)."""
        key, _ = self.admin.create_key(project_id=project_id, **options)
        return key

    def client_kwargs(self, api_key: str) -> dict[str, Any]:
        """``base_url`` and ``api_key`` for `ClaudeClient` / `AsyncClaudeClient`."""
        return {"base_url": self.url, "api_key": api_key}

    def __enter__(self) -> ClaudeService:
        """Start serving."""
        try:
            self._handle = self._stack.enter_context(
                serve(self.app, host=self._host, port=self._port)
            )
        except BaseException:
            self._stack.close()
            raise
        return self

    def close(self) -> None:
        """Stop serving (and remove the temporary database)."""
        self._handle = None
        self._stack.close()
