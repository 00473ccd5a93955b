"""A throwaway local PostgreSQL server for tests and benchmarks: `initdb` into a temporary
directory and `pg_ctl start` on 127.0.0.1 and a free port (no fsync: never for real data),
torn down by `stop()`.

PostgreSQL refuses to run as root, so under root both run through `runuser` as an
unprivileged user (`postgres`, else `nobody`) owning the data directory.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from ._database import database_url

__all__ = ["PostgresServer", "unavailable_reason"]

_USERS = ("postgres", "nobody")
_SUPERUSER = "claude"


def _binary(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None
    )


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for user in _USERS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return user
    return None


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None when one can."""
    missing = [name for name in ("initdb", "pg_ctl") if _binary(name) is None]
    if missing:
        return f"PostgreSQL binaries not found ({', '.join(missing)}); install postgresql"
    if os.geteuid() == 0 and (_run_as() is None or shutil.which("runuser") is None):
        return "running as root without runuser or an unprivileged user for PostgreSQL"
    if importlib.util.find_spec("asyncpg") is None:
        return "asyncpg is not installed (extra claude_code_api[postgres])"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """One PostgreSQL cluster on 127.0.0.1; `database()` makes a fresh database in it."""

    def __init__(self) -> None:
        self.user = _run_as()
        self.folder = Path(tempfile.mkdtemp(prefix="claude-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)

    def _command(self, name: str, *args: str) -> None:
        binary = _binary(name)
        assert binary is not None
        prefix = [] if self.user is None else ["runuser", "-u", self.user, "--"]
        subprocess.run(
            [*prefix, binary, *args],
            check=True,
            capture_output=True,
            cwd=self.folder,
            timeout=120,
        )

    def start(self) -> None:
        """initdb (trust authentication, no fsync) and start; waits until it accepts."""
        self._command(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            _SUPERUSER,
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._command(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w",
            "start",
        )  # fmt: skip

    def url(self, database: str = "postgres") -> str:
        """The `postgresql://` URL of `database` (the service maps it to asyncpg)."""
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A new, empty database; its URL."""
        name = "claude_" + secrets.token_hex(6)

        async def create() -> None:
            engine = create_async_engine(
                database_url(self.url()), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
            )
            try:
                async with engine.connect() as connection:
                    await connection.execute(text(f'CREATE DATABASE "{name}"'))
            finally:
                await engine.dispose()

        # A thread of its own: the caller may be inside a running event loop.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
            executor.submit(asyncio.run, create()).result()
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (immediately) and remove its files."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._command("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
