"""Wire compatibility: the public ``unitysvc-py`` 0.2.1 package, unmodified, against our
emulator, for everything it shares with the seed, and the preferences, account files,
service extras and cycle usage of issue 22.

It has our import name, so it runs in a throwaway virtual environment (made with uv, cached
in the temp directory so later runs start at once) as a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from public_venv import public_python

from unitysvc.emulator import UnitysvcEmulator

_VERSION = "0.2.1"
_SCRIPT = Path(__file__).with_name("unitysvc_compat_script.py")


def _python() -> Path:
    return public_python(f"unitysvc-py=={_VERSION}")


def _env(emulator: UnitysvcEmulator) -> dict[str, str]:
    urls = emulator.base_urls()
    return {
        **os.environ,
        "UNITYSVC_API_KEY": emulator.api_key,
        "UNITYSVC_API_URL": urls["base_url"],
        "UNITYSVC_API_BASE_URL": urls["api_base_url"],
        "PYTHONPATH": "",
        # Rich wraps its output at the terminal width; JSON output must stay on its lines.
        "COLUMNS": "400",
        # The public CLI's plugin discovery must not pick up our own usvc on PATH.
        "USVC_NO_PLUGINS": "1",
    }


def _run(emulator: UnitysvcEmulator, *parts: str) -> dict[str, Any]:
    """Run parts of the compat script with 0.2.1; its steps by name."""
    run = subprocess.run(
        [str(_python()), str(_SCRIPT), *parts],
        env=_env(emulator),
        capture_output=True,
        text=True,
        timeout=550,
    )
    steps = {}
    for line in run.stdout.splitlines():
        record = json.loads(line)
        steps[record["step"]] = record["value"]
    assert run.returncode == 0, run.stderr[-3000:]
    return steps


def test_public_package_against_emulator(emulator: UnitysvcEmulator) -> None:
    steps = _run(emulator, "core", "issue22")
    assert steps["version"] == _VERSION
    assert steps["groups.list"] == ["echo", "llm", "streams"]
    assert steps["groups.services"] == ["chat-large", "chat-small"]
    assert steps["services.dispatch"] == [200, "chat-small"]
    assert steps["groups.dispatch"] == [200, "chat-large"]
    assert steps["services.stream"] == "done"
    assert steps["groups.stream"] == [0, 1, 2]
    assert steps["resolve"] == ["chat-large"]
    assert steps["enrollments.create"] == "pending"
    assert steps["enrollments.cancel"] == "cancelled"
    assert steps["not_found"] == 404
    assert steps["services.schedule"].endswith("active") or steps["services.schedule"] == "active"
    assert steps["request_logs.list"] is True
    _check_issue_22_steps(steps)


def _check_issue_22_steps(steps: dict[str, Any]) -> None:
    """Preferences, files, service extras and cycle usage as 0.2.1 calls them."""
    assert steps["preferences.list"] == ["ai", "notification", "request-log"]
    assert steps["preferences.get"] == ["chat-small", "default"]
    assert steps["preferences.set_ai"] == ["chat-large", "account"]
    assert steps["preferences.set"] == "chat-small"
    assert steps["preferences.clear"] == "default"
    assert steps["preferences.set_notification"] == "account"
    assert steps["preferences.set_request_log_mode"] == ["complete", "complete"]
    assert steps["preferences.request_log_off"] == [None, None]
    assert steps["files.upload"] == "compat/dir/compat.bin"
    assert steps["files.list"] == [["compat/dir/"], True]
    assert steps["files.list.objects"] == [["compat/dir/compat.bin", 256 * 4096 + 4]]
    assert steps["files.download_url"] is True
    assert steps["files.download"] is True
    assert steps["files.shared"] is True
    assert steps["services.access_plan"] == ["optional", 1]
    assert steps["services.documents"] == ["code_example", "getting_started"]
    assert steps["services.document"] is True
    assert steps["services.groups"] == ["favorites"]
    assert steps["services.set_groups"] == ["Favorites"]
    assert steps["usage.cycle"] == ["USD", True]


# Every usvc run starts a fresh interpreter that imports typer, rich and the generated client.
@pytest.mark.timeout(600)
def test_public_usvc_files_preferences_and_usage(
    emulator: UnitysvcEmulator, tmp_path: Path
) -> None:
    usvc = _python().with_name("usvc")

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(usvc), *args], env=_env(emulator), capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
        return done.stdout

    source = tmp_path / "cli.txt"
    source.write_text("from the public usvc")
    run("files", "put", str(source), "personal/cli")
    listing = json.loads(run("files", "ls", "personal/cli", "--format", "json"))
    assert [f["key"] for f in listing["files"]] == ["personal/cli/cli.txt"]
    run("files", "get", "personal/cli/cli.txt", str(tmp_path / "back.txt"))
    assert (tmp_path / "back.txt").read_text() == "from the public usvc"
    url = run("files", "url", "personal/cli/cli.txt").strip()
    assert httpx.get(url).text == "from the public usvc"
    assert "chat-large" in run("preferences", "ai", "chat-large")
    assert "complete" in run("preferences", "request-log", "complete")
    small = str(uuid.uuid5(uuid.NAMESPACE_URL, "unitysvc-catalogue:chat-small"))
    plan = json.loads(run("services", "usage", small))
    assert plan["enrollment_mode"] == "optional"
    run("preferences", "clear", "ai")


def test_public_broadcasts_and_chains(emulator: UnitysvcEmulator) -> None:
    steps = _run(emulator, "routes")
    assert steps["broadcasts.create"] == ["small", "llm"]
    assert steps["broadcasts.list"] == ["compat-fan"]
    # Both targets really answered: the override routed "llm" to chat-large.
    assert steps["broadcasts.dispatch"] == ["chat-large", "chat-small"]
    assert steps["broadcasts.logged"] == 200
    assert steps["broadcasts.replace_targets"] == ["only"]
    assert steps["broadcasts.update"] == "async"
    assert steps["broadcasts.async"] == 202
    assert steps["broadcasts.delete"] == []
    assert steps["chains.create"] == ["primary", "backup"]
    assert steps["chains.dispatch"] == ["flaky-svc", "chat-small", "primary=503,backup=200"]
    assert steps["chains.update_step"] == 500
    assert steps["chains.replace_steps"] == ["solo"]
    assert steps["chains.update"] == 2000
    assert steps["chains.delete"] == []


# About twenty runs of the public console script, each starting a fresh interpreter.
@pytest.mark.timeout(600)
def test_public_cli_against_emulator(emulator: UnitysvcEmulator) -> None:
    steps = _run(emulator, "cli")
    assert steps["cli.env"] is True
    # The module's other tests may have added a collection (issue 22's Favorites).
    assert {"echo", "llm", "streams"} <= set(steps["cli.groups.list"])
    assert steps["cli.groups.services"] == ["chat-large", "chat-small"]
    assert steps["cli.services.show"] == "chat-small"
    assert steps["cli.resolve"] == ["chat-large"]
    assert steps["cli.secrets"] == ["CLI_COMPAT", "CLI_PIPED", "CLI_STDIN", "CLI_UPLOADED"]
    assert steps["cli.aliases.list"] == ["cli-compat"]
    assert steps["cli.recurrent_requests.list"] == [True]
    assert steps["cli.enrollments.list"] is True
    assert steps["cli.groups.dispatch"] == "chat-large"
