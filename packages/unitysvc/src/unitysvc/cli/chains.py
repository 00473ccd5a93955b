"""``usvc chains``: create, list, show, update, delete, steps add/update/remove/replace and
dispatch (``/c/<name>``: each step's success or failure picks the next step)."""

from __future__ import annotations

import typer

from ._common import ApiKey, BaseUrl, Output, connect, emit
from ._named import (
    Description,
    Disabled,
    Enabled,
    add_child_commands,
    add_shared_commands,
    changes,
    create_record,
    update_record,
)

__all__ = ["app"]

app = typer.Typer(
    help="Chains: steps at /c/<name> where success or failure picks the next step.",
    no_args_is_help=True,
)
steps = typer.Typer(help="A chain's steps (add, update, remove, replace).", no_args_is_help=True)
app.add_typer(steps, name="steps")

add_shared_commands(app, "chains", "chain", ["id", "name", "enabled", "default_timeout_ms"])

Step = typer.Option(
    None, "--step", "-s", help="NAME=PATH or a JSON step object (repeatable, in order)."
)
Action = "stop, continue, relay or a step name"


@app.command("create")
def create_chain(
    name: str = typer.Argument(..., help="Name (dispatched at /c/<name>)."),
    step: list[str] | None = Step,
    default_timeout_ms: int = typer.Option(10000, "--default-timeout-ms", help="Per step (ms)."),
    description: str | None = Description,
    disabled: bool = Disabled,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Create a chain; ``--step`` items default to on_success=stop, on_failure=continue."""
    create_record(
        "chains",
        step,
        output,
        api_key,
        base_url,
        name=name,
        description=description,
        default_timeout_ms=default_timeout_ms,
        enabled=not disabled,
    )


@app.command("update")
def update_chain(
    chain_id: str = typer.Argument(..., help="The chain's id."),
    description: str | None = Description,
    default_timeout_ms: int | None = typer.Option(None, "--default-timeout-ms", help="ms."),
    enabled: bool | None = Enabled,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Change a chain's metadata (only the options given)."""
    update_record(
        "chains",
        chain_id,
        output,
        api_key,
        base_url,
        enabled,
        description=description,
        default_timeout_ms=default_timeout_ms,
    )


@steps.command("add")
def add_step(
    chain_id: str = typer.Argument(..., help="The chain's id."),
    name: str = typer.Option(..., "--name", help="The step's name."),
    path: str = typer.Option(..., "--path", help="Gateway path, e.g. p/<id>, g/<name>."),
    sort_order: int = typer.Option(..., "--sort-order", help="Position in the chain."),
    on_success: str = typer.Option("stop", "--on-success", help=Action),
    on_failure: str = typer.Option("continue", "--on-failure", help=Action),
    timeout_ms: int | None = typer.Option(None, "--timeout-ms", help="This step's timeout."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Add a step."""
    with connect(api_key, base_url) as client:
        created = client.chains.add_step(
            chain_id,
            name=name,
            target_path=path,
            sort_order=sort_order,
            on_success=on_success,
            on_failure=on_failure,
            timeout_ms=timeout_ms,
        )
    emit(created, output)


@steps.command("update")
def update_step(
    chain_id: str = typer.Argument(..., help="The chain's id."),
    step_id: str = typer.Argument(..., help="The step's id."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    path: str | None = typer.Option(None, "--path", help="New gateway path."),
    sort_order: int | None = typer.Option(None, "--sort-order", help="New position."),
    on_success: str | None = typer.Option(None, "--on-success", help=Action),
    on_failure: str | None = typer.Option(None, "--on-failure", help=Action),
    timeout_ms: int | None = typer.Option(None, "--timeout-ms", help="New timeout (ms)."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Change a step (only the options given)."""
    given = changes(
        name=name,
        target_path=path,
        sort_order=sort_order,
        on_success=on_success,
        on_failure=on_failure,
        timeout_ms=timeout_ms,
    )
    with connect(api_key, base_url) as client:
        emit(client.chains.update_step(chain_id, step_id, **given), output)


add_child_commands(steps, "chains", "step", "--step")
