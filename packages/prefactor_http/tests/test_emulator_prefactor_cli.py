"""``prefactor-emulator serve``: flags and environment turned into a config, the banner, and
a real server process whose ``--db`` state and made-up credentials survive a restart."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefactor_fixtures import LLM_SCHEMA_VERSION, VERSION
from typer.testing import CliRunner

from prefactor_http import HttpClientConfig, SyncPrefactorHttpClient
from prefactor_http.emulator import PrefactorEmulator, app_state
from prefactor_http.emulator import _cli as cli
from sdkcore.emulator import _cli as sdkcore_cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run_server(app: Any, *, sock: Any, **options: Any) -> None:
        assert sock is None  # bound by uvicorn, as the port is given
        calls.append({"config": app_state(app).config, **options})
        app_state(app).db.close()

    # The command is built by sdkcore, which serves the app.
    monkeypatch.setattr(sdkcore_cli, "run_server", fake_run_server)
    monkeypatch.delenv("PREFACTOR_API_TOKEN", raising=False)
    return calls


def test_serve_with_every_option(served: list[dict[str, Any]], tmp_path: Path) -> None:
    db = str(tmp_path / "state.db")
    args = [
        "serve",
        "--host", "127.0.0.1",
        "--port", "9123",
        "--db", db,
        "--api-token", "pfx_one",
        "--api-token", "pfx_two",
        "--agent", "agent_a",
        "--agent", "agent_b",
        "--log-level", "warning",
    ]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    [run] = served
    config = run.pop("config")
    assert run == {"host": "127.0.0.1", "port": 9123, "log_level": "warning"}
    assert set(config.tokens) == {"pfx_one", "pfx_two"}
    [account] = set(config.tokens.values())
    assert config.agents == {account: ("agent_a", "agent_b")}
    assert config.db == db
    assert "export PREFACTOR_API_URL=http://127.0.0.1:9123" in result.output
    assert "export PREFACTOR_API_TOKEN=pfx_one" in result.output
    assert "export PREFACTOR_AGENT_ID=agent_a" in result.output


def test_serve_without_options_makes_up_a_token_and_an_agent(
    served: list[dict[str, Any]],
) -> None:
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    config = served[0]["config"]
    [(token, account)] = config.tokens.items()
    assert token.startswith("pfx_test_")
    [agent] = config.agents[account]
    assert f"export PREFACTOR_API_TOKEN={token}" in result.output
    assert f"export PREFACTOR_AGENT_ID={agent}" in result.output
    assert "in memory" in result.output
    assert served[0]["port"] == cli.DEFAULT_PORT


def test_serve_reads_the_token_from_the_environment(served: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli.app, ["serve"], env={"PREFACTOR_API_TOKEN": "pfx_env"})
    assert result.exit_code == 0, result.output
    assert list(served[0]["config"].tokens) == ["pfx_env"]


def test_without_a_command_help_is_shown() -> None:
    assert "serve" in CliRunner().invoke(cli.app, []).output


@contextmanager
def _serving(db: Path) -> Iterator[dict[str, str]]:
    """Run the console script on a free port (``--port 0``: it binds before printing the
    banner, so no other process can take the port meanwhile); yield the banner's export
    lines once it answers."""
    script = shutil.which("prefactor-emulator", path=os.path.dirname(sys.executable))
    assert script is not None, "the prefactor-emulator console script is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFACTOR_")}
    args = [script, "serve", "--port", "0", "--db", str(db), "--log-level", "warning"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    try:
        exports: dict[str, str] = {}
        assert process.stdout is not None
        while "PREFACTOR_AGENT_ID" not in exports:
            line = process.stdout.readline()
            assert line, "the emulator exited before printing its banner"
            if match := re.fullmatch(r"export (\w+)=(\S+)\n", line):
                exports[match[1]] = match[2]
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.get(f"{exports['PREFACTOR_API_URL']}/api/v1/ping", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the emulator did not start listening"
                time.sleep(0.05)
        yield exports
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_db_state_and_made_up_credentials_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "prefactor.sqlite3"
    with _serving(db) as exports:
        config = HttpClientConfig(exports["PREFACTOR_API_URL"], exports["PREFACTOR_API_TOKEN"])
        with SyncPrefactorHttpClient(config) as client:
            agent_id = exports["PREFACTOR_AGENT_ID"]
            instance = client.agent_instances.register(agent_id, VERSION, LLM_SCHEMA_VERSION)
            client.agent_instances.start(instance.id)
            client.agent_spans.create(
                instance.id, "agent:llm", "active", payload={"model": "m", "prompt": "p"}
            )
    with _serving(db) as again:
        # The port may differ (each run takes a free one); the credentials may not.
        url = again.pop("PREFACTOR_API_URL")
        exports.pop("PREFACTOR_API_URL")
        assert again == exports
        with SyncPrefactorHttpClient(HttpClientConfig(url, again["PREFACTOR_API_TOKEN"])) as client:
            restored = client.agent_instances.get(instance.id)
            assert restored.status == "active"
            assert restored.span_counts is not None
            assert restored.span_counts.total == 1
            finished = client.agent_instances.finish(instance.id)
            assert finished.status == "complete"


def test_in_process_emulator_persists_to_a_file(tmp_path: Path) -> None:
    db = str(tmp_path / "inproc.sqlite3")
    with PrefactorEmulator(db=db) as first, SyncPrefactorHttpClient(first.config()) as client:
        instance = client.agent_instances.register("agent_123", VERSION, LLM_SCHEMA_VERSION)
    with PrefactorEmulator(db=db) as second, SyncPrefactorHttpClient(second.config()) as client:
        assert client.agent_instances.get(instance.id).id == instance.id
    with PrefactorEmulator() as memory, SyncPrefactorHttpClient(memory.config()) as client:
        assert client.agents.list()[0].id == "agent_123"
        assert memory.db.scalar("SELECT COUNT(*) FROM instances") == 0
