"""``usvc recurrent-requests``: list, show, trigger and delete scheduled requests."""

from __future__ import annotations

import sys

import typer

from ._common import ApiKey, BaseUrl, Limit, Output, Skip, Yes, confirm, connect, emit

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
    emit(page.data if output == "table" else page, output, _COLUMNS)


@app.command("show")
def show_request(
    request_id: str = typer.Argument(..., help="Recurrent request id."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Show one recurrent request."""
    with connect(api_key, base_url) as client:
        emit(client.recurrent_requests.get(request_id), output)


@app.command("trigger")
def trigger_request(
    request_id: str = typer.Argument(..., help="Recurrent request id."),
    output: Output = "json",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Run a recurrent request now."""
    with connect(api_key, base_url) as client:
        emit(client.recurrent_requests.trigger(request_id), output)


@app.command("delete")
def delete_request(
    request_id: str = typer.Argument(..., help="Recurrent request id."),
    yes: Yes = False,
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Delete a recurrent request."""
    confirm(f"Delete recurrent request {request_id}?", yes)
    with connect(api_key, base_url) as client:
        client.recurrent_requests.delete(request_id)
    sys.stdout.write(f"deleted recurrent request {request_id}\n")
