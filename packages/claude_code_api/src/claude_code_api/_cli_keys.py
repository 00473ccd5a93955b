"""`claude-api keys`: create, list, revoke and provision API keys."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from ._cli_shared import Db, console, fail, print_json
from ._keystore import KeyStore
from .service._admin import Admin
from .service._profiles import PROFILES
from .service._store import KeyRecord, mask_key

__all__ = ["keys_app"]

keys_app = typer.Typer(help="Create, list, revoke and provision API keys.", no_args_is_help=True)

Profile = Literal["free", "pro", "enterprise"]


def _key(admin: Admin, key_or_id: str) -> KeyRecord:
    record = admin.find_key(key_or_id)
    if record is None:
        raise fail(
            f"no such key: {mask_key(key_or_id) if key_or_id.startswith('cc_') else key_or_id}"
        )
    return record


def _when(epoch: float | None) -> str:
    return "-" if epoch is None else time.strftime("%Y-%m-%d %H:%M", time.gmtime(epoch))


@keys_app.command("create")
def keys_create(
    project_id: Annotated[str, typer.Option("--project-id", "-p", help="Project billed.")],
    profile: Annotated[Profile, typer.Option(help="Permission profile.")] = "enterprise",
    rate_limit: Annotated[int, typer.Option(min=1, help="Requests per minute.")] = 100,
    name: Annotated[str | None, typer.Option(help="A label for the key.")] = None,
    allow_project: Annotated[
        list[str] | None,
        typer.Option(help="Another project the key may act for (repeatable; * for any)."),
    ] = None,
    save_as: Annotated[
        str | None, typer.Option(help="Also store the key in the key store under this id.")
    ] = None,
    output: Annotated[Literal["text", "json", "env"], typer.Option(help="Output format.")] = "text",
    db: Db = None,
) -> None:
    """Create a key. It is shown once: only its hash is stored."""
    if not project_id.strip():
        raise fail("--project-id must not be empty", 2)
    key, record = Admin(db).create_key(
        project_id=project_id,
        profile=profile,
        rate_limit=rate_limit,
        name=name,
        allowed_projects=allow_project or (),
    )
    if save_as:
        KeyStore().put(save_as, {"key": key, "project_id": project_id, "profile": profile})
    if output == "json":
        print_json({**record.to_dict(), "key": key})
    elif output == "env":
        typer.echo(f"export CLAUDE_API_KEY={key}")
    else:
        console.print(
            f"[green]Created key[/green] {record.id} for project {project_id} ({profile})"
        )
        console.print("Store it now; it cannot be shown again:")
        typer.echo(key)


@keys_app.command("list")
def keys_list(
    project_id: Annotated[str | None, typer.Option("--project-id", "-p")] = None,
    active_only: Annotated[bool, typer.Option("--active-only", help="Hide revoked keys.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
    db: Db = None,
) -> None:
    """List keys (masked)."""
    records = Admin(db).list_keys(project_id=project_id, active_only=active_only)
    if as_json:
        print_json([record.to_dict() for record in records])
        return
    table = Table(title=f"API keys ({len(records)})")
    for column in ("id", "key", "project", "profile", "rate/min", "status", "last used"):
        # The id and the masked key are what a reader copies: never cut them.
        table.add_column(column, no_wrap=column in ("id", "key"))
    for r in records:
        table.add_row(
            r.id,
            r.key_hint,
            r.project_id,
            r.profile,
            str(r.rate_limit),
            "[red]revoked[/red]" if r.revoked else "[green]active[/green]",
            _when(r.last_used_at),
        )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="The key or its id.")],
    force: Annotated[bool, typer.Option("--force", help="Do not ask for confirmation.")] = False,
    db: Db = None,
) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    admin = Admin(db)
    record = _key(admin, key)
    if record.revoked:
        console.print(f"Key {record.id} was already revoked")
        return
    if not force and not typer.confirm(f"Revoke key {record.id} ({record.key_hint})?"):
        raise fail("not revoked")
    admin.update_key(record.id, revoked=True)
    console.print(f"[green]Revoked[/green] {record.id}")


@keys_app.command("permissions")
def keys_permissions(
    key: Annotated[str, typer.Argument(help="The key or its id.")],
    set_profile: Annotated[Profile | None, typer.Option(help="Change the profile.")] = None,
    max_cost: Annotated[
        float | None, typer.Option(min=0.0, help="Max USD per task for this key.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: Db = None,
) -> None:
    """Show (or change) what a key may do."""
    admin = Admin(db)
    record = _key(admin, key)
    changes: dict[str, Any] = {}
    if set_profile is not None:
        changes["profile"] = set_profile
    if max_cost is not None:
        changes["max_cost_per_task"] = max_cost
    if changes:
        admin.update_key(record.id, **changes)
        record = _key(admin, record.id)
    profile = PROFILES[record.profile]
    view = {
        "id": record.id,
        "profile": record.profile,
        "allowed_tools": list(profile.allowed_tools),
        "blocked_tools": list(profile.blocked_tools),
        "allowed_agents": list(profile.allowed_agents),
        "allowed_skills": list(profile.allowed_skills),
        "max_cost_per_task": record.max_cost_per_task or profile.max_cost_per_task,
        "max_timeout": profile.max_timeout,
        "projects": [record.project_id, *record.allowed_projects],
    }
    if as_json:
        print_json(view)
        return
    for name, value in view.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        console.print(f"[bold]{name}[/bold]: {shown or '-'}", highlight=False)


@keys_app.command("test")
def keys_test(
    key: Annotated[str, typer.Argument(help="The key (cc_...).")],
    db: Db = None,
) -> None:
    """Check that a key exists and is active (exit 1 otherwise)."""
    if not key.startswith("cc_"):
        raise fail("a key starts with cc_", 2)
    record = Admin(db).find_key(key)
    if record is None:
        raise fail("invalid key")
    if record.revoked:
        raise fail(f"key {record.id} is revoked")
    console.print(
        f"[green]Valid[/green]: {record.id}, project {record.project_id}, {record.profile}"
    )


@keys_app.command("provision")
def keys_provision(
    service_id: Annotated[str, typer.Argument(help="Id of the service the key is for.")],
    profile: Annotated[Profile, typer.Option()] = "enterprise",
    project_id: Annotated[
        str | None, typer.Option("--project-id", "-p", help="Default: the service id.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Create a new key even if stored.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the key.")] = False,
    db: Db = None,
) -> None:
    """Get the stored key of a service, or create and store one (mode 0600)."""
    store = KeyStore()
    entry = None if force else store.get(service_id)
    if entry is None:
        key, record = Admin(db).create_key(
            project_id=project_id or service_id, profile=profile, name=service_id
        )
        entry = {"key": key, "project_id": record.project_id, "profile": profile, "id": record.id}
        store.put(service_id, entry)
        message = f"Created and stored a key for {service_id} in {store.path}"
    else:
        message = f"Using the stored key for {service_id}"
    if not quiet:
        console.print(message, highlight=False)
    typer.echo(entry["key"])


@keys_app.command("get")
def keys_get(
    service_id: Annotated[str, typer.Argument()],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the key.")] = False,
) -> None:
    """Print the stored key of a service (exit 1 when none)."""
    entry = KeyStore().get(service_id)
    if entry is None:
        raise fail(f"no stored key for {service_id}; run: claude-api keys provision {service_id}")
    if not quiet:
        console.print(f"{service_id}: project {entry.get('project_id')}, {entry.get('profile')}")
    typer.echo(entry["key"])


@keys_app.command("store-list")
def keys_store_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the key store's entries (keys masked)."""
    entries = KeyStore().load()
    masked = {sid: {**e, "key": mask_key(str(e.get("key", "")))} for sid, e in entries.items()}
    if as_json:
        print_json(masked)
        return
    table = Table(title=f"Stored keys ({len(entries)})")
    for column in ("service", "key", "project", "profile"):
        table.add_column(column)
    for sid, e in sorted(masked.items()):
        table.add_row(sid, e["key"], str(e.get("project_id")), str(e.get("profile")))
    console.print(table)
