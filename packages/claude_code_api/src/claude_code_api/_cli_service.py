"""`claude-api service`: start (foreground or detached), check and stop the service."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from ._cli_shared import Db, console, fail, print_json
from ._keystore import home
from .service._config import DEFAULT_PORT, ServiceConfig

__all__ = ["service_app"]

service_app = typer.Typer(help="Start, stop and check the service.", no_args_is_help=True)


def _pid_file() -> Path:
    return home() / "service.json"


def _engine_options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise fail(f"--engine-option must be NAME=VALUE, got {pair!r}", 2)
        try:
            options[name] = json.loads(raw)
        except ValueError:
            options[name] = raw
    return options


@service_app.command("start")
def service_start(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on; 0: a free one, printed.")
    ] = DEFAULT_PORT,
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
    fd: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Run the service (foreground, or detached with --background)."""
    options = _engine_options(engine_option or [])
    # Bound here, not by uvicorn, so that with port 0 the banner names the port picked; a
    # --background start hands its socket to the detached process (--fd).
    sock = socket.socket(fileno=fd) if fd is not None else _bind(host, port)
    port = sock.getsockname()[1]
    url = f"http://{host}:{port}"
    if background:
        args = ["--host", host, "--port", str(port), "--fd", str(sock.fileno()), "--engine", engine]
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
        with sock:
            _start_background(args, url, sock)
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
        f"Claude Code API on {url} (engine {engine}, {workers} worker(s), docs at /docs)",
        highlight=False,
        soft_wrap=True,
    )
    typer.echo(f"Press Ctrl-C to stop.\n\n{_exports(url)}")
    from .service._workers import run_workers

    run_workers(config, sock=sock, workers=workers)


def _exports(url: str) -> str:
    # As the emulators' banners: unwrapped lines a shell (or a test) takes the URL from.
    return f"Point the SDK here:\nexport CLAUDE_API_URL={url}"


def _bind(host: str, port: int) -> socket.socket:
    from sdkcore.emulator import bind_socket

    try:
        return bind_socket(host, port)
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _start_background(args: list[str], url: str, sock: socket.socket) -> None:
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "service.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_code_api._cli", "service", "start", *args],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        pass_fds=(sock.fileno(),),
    )
    _pid_file().write_text(json.dumps({"pid": process.pid, "url": url}))
    deadline = time.monotonic() + 20
    while _health(url) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            raise fail(f"the service did not start; see {folder / 'service.log'}")
        time.sleep(0.1)
    console.print(f"Service started in the background on {url} (pid {process.pid})")
    typer.echo(f"\n{_exports(url)}")


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
        raise fail(f"no service answers on {target}")
    if as_json:
        print_json(health)
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
        raise fail("no background service recorded")
    pid = int(recorded["pid"])
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        _pid_file().unlink(missing_ok=True)
        raise fail(f"process {pid} was not running") from None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    _pid_file().unlink(missing_ok=True)
    console.print(f"Stopped the service (pid {pid})")
