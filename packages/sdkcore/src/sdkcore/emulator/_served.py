"""`ServedEmulator`: an emulator app served on 127.0.0.1 for the length of a ``with`` block."""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.applications import Starlette
from typing_extensions import Self

from .._closing import Closeable
from ._body_limit import BodyLimit
from ._faults import FaultInjector
from ._journal import Journal
from ._server import ServerHandle, serve
from ._storage import Database

__all__ = ["ServedEmulator"]


class ServedEmulator(Closeable):
    """Base of the SDKs' in-process emulators (``with XEmulator() as emu:``).

    Serves ``app`` (built with `install_journal` and `install_faults`) on a free port of
    127.0.0.1 from a background thread while the block runs, and closes ``db`` afterwards.
    An instance serves once; to simulate a restart, start a new one on the same file.
    """

    def __init__(self, app: Starlette, db: Database, *, host: str = "127.0.0.1", port: int = 0):
        """Remember what to serve; nothing runs until the ``with`` block starts."""
        self.app: Any = app
        self._db = db
        self._host = host
        self._port = port
        self._handle: ServerHandle | None = None
        self._stack = contextlib.ExitStack()

    @property
    def journal(self) -> Journal:
        """Every request the emulator received, as received."""
        journal = self.app.state.journal
        assert isinstance(journal, Journal)
        return journal

    @property
    def faults(self) -> FaultInjector:
        """The fault injector: add `FaultRule` s to make requests fail."""
        faults = self.app.state.faults
        assert isinstance(faults, FaultInjector)
        return faults

    @property
    def body_limit(self) -> BodyLimit:
        """The request body limit (413 above it): change it, or allow larger uploads."""
        limit = self.app.state.body_limit
        assert isinstance(limit, BodyLimit)
        return limit

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (only while running)."""
        if self._handle is None:
            raise RuntimeError("the emulator is not running; use it in a with block")
        return self._handle.url

    def _start_companions(self, stack: contextlib.ExitStack) -> None:
        """Hook for subclasses: start what ``app`` needs before it serves (e.g. a second
        server), entering it on ``stack`` so that it stops after ``app`` when the block ends.
        """

    def __enter__(self) -> Self:
        """Start serving; the database is closed again when the block ends."""
        self._stack.callback(self._db.close)
        try:
            self._start_companions(self._stack)
            self._handle = self._stack.enter_context(
                serve(self.app, host=self._host, port=self._port)
            )
        except BaseException:
            self._stack.close()
            raise
        return self

    def close(self) -> None:
        """Stop serving and close the database (what leaving the ``with`` block does)."""
        self._handle = None
        self._stack.close()
