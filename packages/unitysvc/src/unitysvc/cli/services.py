"""``usvc services``: show, usage (access plan), interfaces, dispatch, schedule and enroll."""

from __future__ import annotations

import typer

from ._commands import add_show_command
from ._common import (
    ApiKey,
    BaseUrl,
    BodyData,
    BodyJson,
    Headers,
    Method,
    Output,
    SubPath,
    Timeout,
    connect,
    emit,
    fail,
    parse_headers,
    parse_json,
    request_options,
    write_response,
)

__all__ = ["app"]

app = typer.Typer(
    help="Services (show, usage, interfaces, dispatch, schedule, enroll).", no_args_is_help=True
)

Interface = typer.Option(None, "--interface", help="Pick the interface by name.")
Enrollment = typer.Option(None, "--enrollment", help="Pick the interface of this enrollment.")
Parameter = typer.Option(None, "--parameter", "-p", help="One 'key=value' parameter (repeatable).")


add_show_command(
    app,
    "show",
    lambda client, service_id: client.services.get(service_id),
    "service_id",
    "Service id (or a unique prefix).",
    "Show one service.",
    output_default="json",
)
add_show_command(
    app,
    "usage",
    lambda client, service_id: client.services.access_plan(service_id),
    "service_id",
    "Service id.",
    "Show the service's access plan: how to enroll in and call it, and its pricing.",
    output_default="json",
)


@app.command("interfaces")
def list_interfaces(
    service_id: str = typer.Argument(..., help="Service id."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """List the service's access interfaces."""
    with connect(api_key, base_url) as client:
        interfaces = client.services.interfaces(service_id)
    emit(interfaces, output, ["name", "access_method", "base_url", "enrollment_id"])


@app.command("dispatch")
def dispatch_service(
    service_id: str = typer.Argument(..., help="Service id."),
    interface: str | None = Interface,
    enrollment: str | None = Enrollment,
    path: SubPath = "",
    method: Method = "POST",
    body_json: BodyJson = None,
    body_data: BodyData = None,
    headers: Headers = None,
    timeout: Timeout = None,
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Send one request to the service through its gateway interface; prints the body."""
    options = request_options(method, body_json, body_data, headers, timeout)
    with connect(api_key, base_url) as client:
        response = client.services.dispatch(
            service_id, interface=interface, enrollment=enrollment, path=path, **options
        )
    write_response(response)


def _recurrence(
    raw: str | None, interval: int | None, cron: str | None, tz: str
) -> dict[str, object]:
    given = [
        flag
        for flag, value in (("--recurrence", raw), ("--interval", interval), ("--cron", cron))
        if value is not None
    ]
    if len(given) != 1:
        raise fail("give exactly one of --recurrence, --interval or --cron")
    if raw is not None:
        value = parse_json(raw, "--recurrence")
        if not isinstance(value, dict):
            raise fail("--recurrence must be a JSON object")
        return value
    if interval is not None:
        return {"schedule_type": "interval", "interval_seconds": interval}
    return {"schedule_type": "cron", "cron_expression": cron, "timezone": tz}


@app.command("schedule")
def schedule_service(
    service_id: str = typer.Argument(..., help="Service id."),
    recurrence: str | None = typer.Option(None, "--recurrence", help="Schedule as JSON."),
    interval: int | None = typer.Option(None, "--interval", help="Every N seconds."),
    cron: str | None = typer.Option(None, "--cron", help="Cron expression, e.g. '*/5 * * * *'."),
    timezone: str = typer.Option("UTC", "--timezone", help="Time zone of --cron."),
    interface: str | None = Interface,
    enrollment: str | None = Enrollment,
    path: SubPath = "",
    method: Method = "POST",
    body_json: BodyJson = None,
    headers: Headers = None,
    name: str | None = typer.Option(None, "--name", help="A label for the schedule."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Schedule a recurring dispatch to the service."""
    schedule = _recurrence(recurrence, interval, cron, timezone)
    with connect(api_key, base_url) as client:
        created = client.services.schedule(
            service_id,
            recurrence=schedule,
            interface=interface,
            enrollment=enrollment,
            path=path,
            method=method,
            json=parse_json(body_json, "--json"),
            headers=parse_headers(headers),
            name=name,
        )
    emit(created, output, ["id", "name", "status", "request_path", "schedule"])


@app.command("enroll")
def enroll_service(
    service_id: str = typer.Argument(..., help="Service id."),
    parameters_json: str | None = typer.Option(
        None, "--parameters", help="Enrollment parameters as a JSON object."
    ),
    parameter: list[str] | None = Parameter,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Enroll in a service; prints the (pending) enrollment."""
    parameters = parse_json(parameters_json, "--parameters") or {}
    if not isinstance(parameters, dict):
        raise fail("--parameters must be a JSON object")
    for item in parameter or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise fail(f"--parameter must be 'key=value', got {item!r}")
        parameters[key.strip()] = value
    with connect(api_key, base_url) as client:
        enrollment = client.enrollments.create(service_id=service_id, parameters=parameters)
    emit(enrollment, output, ["id", "service_id", "status", "code"])
