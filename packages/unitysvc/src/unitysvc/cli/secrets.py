"""``usvc secrets``: list, show, set (value from --value, a pipe or a hidden prompt), upload
(a dotenv manifest, from a file or stdin) and delete. Values are never printed."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import typer

from ._commands import add_list_command, add_show_command
from ._common import ApiKey, BaseUrl, Output, Yes, confirm, connect, emit, fail

__all__ = ["app", "parse_manifest"]

app = typer.Typer(help="Customer secrets (list, show, set, upload, delete).", no_args_is_help=True)

_COLUMNS = ["name", "id", "created_at", "updated_at", "last_used_at"]
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_EXPANSION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-(.*))?\}")


add_list_command(
    app,
    lambda client, skip, limit: client.secrets.list(skip=skip, limit=limit),
    _COLUMNS,
    "List the customer's secrets (metadata only).",
)


add_show_command(
    app,
    "show",
    lambda client, name: client.secrets.get(name),
    "name",
    "Secret name.",
    "Show one secret's metadata.",
)


@app.command("set")
def set_secret(
    name: str = typer.Argument(..., help="Secret name (^[A-Z_][A-Z0-9_]*$)."),
    value: str | None = typer.Option(
        None, "--value", help="The value; else read from a pipe, else prompted (hidden)."
    ),
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Set a secret (creates or replaces; idempotent)."""
    if value is None:
        if sys.stdin.isatty():
            value = typer.prompt(f"Value for {name}", hide_input=True, confirmation_prompt=True)
        else:
            # One trailing newline is what `echo "$X" | usvc secrets set X` adds.
            value = sys.stdin.read().removesuffix("\n")
    with connect(api_key, base_url) as client:
        result = client.secrets.set(name, value)
    sys.stdout.write(f"set secret {result.name} ({result.id})\n")


def _resolve(rhs: str, environ: Mapping[str, str]) -> str:
    rhs = rhs.strip()
    if len(rhs) >= 2 and rhs[0] == rhs[-1] == "'":
        return rhs[1:-1]  # single quotes: literal, as in the shell
    if len(rhs) >= 2 and rhs[0] == rhs[-1] == '"':
        rhs = rhs[1:-1]
    match = _EXPANSION.fullmatch(rhs)
    if match is None:
        return rhs
    name, default = match.group(1), match.group(2)
    if environ.get(name):
        return environ[name]
    if default is None:
        raise ValueError(f"{name} is required (${{{name}}}) but unset in the environment")
    return default


def _strip_comment(rhs: str) -> str:
    quote: str | None = None
    for index, char in enumerate(rhs):
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and index and rhs[index - 1].isspace():
            return rhs[:index].rstrip()
    return rhs


def parse_manifest(
    text: str, environ: Mapping[str, str] | None = None
) -> list[tuple[str, str, str | None]]:
    """``(name, value, description)`` of each ``NAME=value`` line of a dotenv manifest.

    ``export`` prefixes, quotes and trailing comments are read as a shell would;
    ``${NAME:-default}`` takes the environment's value, else the default, and a bare
    ``${NAME}`` must be set. ``#`` lines right above an entry are its description. The last
    assignment of a name wins.
    """
    environ = os.environ if environ is None else environ
    entries: dict[str, tuple[str, str | None]] = {}
    comments: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            comments = []  # a blank line ends a description block
            continue
        if line.startswith("#"):
            comments.append(line.lstrip("#").strip())
            continue
        if line.startswith(("export ", "export\t")):
            line = line[len("export") :].lstrip()
        name, sep, rhs = line.partition("=")
        name = name.strip()
        if sep and _NAME.fullmatch(name):
            description = "\n".join(comments).strip() or None
            entries.pop(name, None)
            entries[name] = (_resolve(_strip_comment(rhs), environ), description)
        comments = []
    return [(name, value, description) for name, (value, description) in entries.items()]


def _source(file: str | None) -> str:
    if file == "-" or (file is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if file is None:
        raise fail("no input: pass a manifest file, '-' or pipe one in")
    try:
        return Path(file).read_text()
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from exc


@app.command("upload")
def upload_secrets(
    file: str | None = typer.Argument(
        None, help="Dotenv manifest to read, or '-' for stdin (default when piped)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Parse and list; upload nothing."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Set every secret a dotenv manifest declares (idempotent)."""
    try:
        entries = parse_manifest(_source(file))
    except ValueError as exc:
        raise fail(str(exc)) from exc
    rows = [
        {"name": name, "status": "would set" if dry_run else "set", "description": description}
        for name, _, description in entries
    ]
    if not dry_run and entries:
        with connect(api_key, base_url) as client:
            for name, value, _ in entries:
                client.secrets.set(name, value)
    emit(rows, output, ["name", "status", "description"])


@app.command("delete")
def delete_secret(
    name: str = typer.Argument(..., help="Secret name."),
    yes: Yes = False,
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Delete a secret (cannot be undone)."""
    confirm(f"Delete secret {name}?", yes)
    with connect(api_key, base_url) as client:
        sys.stdout.write(client.secrets.delete(name).message + "\n")
