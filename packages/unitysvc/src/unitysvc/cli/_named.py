"""The commands broadcasts and chains share (list, show, delete, dispatch), registered on
each one's Typer app, and the ``NAME=PATH`` / JSON item syntax of their targets and steps."""

from __future__ import annotations

from typing import Any

import typer

from ._commands import (
    add_delete_command,
    add_dispatch_command,
    add_list_command,
    add_show_command,
)
from ._common import (
    ApiKey,
    BaseUrl,
    Output,
    Yes,
    confirm,
    connect,
    emit,
    fail,
    parse_json,
)

__all__ = [
    "Description",
    "Disabled",
    "Enabled",
    "add_child_commands",
    "add_shared_commands",
    "changes",
    "create_record",
    "parse_items",
    "summary",
    "update_record",
]


# The metadata options of both groups' create and update commands.
Description = typer.Option(None, "--description", help="What it is for.")
Disabled = typer.Option(False, "--disabled", help="Create it disabled.")
Enabled = typer.Option(None, "--enable/--disable", help="Turn it on or off.")


def parse_items(items: list[str] | None, flag: str) -> list[dict[str, Any]]:
    """Repeated ``--target``/``--step`` values: ``NAME=PATH`` or a JSON object each."""
    parsed: list[dict[str, Any]] = []
    for raw in items or []:
        if raw.lstrip().startswith("{"):
            value = parse_json(raw, flag)
            if not isinstance(value, dict):
                raise fail(f"{flag} must be NAME=PATH or a JSON object")
            parsed.append(value)
            continue
        name, sep, path = raw.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise fail(f"{flag} must be NAME=PATH or a JSON object, got {raw!r}")
        parsed.append({"name": name.strip(), "target_path": path.strip()})
    return parsed


def summary(record: Any, children: str) -> dict[str, Any]:
    """A record as a table row, its children as ``name=path`` pairs."""
    row: dict[str, Any] = record.model_dump(mode="json", exclude={children})
    row[children] = ", ".join(f"{c.name}={c.target_path}" for c in getattr(record, children))
    return row


def add_shared_commands(app: typer.Typer, resource: str, what: str, columns: list[str]) -> None:
    """Register ``list``, ``show``, ``delete`` and ``dispatch`` for ``client.<resource>``."""
    children = "targets" if resource == "broadcasts" else "steps"

    add_list_command(
        app,
        lambda client, skip, limit: getattr(client, resource).list(skip=skip, limit=limit),
        [*columns, children],
        f"List the customer's {resource}.",
        rows=lambda page: [summary(r, children) for r in page.data],
    )

    id_help = f"The {what}'s id."
    add_show_command(
        app,
        "show",
        lambda client, record_id: getattr(client, resource).get(record_id),
        "record_id",
        id_help,
        f"Show one {what} with its {children}.",
    )
    add_delete_command(
        app,
        what,
        lambda client, record_id: getattr(client, resource).delete(record_id).message,
        "record_id",
        id_help,
        f"Delete a {what} and its {children}.",
    )
    prefix = "b" if resource == "broadcasts" else "c"
    add_dispatch_command(
        app,
        lambda client, name, **options: getattr(client, resource).dispatch(name, **options),
        f"The {what}'s name.",
        f"Send one request through the {what} at /{prefix}/<name>.",
    )


def changes(enabled: bool | None = None, **given: Any) -> dict[str, Any]:
    """The fields an ``update`` command was given (options left out are None)."""
    out = {k: v for k, v in given.items() if v is not None}
    if enabled is not None:
        out["enabled"] = enabled
    return out


def create_record(
    resource: str,
    items: list[str] | None,
    output: str,
    api_key: str | None,
    base_url: str | None,
    **fields: Any,
) -> None:
    """What ``create`` does: parse the ``--target``/``--step`` items, create, print."""
    children, flag = ("targets", "--target") if resource == "broadcasts" else ("steps", "--step")
    parsed = parse_items(items, flag)
    with connect(api_key, base_url) as client:
        created = getattr(client, resource).create(**fields, **{children: parsed})
    emit(created, output)


def update_record(
    resource: str,
    record_id: str,
    output: str,
    api_key: str | None,
    base_url: str | None,
    enabled: bool | None,
    **given: Any,
) -> None:
    """What ``update`` does: send only the options given, print the updated record."""
    fields = changes(enabled, **given)
    with connect(api_key, base_url) as client:
        emit(getattr(client, resource).update(record_id, **fields), output)


def add_child_commands(app: typer.Typer, resource: str, child: str, flag: str) -> None:
    """Register ``remove`` and ``replace`` of a broadcast's targets or a chain's steps."""
    what = resource[:-1]
    plural = f"{child}s"

    @app.command("remove")
    def remove_child(
        record_id: str = typer.Argument(..., help=f"The {what}'s id."),
        child_id: str = typer.Argument(..., help=f"The {child}'s id."),
        yes: Yes = False,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
    ) -> None:
        confirm(f"Remove {child} {child_id}?", yes)
        with connect(api_key, base_url) as client:
            manager = getattr(client, resource)
            typer.echo(getattr(manager, f"remove_{child}")(record_id, child_id).message)

    remove_child.__doc__ = f"Remove a {child}."

    @app.command("replace")
    def replace_children(
        record_id: str = typer.Argument(..., help=f"The {what}'s id."),
        item: list[str] | None = typer.Option(  # noqa: B008 - the flag differs per resource
            None, flag, flag[1:3], help="NAME=PATH or a JSON object (repeatable, in order)."
        ),
        yes: Yes = False,
        output: Output = "table",
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
    ) -> None:
        items = parse_items(item, flag)
        confirm(f"Replace every {child} of {record_id} with {len(items)}?", yes)
        with connect(api_key, base_url) as client:
            manager = getattr(client, resource)
            emit(getattr(manager, f"replace_{plural}")(record_id, items), output)

    replace_children.__doc__ = f"Replace every {child} at once (none given: remove them all)."
