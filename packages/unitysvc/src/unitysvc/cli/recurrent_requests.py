"""``usvc recurrent-requests``: list, show, trigger and delete scheduled requests."""

from __future__ import annotations

import typer

from .._client import Client
from ._commands import add_delete_command, add_show_command
from ._common import ApiKey, BaseUrl, Limit, Output, Skip, connect, emit_page

__all__ = ["app"]

app = typer.Typer(help="Recurrent requests (list, show, trigger, delete).", no_args_is_help=True)

_COLUMNS = ["id", "name", "status", "request_path", "http_method", "schedule"]


@app.command("list")
def list_requests(
    service_id: str | None = typer.Option(None, "--service-id", help="Filter by service id."),
    enrollment_id: str | None = typer.Option(
        None, "--enrollment-id", help="Filter by enrollment id."
    ),
    status: str | None = typer.Option(None, "--status", help="Filter by status."),
    skip: Skip = 0,
    limit: Limit = 100,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """List the customer's recurrent requests."""
    with connect(api_key, base_url) as client:
        page = client.recurrent_requests.list(
            service_id=service_id,
            enrollment_id=enrollment_id,
            status=status,
            skip=skip,
            limit=limit,
        )
    emit_page(page, output, _COLUMNS)


_ID = "Recurrent request id."
add_show_command(
    app,
    "show",
    lambda client, request_id: client.recurrent_requests.get(request_id),
    "request_id",
    _ID,
    "Show one recurrent request.",
)
add_show_command(
    app,
    "trigger",
    lambda client, request_id: client.recurrent_requests.trigger(request_id),
    "request_id",
    _ID,
    "Run a recurrent request now.",
    output_default="json",
)


def _delete(client: Client, request_id: str) -> str:
    client.recurrent_requests.delete(request_id)
    return f"deleted recurrent request {request_id}"


add_delete_command(
    app, "recurrent request", _delete, "request_id", _ID, "Delete a recurrent request."
)
