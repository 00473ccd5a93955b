"""``usvc aliases``: list, show, switch (routing on/off, by id or name) and delete."""

from __future__ import annotations

import typer

from ._commands import add_delete_command, add_show_command
from ._common import ApiKey, BaseUrl, Limit, Output, Skip, connect, emit, emit_page

__all__ = ["app"]

app = typer.Typer(help="Service aliases (list, show, switch, delete).", no_args_is_help=True)

_COLUMNS = ["id", "name", "target_path", "is_routing", "request_routing_key", "deactivated_at"]


@app.command("list")
def list_aliases(
    skip: Skip = 0,
    limit: Limit = 100,
    name: str | None = typer.Option(None, "--name", "-n", help="Only aliases of this name."),
    include_deactivated: bool = typer.Option(
        False, "--include-deactivated", help="Include deleted aliases."
    ),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """List the customer's aliases."""
    with connect(api_key, base_url) as client:
        page = client.aliases.list(
            skip=skip, limit=limit, name=name, include_deactivated=include_deactivated
        )
    emit_page(page, output, _COLUMNS)


add_show_command(
    app,
    "show",
    lambda client, alias_id: client.aliases.get(alias_id),
    "alias_id",
    "Alias id.",
    "Show one alias.",
)


@app.command("switch")
def switch_alias(
    identifier: str = typer.Argument(..., help="Alias id, or name."),
    off: bool = typer.Option(False, "--off", help="Turn routing off instead of on."),
    output: Output = "json",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Turn an alias's routing on (atomically demoting its sibling) or off."""
    with connect(api_key, base_url) as client:
        emit(client.aliases.switch_routing(identifier, on=not off), output)


add_delete_command(
    app,
    "alias",
    lambda client, alias_id: client.aliases.delete(alias_id).message,
    "alias_id",
    "Alias id.",
    "Delete an alias (it stops routing).",
)
