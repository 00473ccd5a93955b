"""Console helpers shared by the SDKs' ``<package>-emulator`` commands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import typer

from ._storage import Database

__all__ = [
    "DbOption",
    "HostOption",
    "LogLevelOption",
    "PortOption",
    "emulator_cli",
    "remember_settings",
    "remembered_settings",
    "serve_banner",
]

# The options every ``<package>-emulator serve`` has (each command sets its own defaults).
HostOption = Annotated[str, typer.Option(help="Interface to listen on.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]
DbOption = Annotated[str | None, typer.Option(help="SQLite file keeping state across restarts.")]
LogLevelOption = Annotated[str, typer.Option(help="uvicorn log level.")]


def emulator_cli(description: str) -> typer.Typer:
    """Return the Typer app of a ``<package>-emulator`` command, described by ``description``.

    Without arguments it prints its help; it keeps its subcommands (``serve``) even while
    it has only one.
    """
    app = typer.Typer(help=description, add_completion=False, no_args_is_help=True)

    def commands() -> None:
        pass

    commands.__doc__ = description
    app.callback()(commands)
    return app


_SETTINGS_SCHEMA = """
CREATE TABLE IF NOT EXISTS cli_credentials (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def remembered_settings(db: str | None) -> dict[str, str]:
    """Settings (made-up credentials) a previous ``serve --db`` run stored in ``db``, so its
    state stays reachable after a restart; {} without a database file."""
    if db is None or db == ":memory:":
        return {}
    with Database(db, schema=_SETTINGS_SCHEMA) as store:
        return {row["name"]: row["value"] for row in store.query("SELECT * FROM cli_credentials")}


def remember_settings(db: str | None, values: Mapping[str, str]) -> None:
    """Store ``values`` in ``db`` for `remembered_settings` (nothing without a database file)."""
    if db is None or db == ":memory:":
        return
    with Database(db, schema=_SETTINGS_SCHEMA) as store, store.transaction():
        for name, value in values.items():
            store.execute(
                "INSERT OR REPLACE INTO cli_credentials (name, value) VALUES (?, ?)", (name, value)
            )


def serve_banner(
    name: str, url: str, details: Mapping[str, str], exports: Sequence[str] = ()
) -> str:
    """Return the startup text printed by ``<package>-emulator serve``.

    ``details`` (e.g. database path, test API key) are listed one per line, aligned;
    ``exports`` (shell lines that point the SDK at the emulator) follow under a heading.
    """
    lines = [f"{name} emulator listening on {url}"]
    width = max((len(key) for key in details), default=0)
    lines.extend(f"  {key + ':':<{width + 1}} {value}" for key, value in details.items())
    lines.append("Press Ctrl-C to stop.")
    if exports:
        lines.extend(["", "Point the SDK here:", *exports])
    return "\n".join(lines)
