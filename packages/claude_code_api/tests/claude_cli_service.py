"""The service as a user runs it: `claude-api service start` in its own process, keys and
budgets set with `claude-api keys create` / `claude-api budget set` on its database."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

__all__ = ["CLI", "CliService", "cli_service", "serving"]

CLI = Path(sys.executable).with_name("claude-api")
"""The `claude-api` executable of this environment."""


_URL_LINE = re.compile(rb"^export CLAUDE_API_URL=(\S+)$", re.MULTILINE)


@contextlib.contextmanager
def serving(
    argv: list[str], env: dict[str, str], log_path: Path, start_timeout: float
) -> Iterator[str]:
    """Run `argv` (a service started with `--port 0`) in its own process group until
    `/health` answers at the URL its banner prints; yields that URL and stops the whole group
    afterwards. A service that exits or does not answer in time fails the test with its log."""
    log = log_path.open("w+b")
    process = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
    )
    try:
        deadline = time.monotonic() + start_timeout
        while not _answers(log_path):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the service did not start:\n{log.read().decode(errors='replace')}")
            time.sleep(0.1)
        yield _url(log_path)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _url(log_path: Path) -> str:
    """The URL in the banner the service wrote to `log_path` ("" before it has)."""
    match = _URL_LINE.search(log_path.read_bytes())
    return "" if match is None else match[1].decode()


def _answers(log_path: Path) -> bool:
    url = _url(log_path)
    try:
        return bool(url) and httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass(frozen=True)
class CliService:
    """A service started by its CLI: its URL and the environment its CLI commands use."""

    url: str
    env: dict[str, str]

    def claude_api(self, *args: str) -> str:
        """Run `claude-api ARGS...` on the service's database; its standard output."""
        done = subprocess.run(
            [str(CLI), *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr + done.stdout
        return done.stdout

    def create_key(self, project_id: str, *options: str) -> str:
        """A new key of `project_id` made by `claude-api keys create`."""
        created: dict[str, Any] = json.loads(
            self.claude_api("keys", "create", "-p", project_id, "--output", "json", *options)
        )
        key: str = created["key"]
        return key


@pytest.fixture(scope="module")
def cli_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliService]:
    """`claude-api service start` on a free loopback port (`--port 0`) and a fresh SQLite
    database."""
    folder = tmp_path_factory.mktemp("cli-service")
    env = {
        **os.environ,
        "CLAUDE_API_DB": str(folder / "service.db"),
        "CLAUDE_API_HOME": str(folder / "home"),
    }
    argv = [str(CLI), "service", "start", "--port", "0"]
    with serving(argv, env, folder / "service.log", 60) as url:
        yield CliService(url, env)
