"""`claude-api` end to end: keys made by the CLI used by the client, usage read back."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claude_code_api import AuthenticationError, ClaudeClient
from claude_code_api._cli import app
from claude_code_api.service import ClaudeService


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CLAUDE_API_HOME and CLAUDE_API_DB in a temporary directory; returns the db path."""
    monkeypatch.setenv("CLAUDE_API_HOME", str(tmp_path / "home"))
    db = tmp_path / "cli.db"
    monkeypatch.setenv("CLAUDE_API_DB", str(db))
    return db


@pytest.fixture
def cli_service(cli_env: Path) -> Iterator[ClaudeService]:
    """A service on the CLI's database."""
    with ClaudeService(db=str(cli_env)) as svc:
        yield svc


def claude_api(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_key_from_the_cli_works_with_the_client(cli_service: ClaudeService) -> None:
    code, out = claude_api("keys", "create", "-p", "cli-project", "--output", "json")
    assert code == 0
    created = json.loads(out)
    key = created["key"]
    assert key.startswith("cc_")
    assert len(key) == 43
    with ClaudeClient(**cli_service.client_kwargs(key)) as client:
        response = client.complete("Hello", model="haiku")
    code, out = claude_api("usage", "-p", "cli-project", "--json")
    assert code == 0
    usage = json.loads(out)
    assert usage["total_tokens"] == response.usage.total_tokens
    assert usage["by_model"]["offline:haiku"]["requests"] == 1
    code, table = claude_api("usage", "-p", "cli-project")
    assert "offline:haiku" in table


def test_keys_list_is_masked(cli_env: Path) -> None:
    code, out = claude_api("keys", "create", "-p", "p1", "--output", "env")
    assert code == 0
    key = out.strip().removeprefix("export CLAUDE_API_KEY=")
    code, listing = claude_api("keys", "list", "--json")
    assert code == 0
    assert key not in listing
    assert json.loads(listing)[0]["key"] == f"{key[:7]}...{key[-4:]}"
    code, table = claude_api("keys", "list")
    assert code == 0
    assert key not in table
    assert "API keys (1)" in table
    assert cli_env.exists()  # created on first use


def test_revoke_and_test(cli_service: ClaudeService) -> None:
    code, out = claude_api("keys", "create", "-p", "p2", "--output", "env")
    key = out.strip().removeprefix("export CLAUDE_API_KEY=")
    assert claude_api("keys", "test", key)[0] == 0
    code, _ = claude_api("keys", "revoke", key, "--force")
    assert code == 0
    code, out = claude_api("keys", "test", key)
    assert code == 1
    assert "revoked" in out
    with (
        ClaudeClient(**cli_service.client_kwargs(key)) as client,
        pytest.raises(AuthenticationError),
    ):
        client.complete("Hello")


def test_permissions(cli_env: Path) -> None:
    code, out = claude_api("keys", "create", "-p", "p3", "--profile", "free", "--output", "json")
    key_id = json.loads(out)["id"]
    code, out = claude_api("keys", "permissions", key_id, "--json")
    assert code == 0
    assert json.loads(out)["allowed_tools"] == ["Read", "Grep", "Glob"]
    code, out = claude_api(
        "keys", "permissions", key_id, "--set-profile", "enterprise", "--max-cost", "2.5", "--json"
    )
    assert code == 0
    view = json.loads(out)
    assert (view["profile"], view["max_cost_per_task"]) == ("enterprise", 2.5)


def test_key_store_is_private(cli_env: Path) -> None:
    code, first = claude_api("keys", "provision", "svc-a", "-q")
    assert code == 0
    code, again = claude_api("keys", "provision", "svc-a", "-q")
    assert again == first
    code, fetched = claude_api("keys", "get", "svc-a", "-q")
    assert fetched == first
    store = Path(os.environ["CLAUDE_API_HOME"]) / "keys.json"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    code, listing = claude_api("keys", "store-list", "--json")
    assert first.strip() not in listing
    assert "svc-a" in json.loads(listing)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("keys", "create"), 2, "Missing option"),
        (("keys", "create", "-p", "x", "--profile", "gold"), 2, "gold"),
        (("keys", "create", "-p", "x", "--rate-limit", "0"), 2, "rate-limit"),
        (("keys", "revoke", "key_nope", "--force"), 1, "no such key"),
        (("keys", "get", "unknown"), 1, "no stored key"),
        (("keys", "test", "nope"), 2, "starts with cc_"),
        (("budget", "set", "p", "lots"), 2, "must be a number"),
        (
            (
                "service",
                "stop",
            ),
            1,
            "no background service",
        ),
    ],
)
def test_bad_input_exit_codes(
    cli_env: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    exit_code, out = claude_api(*args)
    assert exit_code == code
    assert message in out


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    """`claude-api ARGS` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "claude_code_api._cli", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_service_in_the_background(cli_env: Path) -> None:
    # Port 0: the port the OS picks is bound before the detached process starts and printed.
    started = _script("service", "start", "--port", "0", "--background")
    try:
        assert started.returncode == 0, started.stderr
        match = re.search(
            r"^export CLAUDE_API_URL=(http://127\.0\.0\.1:(\d+))$", started.stdout, re.M
        )
        assert match is not None, started.stdout
        url = match[1]
        assert int(match[2]) != 0
        status = _script("service", "status", "--json")
        assert status.returncode == 0
        assert json.loads(status.stdout)["engine"] == "offline"
        assert _script("service", "status", "--url", url).returncode == 0
    finally:
        stopped = _script("service", "stop")
    assert stopped.returncode == 0
    assert _script("service", "status", "--url", url).returncode == 1


def test_service_start_on_a_busy_port_fails(cli_env: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        started = _script("service", "start", "--port", port, "--background")
    assert started.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in started.stderr
