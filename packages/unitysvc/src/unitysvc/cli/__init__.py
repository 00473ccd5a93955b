"""``usvc``: the UnitySVC customer CLI over this SDK (the public unitysvc-py's commands and
flags, plus ``broadcasts`` and ``chains``).

Every command takes ``--api-key`` / ``--base-url`` (default: the environment, as the SDK);
listings print rich tables or ``--output json``; destructive commands ask first unless
``--yes``; any failure is one ``Error: ...`` line on stderr and exit status 1. Subcommands
registered by other packages in the ``usvc.commands`` entry-point group appear here too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
import typer.main

from .._client import (
    DEFAULT_API_URL,
    ENV_API_BASE_URL,
    ENV_API_KEY,
    ENV_API_URL,
    ENV_S3_BASE_URL,
    ENV_SMTP_BASE_URL,
)
from .._version import __version__
from . import (
    aliases,
    broadcasts,
    chains,
    enrollments,
    files,
    groups,
    preferences,
    recurrent_requests,
    secrets,
    services,
)
from ._common import ApiKey, BaseUrl, Output, connect, emit, fail, parse_json
from ._plugins import PluginGroup

__all__ = ["app", "main"]

app = typer.Typer(
    cls=PluginGroup,
    help="UnitySVC customer CLI. Subcommands of other installed UnitySVC packages appear too.",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"unitysvc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        help="Show the version and exit.",
        callback=_version,
        is_eager=True,
    ),
) -> None:
    """UnitySVC customer CLI."""


def _redact(value: str | None) -> str:
    if not value:
        return "(unset)"
    return "***" if len(value) <= 12 else f"{value[:8]}…{value[-4:]}"


@app.command("env")
def show_env(output: Output = "table") -> None:
    """Show the environment variables the SDK and the CLI use (the key redacted)."""
    rows = [
        {"variable": ENV_API_KEY, "value": _redact(os.environ.get(ENV_API_KEY))},
        {
            "variable": ENV_API_URL,
            "value": os.environ.get(ENV_API_URL) or f"(unset, default: {DEFAULT_API_URL})",
        },
    ]
    for name in (ENV_API_BASE_URL, ENV_S3_BASE_URL, ENV_SMTP_BASE_URL):
        rows.append({"variable": name, "value": os.environ.get(name) or "(unset)"})
    emit(rows, output, ["variable", "value"])


@app.command("resolve")
def resolve(
    path: str = typer.Option(..., "--path", help="Gateway path, e.g. 'g/llm' or 'p/<id>'."),
    routing_key: str | None = typer.Option(
        None, "--routing-key", help='Routing key as JSON, e.g. \'{"model": "large"}\'.'
    ),
    gateway: str = typer.Option("api", "--gateway", help="api | s3 | smtp."),
    strategy: str | None = typer.Option(None, "--strategy", help="Override the strategy."),
    output: Output = "json",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Dry-run resolve a gateway path and routing key to its candidates."""
    key = parse_json(routing_key, "--routing-key")
    if key is not None and not isinstance(key, dict):
        raise fail("--routing-key must be a JSON object")
    with connect(api_key, base_url) as client:
        result = client.resolve(path=path, routing_key=key, gateway=gateway, strategy=strategy)
    emit(result, output)


for _module, _name in (
    (secrets, "secrets"),
    (aliases, "aliases"),
    (recurrent_requests, "recurrent-requests"),
    (groups, "groups"),
    (files, "files"),
    (services, "services"),
    (enrollments, "enrollments"),
    (preferences, "preferences"),
    (broadcasts, "broadcasts"),
    (chains, "chains"),
):
    app.add_typer(_module.app, name=_name)

# Typer may vendor its own Click; its exception classes are found from Typer's public ones.
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``usvc`` with ``argv`` (default: the process arguments); returns the exit status.

    Usage errors are reported like every other failure: one ``Error:`` line on stderr.
    """
    command = typer.main.get_command(app)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        status = command.main(args, prog_name="usvc", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("Error: aborted\n")
        return 1
    except _ClickException as exc:
        error: Any = exc
        sys.stderr.write(f"Error: {' '.join(error.format_message().split())}\n")
        return int(error.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        return 130
    # Click returns the code of a typer.Exit raised in a command instead of raising it.
    return status if isinstance(status, int) else 0


def run() -> None:
    """Console-script entry point: `main` with the process arguments, as the exit status."""
    sys.exit(main())
