"""SQLite state for emulators: one shared connection, serialised by a re-entrant lock."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeAlias

from .._closing import Closeable

__all__ = ["Database", "enable_wal"]

# Positional (``?``) or named (``:name``) SQL parameters.
_Params: TypeAlias = "Sequence[Any] | Mapping[str, Any]"
# How long an opener keeps asking for the lock that switching a file to WAL needs.
_WAL_DEADLINE = 30.0


def enable_wal(path: str | os.PathLike[str]) -> None:
    """Put the SQLite file at `path` in WAL mode (a setting stored in the file).

    WAL lets readers go on while one connection writes. The switch needs the file to itself,
    and SQLite refuses it at once with "database is locked", without its busy handler, to one
    of two openers racing for it (waiting could deadlock); so this asks again, with backoff,
    for up to 30 s. It blocks: call it before an event loop depends on the file.
    """
    deadline = time.monotonic() + _WAL_DEADLINE
    delay = 0.005
    while True:
        connection = sqlite3.connect(path, timeout=_WAL_DEADLINE, isolation_level=None)
        try:
            # A file system without WAL support answers with the old mode: kept, as SQLite chose.
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        finally:
            connection.close()
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


class Database(Closeable):
    """A thread-safe SQLite database holding an emulator's state.

    Every method takes the same re-entrant lock, so request handlers running on the server
    thread and test code on the main thread never interleave statements. Outside
    `transaction` each statement commits on its own.
    """

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, schema: str = "") -> None:
        """Open (or create) the database at ``path`` and apply ``schema``.

        Write the schema with ``CREATE TABLE IF NOT EXISTS`` so that reopening a persisted
        file keeps its rows.
        """
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        self._depth = 0
        if self.path != ":memory:":
            # WAL lets an inspecting process read while the emulator writes.
            enable_wal(self.path)
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        if self.path != ":memory:":
            # NORMAL is durable enough for test state and much faster than FULL.
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        if schema:
            self._conn.executescript(schema)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        return self._conn

    def execute(self, sql: str, params: _Params = ()) -> int:
        """Run one statement and return its row count (-1 when SQLite reports none)."""
        with self._lock:
            return self._connection().execute(sql, params).rowcount

    def query(self, sql: str, params: _Params = ()) -> list[dict[str, Any]]:
        """Run a query and return every row as a dict keyed by column name."""
        with self._lock:
            return [dict(row) for row in self._connection().execute(sql, params).fetchall()]

    def query_one(self, sql: str, params: _Params = ()) -> dict[str, Any] | None:
        """Run a query and return its first row as a dict, or None when there is none."""
        with self._lock:
            row = self._connection().execute(sql, params).fetchone()
        return None if row is None else dict(row)

    def scalar(self, sql: str, params: _Params = ()) -> Any:
        """Run a query and return the first column of its first row (None when empty)."""
        with self._lock:
            row = self._connection().execute(sql, params).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group statements atomically: commit on success, roll back on an exception.

        The lock is held throughout, so other threads wait rather than see partial
        state. Nested calls join the outermost transaction.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            conn = self._connection()
            # IMMEDIATE takes the write lock up front so a second process cannot make
            # the commit fail half-way with SQLITE_BUSY.
            conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (e.g. a deferred constraint) leaves the transaction open.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def close(self) -> None:
        """Close the connection; later calls fail, and closing twice is harmless."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
