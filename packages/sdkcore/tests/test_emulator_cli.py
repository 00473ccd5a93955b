"""`serve_command`: the ``serve`` every ``<package>-emulator`` has, built from one function."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import pytest
import typer
from fastapi import FastAPI
from typer.testing import CliRunner

from sdkcore.emulator import (
    Fault,
    FaultRule,
    Launch,
    ServeOptions,
    database_label,
    emulator_cli,
    install_faults,
    install_journal,
    parse_fault_option,
    serve_command,
)
from sdkcore.emulator import _cli as kit


def _app() -> FastAPI:
    app = FastAPI()
    install_faults(app)
    install_journal(app)
    return app


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []

    def record(app: FastAPI, *, sock: socket.socket | None, **options: Any) -> None:
        runs.append(options | {"app": app, "bound": None if sock is None else sock.getsockname()})

    monkeypatch.setattr(kit, "run_server", record)
    return runs


def _cli() -> tuple[typer.Typer, list[ServeOptions | str]]:
    cli = emulator_cli("Test emulator.")
    seen: list[ServeOptions | str] = []

    @serve_command(cli, default_port=9000)
    def serve(
        options: ServeOptions,
        greeting: Annotated[str, typer.Option(help="Said in the banner.")] = "hello",
    ) -> Launch:
        """Serve the test app."""
        seen.append(options)
        return _app(), f"{greeting} {options.url} {database_label(options.db or ':memory:')}"

    return cli, seen


def test_common_and_own_options_reach_the_function_and_the_server(
    served: list[dict[str, Any]],
) -> None:
    cli, seen = _cli()
    args = [
        "serve",
        "--port", "9123",
        "--db", "state.db",
        "--greeting", "hi",
        "--fault", "POST /v1/.* status=503;times=2",
        "--fault", "reset",
        "--max-body-size", "2048",
        "--log-level", "warning",
    ]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output == "hi http://127.0.0.1:9123 state.db\n"
    assert seen == [ServeOptions(host="127.0.0.1", port=9123, db="state.db", log_level="warning")]
    [run] = served
    app = run.pop("app")
    assert run == {"host": "127.0.0.1", "port": 9123, "log_level": "warning", "bound": None}
    assert app.state.faults.rules == [
        FaultRule(Fault("status", status=503), method="POST", path="/v1/.*", times=2),
        FaultRule(Fault("reset")),
    ]
    assert app.state.body_limit.max_bytes == 2048


def test_defaults(served: list[dict[str, Any]]) -> None:
    cli, _ = _cli()
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert result.output == "hello http://127.0.0.1:9000 in memory (lost on exit)\n"
    assert served[0]["port"] == 9000
    assert served[0]["log_level"] == "info"
    assert served[0]["app"].state.body_limit.max_bytes == 8 * 1024 * 1024
    assert "Serve the test app." in CliRunner().invoke(cli, ["serve", "--help"]).output


def test_port_0_is_bound_before_the_banner(served: list[dict[str, Any]]) -> None:
    cli, seen = _cli()
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 0, result.output
    [run] = served
    [options] = seen
    assert isinstance(options, ServeOptions)
    assert options.port != 0
    assert run["bound"] == ("127.0.0.1", options.port)
    assert run["port"] == options.port
    assert f"http://127.0.0.1:{options.port}" in result.output


def test_a_bad_fault_is_a_usage_error(served: list[dict[str, Any]]) -> None:
    cli, seen = _cli()
    result = CliRunner().invoke(cli, ["serve", "--fault", "status=99"])
    assert result.exit_code == 2
    assert "status code must be within 400-599" in result.output
    assert seen == []
    assert served == []


def test_a_context_manager_function_wraps_the_serving(served: list[dict[str, Any]]) -> None:
    cli = emulator_cli("Test emulator.")
    events: list[str] = []

    @serve_command(cli, default_port=9000)
    @contextmanager
    def serve(options: ServeOptions) -> Iterator[Launch]:
        """Serve the test app next to a companion."""
        events.append("companion up")
        yield _app(), "banner"
        events.append("companion down")

    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert events == ["companion up", "companion down"]
    assert len(served) == 1


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("delay=0.5", FaultRule(Fault("delay", seconds=0.5))),
        ("GET reset", FaultRule(Fault("reset"), method="GET")),
        ("/v1/calls html=504", FaultRule(Fault("html", status=504), path="/v1/calls")),
    ],
)
def test_parse_fault_option(value: str, rule: FaultRule) -> None:
    assert parse_fault_option(value) == rule


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "unknown fault kind"),
        ("GET /a /b reset", "expected"),
        ("/a /b reset", "expected"),
        ("bogus", "unknown fault kind"),
    ],
)
def test_parse_fault_option_refuses_mistakes(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fault_option(value)
