"""`claude-api`: keys, usage and the service from a shell (typer + rich; extra `[service]`).

The database is `--db` or `CLAUDE_API_DB` (default `claude_api.db` in `CLAUDE_API_HOME`,
~/.claude-api), created on first use. Exit codes: 0 success, 1 not found / not running /
invalid key, 2 bad input.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from ._cli_keys import keys_app
from ._cli_service import service_app
from ._cli_usage import budget_app, usage

__all__ = ["app", "main"]

app = typer.Typer(
    help="Claude Code API: API keys, usage and the service.",
    add_completion=False,
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")
app.add_typer(service_app, name="service")
app.add_typer(budget_app, name="budget")
app.command("usage")(usage)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `claude-api` console script."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="claude-api")
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
