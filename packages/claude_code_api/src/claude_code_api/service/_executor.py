"""How the store reaches its database cheaply: statements compiled once per dialect, and each
store operation as one blocking function (a *job*) run in one transaction.

Profiling showed the service's time per request going to the database layer rather than to
SQL: SQLAlchemy building each statement and dispatching its events, aiosqlite's several thread
hops per statement (each a wait for the GIL behind the other thread), a pool checkout per
operation. A job's few indexed statements on a SQLite file take tens of microseconds, less than
one hop to a thread, so on a SQLite file a job runs right in the event loop through the
`sqlite3` driver, on a connection that never waits for a lock (busy timeout 0). Only when
another process holds the write lock, or for a job that may be slow (a usage report,
administration), does it run on a thread whose connection waits as long as it must. Elsewhere
(PostgreSQL, `:memory:`, a SQLite URL with options) a job runs in its own transaction on the
async engine's pool, through SQLAlchemy's greenlet bridge.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Protocol, TypeVar, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import MultipleResultsFound, NoResultFound
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.expression import ClauseElement, Executable
from sqlalchemy.util import await_only, greenlet_spawn

__all__ = ["Executor", "InsertFactory", "Job", "Result", "Sql", "Tx", "executor_for"]

T = TypeVar("T")
_BUSY_TIMEOUT_MS = 30_000
_POOL_SIZE = 10


class InsertFactory(Protocol):
    """`sqlite.insert` or `postgresql.insert`: an INSERT with `ON CONFLICT` clauses."""

    def __call__(self, table: Any) -> Any: ...


def _insert_for(dialect: Dialect) -> InsertFactory:
    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


def _compile(statement: Executable, dialect: Dialect) -> Any:
    return cast(ClauseElement, statement).compile(dialect=dialect)


def _positional(compiled: Any, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(values[name] for name in compiled.positiontup or ())


class Sql:
    """A statement written once with SQLAlchemy Core (named `bindparam`s), compiled once per
    dialect to the driver's text. `build` receives the dialect's INSERT construct, so that
    `ON CONFLICT` (the same SQL in SQLite and PostgreSQL) is written once."""

    def __init__(self, build: Callable[[InsertFactory], Executable]) -> None:
        self._build = build
        self._compiled: dict[str, Any] = {}

    def bind(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
        """The statement's text for `dialect` and its positional parameters."""
        statement = self.compiled(dialect)
        return str(statement), _positional(statement, {**statement.params, **values})

    def compiled(self, dialect: Dialect) -> Any:
        """The statement compiled for `dialect` (once)."""
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _compile(
                self._build(_insert_for(dialect)), dialect
            )
        return compiled


class Result(Protocol):
    """What a statement returns (SQLAlchemy's `CursorResult` is one)."""

    @property
    def rowcount(self) -> int:
        """Rows an INSERT, UPDATE or DELETE changed."""
        ...

    def first(self) -> Any:
        """The first row, None without rows."""
        ...

    def one(self) -> Any:
        """The only row (an error unless there is exactly one)."""
        ...

    def all(self) -> Sequence[Any]:
        """Every row."""
        ...


class Tx(Protocol):
    """The transaction a job runs in."""

    @property
    def insert(self) -> InsertFactory:
        """The dialect's INSERT construct, with `ON CONFLICT` clauses."""
        ...

    def run(self, sql: Sql, **values: Any) -> Result:
        """Execute a compiled statement with its named parameters."""
        ...

    def execute(self, statement: Executable) -> Result:
        """Execute a statement built for this one call (administration, not a request's
        path)."""
        ...


Job = Callable[[Tx], T]


class Executor(Protocol):
    """Runs jobs, each in one transaction."""

    async def run(self, job: Job[T], *, slow: bool = False, atomic: bool = True) -> T:
        """The job's result, once its transaction committed (its exception if it raised).
        `slow`: the job may take long, so it must not hold up the event loop; `atomic=False`:
        the job is one statement (or reads only), so a database whose transactions cost round
        trips may skip them."""
        ...

    async def aclose(self) -> None:
        """Release the connections."""
        ...


class _Rows:
    """A driver's outcome, with rows readable by column name like SQLAlchemy's."""

    _types: ClassVar[dict[tuple[str, ...], Any]] = {}

    def __init__(
        self, rowcount: int, names: Sequence[str] = (), rows: Sequence[Sequence[Any]] = ()
    ) -> None:
        self.rowcount = rowcount
        self._rows: list[Any] = []
        if rows:
            key = tuple(names)
            row_type = self._types.get(key)
            if row_type is None:
                row_type = self._types[key] = collections.namedtuple("Row", key, rename=True)
            self._rows = [row_type(*row) for row in rows]

    @classmethod
    def of(cls, cursor: sqlite3.Cursor) -> _Rows:
        """What a `sqlite3` cursor returned."""
        if cursor.description is None:
            return cls(cursor.rowcount)
        return cls(cursor.rowcount, [c[0] for c in cursor.description], cursor.fetchall())

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one(self) -> Any:
        if not self._rows:
            raise NoResultFound("no row where one was required")
        if len(self._rows) > 1:
            raise MultipleResultsFound("several rows where one was required")
        return self._rows[0]

    def all(self) -> list[Any]:
        return self._rows


class _DriverTx:
    """A transaction on a `sqlite3` connection."""

    def __init__(self, connection: sqlite3.Connection, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect
        self.insert = _insert_for(dialect)

    def run(self, sql: Sql, **values: Any) -> Result:
        text, parameters = sql.bind(self._dialect, values)
        return _Rows.of(self._connection.execute(text, parameters))

    def execute(self, statement: Executable) -> Result:
        compiled = _compile(statement, self._dialect)
        parameters = _positional(compiled, compiled.construct_params() or {})
        return _Rows.of(self._connection.execute(str(compiled), parameters))


class _AsyncpgTx:
    """A transaction on an asyncpg connection, awaited from a job through SQLAlchemy's
    greenlet bridge (`await_only`)."""

    def __init__(self, connection: Any, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect
        self.insert = _insert_for(dialect)

    def run(self, sql: Sql, **values: Any) -> Result:
        statement = sql.compiled(self._dialect)
        return self._send(statement, {**statement.params, **values})

    def execute(self, statement: Executable) -> Result:
        compiled = _compile(statement, self._dialect)
        return self._send(compiled, compiled.construct_params() or {})

    def _send(self, compiled: Any, values: Mapping[str, Any]) -> Result:
        parameters = _positional(compiled, values)
        if compiled.isinsert or compiled.isupdate or compiled.isdelete:
            status: str = await_only(self._connection.execute(str(compiled), *parameters))
            count = status.rsplit(" ", 1)[-1]
            return _Rows(int(count) if count.isdigit() else -1)
        records = await_only(self._connection.fetch(str(compiled), *parameters))
        return _Rows(len(records), list(records[0].keys()) if records else (), records)


_SQLITE_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)  # Python >= 3.11
    return code in _SQLITE_BUSY_CODES or "locked" in str(error)


class _SqliteFile:
    """A SQLite file: jobs in the event loop, or on a thread when they would wait or be slow.
    Every transaction starts with `BEGIN IMMEDIATE`, as `_database` explains."""

    def __init__(self, path: str, dialect: Dialect) -> None:
        self._path = path
        self._dialect = dialect
        self._inline: sqlite3.Connection | None = None
        self._waiting: sqlite3.Connection | None = None
        self._thread: concurrent.futures.ThreadPoolExecutor | None = None

    def _connect(self, busy_timeout_ms: int) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    def _transaction(self, connection: sqlite3.Connection, job: Job[T]) -> T:
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = job(_DriverTx(connection, self._dialect))
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return result

    def _on_thread(self, job: Job[T]) -> T:
        if self._waiting is None:
            self._waiting = self._connect(_BUSY_TIMEOUT_MS)
        return self._transaction(self._waiting, job)

    async def run(self, job: Job[T], *, slow: bool = False, atomic: bool = True) -> T:
        # Always a transaction here: a job that found the lock taken is run again on the
        # thread, so none of its statements may have committed on their own.
        if not slow:
            if self._inline is None:
                self._inline = self._connect(0)
            try:
                return self._transaction(self._inline, job)
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
        if self._thread is None:
            # One thread: its connection waits for the lock, later jobs queue behind it.
            self._thread = concurrent.futures.ThreadPoolExecutor(1, "claude-api-sqlite")
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._on_thread, job)

    async def aclose(self) -> None:
        if self._inline is not None:
            self._inline.close()
        if self._thread is not None:
            waiting = self._waiting
            if waiting is not None:
                self._thread.submit(waiting.close)
            self._thread.shutdown(wait=False)


class _Postgres:
    """PostgreSQL through asyncpg: connections of this executor's own (at most `_POOL_SIZE`),
    each job in a transaction unless it is a single statement (`atomic=False`). SQLAlchemy's
    async layer, and asyncpg's pool, cost more round trips than the statements themselves: a
    pre-ping per checkout, a reset query per release."""

    def __init__(self, dsn: str, dialect: Dialect) -> None:
        self._dsn = dsn
        self._dialect = dialect
        self._idle: list[Any] = []
        self._slots: asyncio.Semaphore | None = None

    async def run(self, job: Job[T], *, slow: bool = False, atomic: bool = True) -> T:
        if self._slots is None:
            self._slots = asyncio.Semaphore(_POOL_SIZE)
        async with self._slots:
            connection = self._idle.pop() if self._idle else await self._connect()
            tx = _AsyncpgTx(connection, self._dialect)
            try:
                if atomic:
                    async with connection.transaction():
                        result: T = await greenlet_spawn(job, tx)
                else:
                    result = await greenlet_spawn(job, tx)
            except BaseException:
                # Broken, or cancelled mid-statement: not worth finding out which.
                connection.terminate()
                raise
            self._idle.append(connection)
            return result

    async def _connect(self) -> Any:
        import asyncpg  # type: ignore[import-untyped]  # the `postgres` extra

        return await asyncpg.connect(self._dsn)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()


class _AsyncPool:
    """Anything else (`:memory:`, a SQLite URL with options): each job in its own transaction
    on the async engine's pool, through SQLAlchemy's greenlet bridge."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, job: Job[T], *, slow: bool = False, atomic: bool = True) -> T:
        async with self._engine.begin() as connection:
            return await connection.run_sync(lambda sync: job(_SqlAlchemyTx(sync)))

    async def aclose(self) -> None:
        """Nothing to release: the pool belongs to the engine."""


class _SqlAlchemyTx:
    """A transaction on a SQLAlchemy connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.insert = _insert_for(connection.dialect)

    def run(self, sql: Sql, **values: Any) -> Result:
        text, parameters = sql.bind(self._connection.dialect, values)
        return self._connection.exec_driver_sql(text, parameters)

    def execute(self, statement: Executable) -> Result:
        result: Result = self._connection.execute(statement)
        return result


def executor_for(engine: AsyncEngine) -> Executor:
    """In the event loop for a SQLite file, on asyncpg's pool for PostgreSQL, on the engine's
    pool for anything else."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return _Postgres(dsn, engine.dialect)
    if (
        url.get_backend_name() == "sqlite"
        and url.database not in (None, "", ":memory:")
        and not url.query
    ):
        return _SqliteFile(str(url.database), engine.dialect)
    return _AsyncPool(engine)
