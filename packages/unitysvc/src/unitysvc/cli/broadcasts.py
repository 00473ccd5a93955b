"""``usvc broadcasts``: create, list, show, update, delete, targets add/remove/replace,
dispatch (``/b/<name>``: every target at once) and the tasks of async dispatches."""

from __future__ import annotations

import typer

from ._common import ApiKey, BaseUrl, Output, connect, emit, emit_page, parse_json
from ._named import (
    Description,
    Disabled,
    Enabled,
    add_child_commands,
    add_shared_commands,
    create_record,
    update_record,
)

__all__ = ["app"]

app = typer.Typer(
    help="Broadcasts: one call fanned out to many targets at /b/<name>.", no_args_is_help=True
)
targets = typer.Typer(help="A broadcast's targets (add, remove, replace).", no_args_is_help=True)
app.add_typer(targets, name="targets")

_COLUMNS = ["id", "name", "mode", "enabled", "target_timeout_ms"]
add_shared_commands(app, "broadcasts", "broadcast", _COLUMNS)

Target = typer.Option(None, "--target", "-t", help="NAME=PATH or a JSON object (repeatable).")
Mode = typer.Option(None, "--mode", help="sync (an envelope of results) or async (tasks).")
TargetTimeout = typer.Option(None, "--target-timeout-ms", help="Per-target timeout (ms).")


@app.command("create")
def create_broadcast(
    name: str = typer.Argument(..., help="Name (dispatched at /b/<name>)."),
    target: list[str] | None = Target,
    mode: str = typer.Option("sync", "--mode", help="sync (an envelope of results) or async."),
    target_timeout_ms: int = typer.Option(30000, "--target-timeout-ms", help="Per target (ms)."),
    description: str | None = Description,
    disabled: bool = Disabled,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Create a broadcast."""
    create_record(
        "broadcasts",
        target,
        output,
        api_key,
        base_url,
        name=name,
        description=description,
        mode=mode,
        target_timeout_ms=target_timeout_ms,
        enabled=not disabled,
    )


@app.command("update")
def update_broadcast(
    broadcast_id: str = typer.Argument(..., help="The broadcast's id."),
    description: str | None = Description,
    mode: str | None = Mode,
    target_timeout_ms: int | None = TargetTimeout,
    enabled: bool | None = Enabled,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Change a broadcast's metadata (only the options given)."""
    update_record(
        "broadcasts",
        broadcast_id,
        output,
        api_key,
        base_url,
        enabled,
        description=description,
        mode=mode,
        target_timeout_ms=target_timeout_ms,
    )


@app.command("tasks")
def list_tasks(
    broadcast_id: str = typer.Argument(..., help="The broadcast's id."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """The tasks async dispatches queued, newest first, with their outcome."""
    with connect(api_key, base_url) as client:
        page = client.broadcasts.tasks(broadcast_id)
    columns = ["id", "target", "status", "status_code", "elapsed_ms", "created_at"]
    emit_page(page, output, columns)


@targets.command("add")
def add_target(
    broadcast_id: str = typer.Argument(..., help="The broadcast's id."),
    name: str = typer.Option(..., "--name", help="The target's name."),
    path: str = typer.Option(..., "--path", help="Gateway path, e.g. p/<id>, g/<name>."),
    routing_key: str | None = typer.Option(None, "--routing-key", help="JSON routing key."),
    sort_order: int = typer.Option(0, "--sort-order", help="Position among the targets."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Add a target."""
    with connect(api_key, base_url) as client:
        created = client.broadcasts.add_target(
            broadcast_id,
            name=name,
            target_path=path,
            routing_key_override=parse_json(routing_key, "--routing-key"),
            sort_order=sort_order,
        )
    emit(created, output)


add_child_commands(targets, "broadcasts", "target", "--target")
