"""`ServedEmulator` (serves an app for a with block, exposes its journal and faults, closes
its database afterwards), the CLI settings kept in a database file, the CLI kit and
`background_task`."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from sdkcore.emulator import (
    Database,
    DbOption,
    Fault,
    FaultRule,
    HostOption,
    LogLevelOption,
    PortOption,
    ServedEmulator,
    ServerHandle,
    background_task,
    emulator_cli,
    install_faults,
    install_journal,
    remember_settings,
    remembered_settings,
    serve,
)


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    install_faults(app)
    install_journal(app)
    return app


def test_serves_records_and_injects_then_closes_the_database() -> None:
    db = Database()
    emulator = ServedEmulator(_app(), db)
    with pytest.raises(RuntimeError, match="not running"):
        _ = emulator.url
    with emulator as running:
        assert running is emulator
        assert httpx.get(f"{emulator.url}/ping").json() == {"pong": "yes"}
        emulator.faults.add(FaultRule(Fault.parse("status=503"), times=1))
        assert httpx.get(f"{emulator.url}/ping").status_code == 503
        assert [entry.path for entry in emulator.journal.entries] == ["/ping", "/ping"]
    with pytest.raises(RuntimeError, match="not running"):
        _ = emulator.url
    with pytest.raises(sqlite3.ProgrammingError):
        db.scalar("SELECT 1")


class _WithCompanion(ServedEmulator):
    """Serves a second app first, as an emulator with upstream services does."""

    companion: ServerHandle | None = None

    def _start_companions(self, stack: contextlib.ExitStack) -> None:
        self.companion = stack.enter_context(serve(_app()))


def test_companions_start_first_and_stop_with_the_block() -> None:
    db = Database()
    with _WithCompanion(_app(), db) as emulator:
        assert emulator.companion is not None
        companion_url = emulator.companion.url
        assert companion_url != emulator.url
        assert httpx.get(f"{companion_url}/ping").json() == {"pong": "yes"}
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{companion_url}/ping")
    with pytest.raises(sqlite3.ProgrammingError):
        db.scalar("SELECT 1")


def test_a_failing_companion_closes_the_database() -> None:
    class Failing(ServedEmulator):
        def _start_companions(self, stack: contextlib.ExitStack) -> None:
            raise OSError("no port")

    db = Database()
    with pytest.raises(OSError, match="no port"), Failing(_app(), db):
        pass
    with pytest.raises(sqlite3.ProgrammingError):
        db.scalar("SELECT 1")


def test_settings_survive_in_a_database_file(tmp_path: Path) -> None:
    db = str(tmp_path / "state.sqlite3")
    assert remembered_settings(db) == {}
    remember_settings(db, {"api_key": "sk_test_1", "account": "AC1"})
    remember_settings(db, {"api_key": "sk_test_2"})
    assert remembered_settings(db) == {"api_key": "sk_test_2", "account": "AC1"}
    remember_settings(None, {"ignored": "x"})
    remember_settings(":memory:", {"ignored": "x"})
    assert remembered_settings(None) == remembered_settings(":memory:") == {}


def test_emulator_cli_with_the_shared_serve_options() -> None:
    cli = emulator_cli("Local emulator of X.")
    seen: dict[str, object] = {}

    @cli.command()
    def serve(
        host: HostOption = "127.0.0.1",
        port: PortOption = 8080,
        db: DbOption = None,
        log_level: LogLevelOption = "info",
    ) -> None:
        seen.update(host=host, port=port, db=db, log_level=log_level)

    runner = CliRunner()
    assert "Local emulator of X." in runner.invoke(cli, []).output
    help_text = runner.invoke(cli, ["serve", "--help"]).output
    for text in ("Interface to listen on.", "SQLite file keeping state", "uvicorn log level."):
        assert text in help_text
    result = runner.invoke(cli, ["serve", "--port", "9", "--db", "x.db"])
    assert result.exit_code == 0, result.output
    assert seen == {"host": "127.0.0.1", "port": 9, "db": "x.db", "log_level": "info"}


def test_background_task_runs_for_the_block_then_is_cancelled() -> None:
    async def scenario() -> None:
        started = asyncio.Event()
        cancelled: list[bool] = []

        async def work() -> None:
            started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.append(True)
                raise

        async with background_task(work(), name="kit-work") as task:
            await started.wait()
            assert task.get_name() == "kit-work"
            assert not task.done()
        assert task.cancelled()
        assert cancelled == [True]

    asyncio.run(scenario())
