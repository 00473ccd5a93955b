"""``usvc enrollments``: list, show and cancel the customer's enrollments."""

from __future__ import annotations

import typer

from ._common import ApiKey, BaseUrl, Limit, Output, Skip, Yes, confirm, connect, emit, emit_page

__all__ = ["app"]

app = typer.Typer(help="Enrollments (list, show, cancel).", no_args_is_help=True)

_COLUMNS = ["id", "service_id", "status", "code", "created_at"]
NoDetails = typer.Option(False, "--no-service-details", help="Leave out the service details.")


@app.command("list")
def list_enrollments(
    skip: Skip = 0,
    limit: Limit = 100,
    no_service_details: bool = NoDetails,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """List the customer's enrollments."""
    with connect(api_key, base_url) as client:
        page = client.enrollments.list(
            skip=skip, limit=limit, include_service_details=not no_service_details
        )
    emit_page(page, output, _COLUMNS)


@app.command("show")
def show_enrollment(
    enrollment_id: str = typer.Argument(..., help="Enrollment id."),
    no_service_details: bool = NoDetails,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Show one enrollment (secret-shaped parameters masked)."""
    with connect(api_key, base_url) as client:
        enrollment = client.enrollments.get(
            enrollment_id, include_service_details=not no_service_details
        )
    emit(enrollment, output)


@app.command("cancel")
def cancel_enrollment(
    enrollment_id: str = typer.Argument(..., help="Enrollment id."),
    yes: Yes = False,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Cancel an enrollment."""
    confirm(f"Cancel enrollment {enrollment_id}?", yes)
    with connect(api_key, base_url) as client:
        emit(client.enrollments.cancel(enrollment_id), output)
