"""`claude-api`: keys, usage and the service from a shell (typer + rich; extra `[service]`).

The database is `--db` or `CLAUDE_API_DB` (default `claude_api.db` in `CLAUDE_API_HOME`,
~/.claude-api), created on first use. Exit codes: 0 success, 1 not found / not running /
invalid key, 2 bad input.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import httpx
import typer
from rich.console import Console
from rich.table import Table

from ._keystore import KeyStore, home
from .service._admin import Admin
from .service._config import DEFAULT_PORT, ServiceConfig
from .service._profiles import PROFILES
from .service._store import KeyRecord, mask_key

__all__ = ["app", "main"]

app = typer.Typer(
    help="Claude Code API: API keys, usage and the service.",
    add_completion=False,
    no_args_is_help=True,
)
keys_app = typer.Typer(help="Create, list, revoke and provision API keys.", no_args_is_help=True)
service_app = typer.Typer(help="Start, stop and check the service.", no_args_is_help=True)
budget_app = typer.Typer(help="Monthly budgets of projects.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(service_app, name="service")
app.add_typer(budget_app, name="budget")

console = Console()
errors = Console(stderr=True)

Db = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="CLAUDE_API_DB", help="Database file or URL (created on first use)."
    ),
]
Profile = Literal["free", "pro", "enterprise"]


def _fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[red]Error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def _admin(db: str | None) -> Admin:
    return Admin(db)


def _key(admin: Admin, key_or_id: str) -> KeyRecord:
    record = admin.find_key(key_or_id)
    if record is None:
        raise _fail(
            f"no such key: {mask_key(key_or_id) if key_or_id.startswith('cc_') else key_or_id}"
        )
    return record


def _when(epoch: float | None) -> str:
    return "-" if epoch is None else time.strftime("%Y-%m-%d %H:%M", time.gmtime(epoch))


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2))


# -- keys ------------------------------------------------------------------------------------


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
        raise _fail("--project-id must not be empty", 2)
    key, record = _admin(db).create_key(
        project_id=project_id,
        profile=profile,
        rate_limit=rate_limit,
        name=name,
        allowed_projects=allow_project or (),
    )
    if save_as:
        KeyStore().put(save_as, {"key": key, "project_id": project_id, "profile": profile})
    if output == "json":
        _print_json({**record.to_dict(), "key": key})
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
    records = _admin(db).list_keys(project_id=project_id, active_only=active_only)
    if as_json:
        _print_json([record.to_dict() for record in records])
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
    admin = _admin(db)
    record = _key(admin, key)
    if record.revoked:
        console.print(f"Key {record.id} was already revoked")
        return
    if not force and not typer.confirm(f"Revoke key {record.id} ({record.key_hint})?"):
        raise _fail("not revoked")
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
    admin = _admin(db)
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
        _print_json(view)
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
        raise _fail("a key starts with cc_", 2)
    record = _admin(db).find_key(key)
    if record is None:
        raise _fail("invalid key")
    if record.revoked:
        raise _fail(f"key {record.id} is revoked")
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
        key, record = _admin(db).create_key(
            project_id=project_id or service_id, profile=profile, name=service_id
        )
        entry = {"key": key, "project_id": record.project_id, "profile": profile, "id": record.id}
        store.put(service_id, entry)
        message = f"Created and stored a key for {service_id} in {store.path}"
    else:
        message = f"Using the stored key for {service_id}"
    if quiet:
        typer.echo(entry["key"])
    else:
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
        raise _fail(f"no stored key for {service_id}; run: claude-api keys provision {service_id}")
    if not quiet:
        console.print(f"{service_id}: project {entry.get('project_id')}, {entry.get('profile')}")
    typer.echo(entry["key"])


@keys_app.command("store-list")
def keys_store_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the key store's entries (keys masked)."""
    entries = KeyStore().load()
    masked = {sid: {**e, "key": mask_key(str(e.get("key", "")))} for sid, e in entries.items()}
    if as_json:
        _print_json(masked)
        return
    table = Table(title=f"Stored keys ({len(entries)})")
    for column in ("service", "key", "project", "profile"):
        table.add_column(column)
    for sid, e in sorted(masked.items()):
        table.add_row(sid, e["key"], str(e.get("project_id")), str(e.get("profile")))
    console.print(table)


# -- usage and budgets -----------------------------------------------------------------------


@app.command("usage")
def usage(
    project_id: Annotated[str, typer.Option("--project-id", "-p")] = "default",
    period: Annotated[Literal["day", "week", "month"], typer.Option()] = "month",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: Db = None,
) -> None:
    """Usage of a project over a period, by model."""
    stats = _admin(db).usage(project_id, period)
    if as_json:
        _print_json(stats)
        return
    table = Table(title=f"Usage of {project_id} this {period}")
    for column in ("model", "requests", "tokens", "cost (USD)"):
        table.add_column(column, justify="right")
    for model, row in stats["by_model"].items():
        table.add_row(model, str(row["requests"]), f"{row['tokens']:,}", f"{row['cost']:.6f}")
    table.add_row(
        "total",
        str(stats["total_requests"]),
        f"{stats['total_tokens']:,}",
        f"{stats['total_cost']:.6f}",
        style="bold",
    )
    console.print(table)
    if stats["limit"] is not None:
        console.print(f"Budget: {stats['remaining']:.4f} of {stats['limit']:.4f} USD left")


@budget_app.command("set")
def budget_set(
    project_id: Annotated[str, typer.Argument()],
    usd: Annotated[str, typer.Argument(help="Monthly limit in USD, or 'none' for unlimited.")],
    db: Db = None,
) -> None:
    """Set a project's monthly budget."""
    try:
        limit = None if usd.lower() == "none" else float(usd)
    except ValueError:
        raise _fail(f"USD must be a number or 'none', got {usd!r}", 2) from None
    if limit is not None and limit < 0:
        raise _fail("USD must be >= 0", 2)
    _admin(db).set_budget(project_id, limit)
    shown = "unlimited" if limit is None else f"{limit:.2f} USD a month"
    console.print(f"Budget of {project_id}: {shown}")


# -- service ---------------------------------------------------------------------------------


def _pid_file() -> Path:
    return home() / "service.json"


def _engine_options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise _fail(f"--engine-option must be NAME=VALUE, got {pair!r}", 2)
        try:
            options[name] = json.loads(raw)
        except ValueError:
            options[name] = raw
    return options


@service_app.command("start")
def service_start(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = DEFAULT_PORT,
    db: Db = None,
    engine: Annotated[str, typer.Option(help="offline, claude-cli or anthropic.")] = "offline",
    engine_option: Annotated[
        list[str] | None, typer.Option(help="NAME=VALUE passed to the engine (repeatable).")
    ] = None,
    batch_concurrency: Annotated[int, typer.Option(min=1)] = 8,
    allow_dir: Annotated[
        list[Path] | None, typer.Option(help="A directory tasks may name (repeatable).")
    ] = None,
    default_budget: Annotated[
        float | None, typer.Option(min=0.0, help="Monthly USD budget of projects without one.")
    ] = None,
    workspace_root: Annotated[
        Path | None, typer.Option(help="Where tasks get their working directories.")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (more than 1: use PostgreSQL, see --db).")
    ] = 1,
    max_body_size: Annotated[
        int, typer.Option(min=0, help="Largest request body in bytes; larger ones get 413.")
    ] = ServiceConfig.max_body_size,
    background: Annotated[bool, typer.Option("--background", help="Detach and return.")] = False,
) -> None:
    """Run the service (foreground, or detached with --background)."""
    options = _engine_options(engine_option or [])
    if background:
        args = ["--host", host, "--port", str(port), "--engine", engine]
        args += [f"--engine-option={pair}" for pair in engine_option or []]
        args += [f"--allow-dir={folder}" for folder in allow_dir or []]
        args += ["--batch-concurrency", str(batch_concurrency), "--workers", str(workers)]
        args += ["--max-body-size", str(max_body_size)]
        if default_budget is not None:
            args += ["--default-budget", str(default_budget)]
        if workspace_root is not None:
            args += ["--workspace-root", str(workspace_root)]
        if db is not None:
            args += ["--db", db]
        _start_background(args, f"http://{host}:{port}")
        return
    config = ServiceConfig(
        db=db,
        engine=engine,
        engine_options=options,
        batch_concurrency=batch_concurrency,
        allowed_directories=tuple(allow_dir or ()),
        default_budget_usd=default_budget,
        workspace_root=workspace_root,
        max_body_size=max_body_size,
    )
    console.print(
        f"Claude Code API on http://{host}:{port} (engine {engine}, {workers} worker(s),"
        " docs at /docs)",
        highlight=False,
    )
    from .service._workers import run_workers

    run_workers(config, host=host, port=port, workers=workers)


def _start_background(args: list[str], url: str) -> None:
    if _health(url) is not None:
        raise _fail(f"a service already answers on {url}")
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "service.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_code_api._cli", "service", "start", *args],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    _pid_file().write_text(json.dumps({"pid": process.pid, "url": url}))
    deadline = time.monotonic() + 20
    while _health(url) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            raise _fail(f"the service did not start; see {folder / 'service.log'}")
        time.sleep(0.1)
    console.print(f"Service started in the background on {url} (pid {process.pid})")


def _health(url: str) -> dict[str, Any] | None:
    try:
        response = httpx.get(f"{url}/health", timeout=2.0)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    body: dict[str, Any] = response.json()
    return body


def _recorded() -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(_pid_file().read_text())
    except (FileNotFoundError, ValueError):
        return None
    return data


@service_app.command("status")
def service_status(
    url: Annotated[
        str | None, typer.Option(help="Default: the background service, else :8006.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Whether the service answers (exit 1 when it does not)."""
    recorded = _recorded()
    target = url or (recorded or {}).get("url") or f"http://127.0.0.1:{DEFAULT_PORT}"
    health = _health(target)
    if health is None:
        raise _fail(f"no service answers on {target}")
    if as_json:
        _print_json(health)
        return
    console.print(
        f"[green]{health['status']}[/green] on {target}: engine {health.get('engine')}, "
        f"database {health['services']['database']['status']}",
        highlight=False,
    )


@service_app.command("stop")
def service_stop() -> None:
    """Stop the service started with --background."""
    recorded = _recorded()
    if recorded is None:
        raise _fail("no background service recorded")
    pid = int(recorded["pid"])
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        _pid_file().unlink(missing_ok=True)
        raise _fail(f"process {pid} was not running") from None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    _pid_file().unlink(missing_ok=True)
    console.print(f"Stopped the service (pid {pid})")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `claude-api` console script."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="claude-api")
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
