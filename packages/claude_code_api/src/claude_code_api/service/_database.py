"""Opening the database: an async SQLAlchemy engine for a path or a URL, migrated by Alembic.

A plain path means SQLite (aiosqlite), the embedded default; a `postgresql://` (or
`postgres://`) URL means PostgreSQL through asyncpg (extra `claude_code_api[postgres]`), with the
same schema, since every statement the store issues is portable. SQLite transactions start with
`BEGIN IMMEDIATE`, so two processes sharing a file serialise their writes instead of failing
on a lock upgrade; the same lock serialises the migrations of workers starting together, and on
PostgreSQL an advisory lock does. A file is put in WAL mode when it is opened, asking again while
another starting process holds it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from sdkcore.emulator import enable_wal

from .._keystore import home

__all__ = ["DB_ENV", "READ_ONLY", "database_url", "default_db_path", "migrate", "open_engine"]

DB_ENV = "CLAUDE_API_DB"
READ_ONLY = "claude_read_only"
"""Execution option marking a connection that only reads."""
_MIGRATIONS = Path(__file__).with_name("migrations")
# Arbitrary, fixed: every process migrating a PostgreSQL database takes this advisory lock.
_MIGRATION_LOCK = 0x636C617564650A
_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+asyncpg://")


def default_db_path() -> Path:
    """`CLAUDE_API_DB`, else `claude_api.db` in `CLAUDE_API_HOME` (default ~/.claude-api)."""
    from_env = os.environ.get(DB_ENV)
    return Path(from_env) if from_env else home() / "claude_api.db"


def database_url(db: str | os.PathLike[str] | None) -> str:
    """The SQLAlchemy URL for `db`: a PostgreSQL URL with the asyncpg driver, another URL as
    is, `:memory:`, or a file path (its folder is created); None means `default_db_path()`
    (which may itself be a URL)."""
    if db is None and DB_ENV in os.environ:
        db = os.environ[DB_ENV]
    if db is not None and str(db).startswith(_POSTGRES_SCHEMES):
        return "postgresql+asyncpg://" + str(db).split("://", 1)[1]
    if db is not None and "://" in str(db):
        return str(db)
    if db is not None and str(db) == ":memory:":
        return "sqlite+aiosqlite:///:memory:"
    path = Path(db) if db is not None else default_db_path()
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{path}"


def open_engine(url: str) -> AsyncEngine:
    """An async engine for `url`, with SQLite tuned for concurrent use."""
    if not url.startswith("sqlite"):
        return create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    options: dict[str, Any] = {}
    if url.endswith(":memory:"):
        options["poolclass"] = pool.StaticPool
    else:
        # One connection per process, for migrations: the store has connections of its own
        # (`_executor`); processes are serialised by BEGIN IMMEDIATE.
        options.update(pool_size=1, max_overflow=0, pool_timeout=120)
        parsed = make_url(url)
        # A URL with a query (`?uri=true`, `?mode=ro`) is opened by the driver as it says;
        # only a plain file path is switched here.
        if parsed.database and not parsed.query:
            # Here, blocking, before the pool exists: a wait in its connect hook would block
            # the event loop.
            enable_wal(parsed.database)
    engine = create_async_engine(url, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN below (not the driver's implicit one) open transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        if not url.endswith(":memory:"):
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A read runs in SQLite's autocommit mode: one consistent statement, no lock to wait for.
        if not connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _upgrade(connection: Connection) -> None:
    # Imported here: alembic is slow to import and only needed once per start.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision (idempotent; run at every start)."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held to the end of the transaction (PostgreSQL's DDL is transactional): workers
            # starting together migrate one after the other, the later ones finding nothing to do.
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
        await connection.run_sync(_upgrade)
