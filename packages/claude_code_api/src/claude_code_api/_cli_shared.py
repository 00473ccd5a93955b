"""What the `claude-api` commands share: the consoles, the `--db` option and failing with an
exit code."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = ["Db", "console", "errors", "fail", "print_json"]

console = Console()
errors = Console(stderr=True)

Db = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="CLAUDE_API_DB", help="Database file or URL (created on first use)."
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `message` as an error; the exit to raise, with exit code `code`."""
    errors.print(f"[red]Error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def print_json(value: Any) -> None:
    """Print `value` as indented JSON."""
    typer.echo(json.dumps(value, indent=2))
