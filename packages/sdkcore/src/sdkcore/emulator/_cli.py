"""The SDKs' ``<package>-emulator`` commands: one ``serve`` built here, configured per package.

A package writes one function that turns its own options into the app to serve and its
banner (`serve_command`); the host, port, ``--db``, ``--fault``, ``--max-body-size`` and
``--log-level`` options, printing the banner and serving until Ctrl-C are done here.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Annotated, Any, TypeAlias, TypeVar

import typer
from starlette.applications import Starlette

from ._body_limit import DEFAULT_MAX_BODY_SIZE, install_body_limit
from ._fault_spec import FaultRule, parse_fault_header
from ._faults import FaultInjector
from ._server import ServerHandle, bind_socket, run_server
from ._storage import Database

__all__ = [
    "DbOption",
    "HostOption",
    "Launch",
    "LogLevelOption",
    "PortOption",
    "ServeOptions",
    "database_label",
    "emulator_cli",
    "parse_fault_option",
    "remember_settings",
    "remembered_settings",
    "serve_banner",
    "serve_command",
]

# The options every ``<package>-emulator serve`` has (each command sets its own defaults).
HostOption = Annotated[str, typer.Option(help="Interface to listen on.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]
DbOption = Annotated[str | None, typer.Option(help="SQLite file keeping state across restarts.")]
LogLevelOption = Annotated[str, typer.Option(help="uvicorn log level.")]


def emulator_cli(description: str) -> typer.Typer:
    """Return the Typer app of a ``<package>-emulator`` command, described by ``description``.

    Without arguments it prints its help; it keeps its subcommands (``serve``) even while
    it has only one.
    """
    app = typer.Typer(help=description, add_completion=False, no_args_is_help=True)

    def commands() -> None:
        pass

    commands.__doc__ = description
    app.callback()(commands)
    return app


_SETTINGS_SCHEMA = """
CREATE TABLE IF NOT EXISTS cli_credentials (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def remembered_settings(db: str | None) -> dict[str, str]:
    """Settings (made-up credentials) a previous ``serve --db`` run stored in ``db``, so its
    state stays reachable after a restart; {} without a database file."""
    if db is None or db == ":memory:":
        return {}
    with Database(db, schema=_SETTINGS_SCHEMA) as store:
        return {row["name"]: row["value"] for row in store.query("SELECT * FROM cli_credentials")}


def remember_settings(db: str | None, values: Mapping[str, str]) -> None:
    """Store ``values`` in ``db`` for `remembered_settings` (nothing without a database file)."""
    if db is None or db == ":memory:":
        return
    with Database(db, schema=_SETTINGS_SCHEMA) as store, store.transaction():
        for name, value in values.items():
            store.execute(
                "INSERT OR REPLACE INTO cli_credentials (name, value) VALUES (?, ?)", (name, value)
            )


def serve_banner(
    name: str, url: str, details: Mapping[str, str], exports: Sequence[str] = ()
) -> str:
    """Return the startup text printed by ``<package>-emulator serve``.

    ``details`` (e.g. database path, test API key) are listed one per line, aligned;
    ``exports`` (shell lines that point the SDK at the emulator) follow under a heading.
    """
    lines = [f"{name} emulator listening on {url}"]
    width = max((len(key) for key in details), default=0)
    lines.extend(f"  {key + ':':<{width + 1}} {value}" for key, value in details.items())
    lines.append("Press Ctrl-C to stop.")
    if exports:
        lines.extend(["", "Point the SDK here:", *exports])
    return "\n".join(lines)


def database_label(db: str) -> str:
    """How a banner names the database: the file, or that state is lost on exit."""
    return "in memory (lost on exit)" if db == ":memory:" else db


def parse_fault_option(value: str) -> FaultRule:
    """Parse one ``--fault`` value: ``[METHOD] [PATH] SPEC``, e.g. ``POST /v1/calls status=503``.

    ``SPEC`` is in `FAULT_HEADER` syntax (``;times=N`` limits the rule to N requests) and
    holds no spaces; ``PATH`` is a regular expression matching the whole path. Raises
    ValueError naming the mistake.
    """
    *target, spec = value.split() or [""]
    method = path = None
    if len(target) == 2 and target[0].isalpha():
        method, path = target
    elif len(target) == 1:
        method, path = (target[0], None) if target[0].isalpha() else (None, target[0])
    elif target:
        raise ValueError(f"expected [METHOD] [PATH] SPEC, got {value!r}")
    fault, times = parse_fault_header(spec)
    return FaultRule(fault, method=method, path=path, times=times)


@dataclass(frozen=True)
class ServeOptions:
    """The options every ``<package>-emulator serve`` has, as given on the command line."""

    host: str
    port: int
    db: str | None
    log_level: str

    @property
    def url(self) -> str:
        """The base URL the emulator will listen on."""
        return ServerHandle(self.host, self.port).url


Launch: TypeAlias = tuple[Starlette, str]
"""What a package's serve function gives back: the app to serve and the banner to print."""

LaunchFunction = TypeVar("LaunchFunction", bound=Callable[..., Any])

FaultOption = Annotated[
    list[str] | None,
    typer.Option(
        help="Inject a fault: '[METHOD] [PATH-REGEX] SPEC', SPEC in X-Emulator-Fault syntax, "
        "e.g. 'POST /v1/calls status=503;times=1' (repeatable)."
    ),
]
MaxBodySizeOption = Annotated[
    int, typer.Option(min=0, help="Largest request body in bytes; larger ones get 413.")
]


def _keyword(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


@contextlib.contextmanager
def _launched(result: Launch | AbstractContextManager[Launch]) -> Iterator[Launch]:
    if isinstance(result, tuple):
        yield result
    else:
        with result as launch:
            yield launch


def _configure(app: Starlette, faults: Sequence[FaultRule], max_body_size: int) -> None:
    install_body_limit(app, max_body_size)
    if faults:
        injector = getattr(app.state, "faults", None)
        if not isinstance(injector, FaultInjector):
            raise typer.BadParameter("this emulator has no fault injection", param_hint="--fault")
        for rule in faults:
            injector.add(rule)


def serve_command(
    cli: typer.Typer, *, default_port: int
) -> Callable[[LaunchFunction], LaunchFunction]:
    """Decorator adding ``serve`` to ``cli``, configured by the decorated function.

    The function takes a `ServeOptions` and the package's own options (typer-annotated
    keyword parameters, listed after ``--db`` in ``--help``) and returns a `Launch`, or a
    context manager yielding one (to run a companion server around the emulator). Its
    docstring is the command's help.
    """

    def decorate(launch: LaunchFunction) -> LaunchFunction:
        own = list(inspect.signature(launch, eval_str=True).parameters.values())[1:]
        parameters = [
            _keyword("host", HostOption, "127.0.0.1"),
            _keyword("port", PortOption, default_port),
            _keyword("db", DbOption, None),
            *(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY) for parameter in own),
            _keyword("fault", FaultOption, None),
            _keyword("max_body_size", MaxBodySizeOption, DEFAULT_MAX_BODY_SIZE),
            _keyword("log_level", LogLevelOption, "info"),
        ]

        def command(
            *, host: str, port: int, db: str | None, fault: list[str] | None,
            max_body_size: int, log_level: str, **own_options: Any,
        ) -> None:  # fmt: skip
            try:
                faults = [parse_fault_option(value) for value in fault or ()]
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--fault") from None
            # Port 0 binds here, so the banner names the port picked.
            sock = bind_socket(host, 0) if port == 0 else None
            with contextlib.ExitStack() as stack:
                if sock is not None:
                    stack.callback(sock.close)
                    port = sock.getsockname()[1]
                options = ServeOptions(host=host, port=port, db=db, log_level=log_level)
                app, banner = stack.enter_context(_launched(launch(options, **own_options)))
                _configure(app, faults, max_body_size)
                typer.echo(banner)
                run_server(app, host=host, port=port, log_level=log_level, sock=sock)

        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        command.__doc__ = launch.__doc__
        cli.command("serve")(command)
        return launch

    return decorate
