"""``unitysvc-emulator serve`` as a real process: banner, keys, --db persistence."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from unitysvc_fixtures import wait_for

from unitysvc import Client
from unitysvc.emulator._cli import build_config


@contextmanager
def _serve(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    # Port 0 for both servers: each binds a free port before the banner names it, so no other
    # process can take it between choosing and listening.
    command = [
        sys.executable,
        "-c",
        "from unitysvc.emulator._cli import main; main()",
        "serve",
        "--port",
        "0",
        "--upstream-port",
        "0",
        "--log-level",
        "warning",
        *args,
    ]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        while not any(line.startswith("export UNITYSVC_SMTP_BASE_URL") for line in lines):
            line = proc.stdout.readline()
            if not line:
                raise AssertionError("emulator exited: " + "".join(lines))
            lines.append(line.strip())
        [url] = [line.split()[-1] for line in lines if " emulator listening on " in line]
        port = int(url.rsplit(":", 1)[1])

        def up() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return True
            except OSError:
                return False

        wait_for(up)
        assert any(url in line for line in lines)
        yield proc, lines
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _exports(lines: list[str]) -> dict[str, str]:
    pairs = [
        line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export ")
    ]
    return dict(pairs)


def test_serve_prints_exports_and_serves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNITYSVC_API_KEY", raising=False)
    db = str(tmp_path / "cli.db")
    with _serve("--db", db) as (_, lines):
        env = _exports(lines)
        assert set(env) == {
            "UNITYSVC_API_KEY",
            "UNITYSVC_API_URL",
            "UNITYSVC_API_BASE_URL",
            "UNITYSVC_S3_BASE_URL",
            "UNITYSVC_SMTP_BASE_URL",
        }
        assert env["UNITYSVC_API_KEY"].startswith("svcpass_")
        with Client(
            env["UNITYSVC_API_KEY"],
            base_url=env["UNITYSVC_API_URL"],
            api_base_url=env["UNITYSVC_API_BASE_URL"],
        ) as client:
            client.secrets.set("FROM_CLI", "1")
            assert client.groups.dispatch("llm", json={"messages": []}).status_code == 200
    # A restart on the same file gets the same made-up key back (state stays reachable).
    assert build_config(db=db).api_keys == (env["UNITYSVC_API_KEY"],)


def test_key_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNITYSVC_API_KEY", "svcpass_from_env")
    assert build_config().api_keys == ("svcpass_from_env",)
    assert build_config(api_keys=["svcpass_a", "svcpass_b"]).api_keys == ("svcpass_a", "svcpass_b")
    monkeypatch.delenv("UNITYSVC_API_KEY")
    assert build_config().api_keys[0].startswith("svcpass_")
