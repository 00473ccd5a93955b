"""``usvc groups``: list, show, services (cursor pages) and dispatch through a group."""

from __future__ import annotations

import typer

from ._commands import add_dispatch_command, add_show_command
from ._common import ApiKey, BaseUrl, Output, connect, emit, emit_page

__all__ = ["app"]

app = typer.Typer(help="Service groups (list, show, services, dispatch).", no_args_is_help=True)

_GROUP_COLUMNS = ["name", "display_name", "owner_type", "member_count", "enabled"]
_SERVICE_COLUMNS = ["id", "name", "provider_name", "service_type", "list_price"]


@app.command("list")
def list_groups(
    name: str | None = typer.Option(None, "--name", "-n", help="Substring of the name."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """List the service groups visible to the customer."""
    with connect(api_key, base_url) as client:
        page = client.groups.list(name=name)
    emit_page(page, output, _GROUP_COLUMNS)


add_show_command(
    app,
    "show",
    lambda client, name: client.groups.get(name),
    "name",
    "Group name.",
    "Show one group.",
)


@app.command("services")
def list_group_services(
    name: str = typer.Argument(..., help="Group name."),
    cursor: str | None = typer.Option(None, "--cursor", help="Cursor of the page to show."),
    limit: int = typer.Option(50, "--limit", help="Page size."),
    search: str | None = typer.Option(None, "--search", help="Substring of service names."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """List one page of a group's services (the next cursor is printed after it)."""
    with connect(api_key, base_url) as client:
        page = client.groups.services(name, cursor=cursor, limit=limit, search=search)
    if output == "json":
        emit({"data": page.data, "next_cursor": page.next_cursor}, output)
        return
    emit(page.data, output, _SERVICE_COLUMNS)
    if page.next_cursor:
        typer.echo(f"next page: --cursor {page.next_cursor}")


add_dispatch_command(
    app,
    lambda client, name, **options: client.groups.dispatch(name, **options),
    "Group name.",
    "Send one request through a group's gateway interface; prints the body.",
)
