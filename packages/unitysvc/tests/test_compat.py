"""Wire compatibility: the public ``unitysvc-py`` 0.2.1 package, unmodified, against our
emulator, for everything it shares with the seed.

It has our import name, so it runs in a throwaway virtual environment (made with uv, cached
in the temp directory so later runs start at once) as a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from unitysvc.emulator import UnitysvcEmulator

_VERSION = "0.2.1"
_SCRIPT = Path(__file__).with_name("unitysvc_compat_script.py")


def _python() -> Path:
    venv = Path(tempfile.gettempdir()) / f"unitysvc-py-{_VERSION}-venv"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if marker.exists():
        return python
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH; cannot build the unitysvc-py 0.2.1 environment")
    try:
        subprocess.run([uv, "venv", "-q", "--clear", str(venv)], check=True, timeout=120)
        subprocess.run(
            [uv, "pip", "install", "-q", "--python", str(python), f"unitysvc-py=={_VERSION}"],
            check=True,
            timeout=300,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"unitysvc-py {_VERSION} could not be installed: {exc}")
    marker.write_text(_VERSION)
    return python


def _run(emulator: UnitysvcEmulator, *parts: str) -> dict[str, Any]:
    """Run parts of the compat script with 0.2.1; its steps by name."""
    python = _python()
    urls = emulator.base_urls()
    env = {
        **os.environ,
        "UNITYSVC_API_KEY": emulator.api_key,
        "UNITYSVC_API_URL": urls["base_url"],
        "UNITYSVC_API_BASE_URL": urls["api_base_url"],
        "PYTHONPATH": "",
        # The public CLI's plugin discovery must not pick up our own usvc on PATH.
        "USVC_NO_PLUGINS": "1",
    }
    run = subprocess.run(
        [str(python), str(_SCRIPT), *parts], env=env, capture_output=True, text=True, timeout=550
    )
    steps = {}
    for line in run.stdout.splitlines():
        record = json.loads(line)
        steps[record["step"]] = record["value"]
    assert run.returncode == 0, run.stderr[-3000:]
    return steps


def test_public_package_against_emulator(emulator: UnitysvcEmulator) -> None:
    steps = _run(emulator, "core")
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
    assert sorted(steps["cli.groups.list"]) == ["echo", "llm", "streams"]
    assert steps["cli.groups.services"] == ["chat-large", "chat-small"]
    assert steps["cli.services.show"] == "chat-small"
    assert steps["cli.resolve"] == ["chat-large"]
    assert steps["cli.secrets"] == ["CLI_COMPAT", "CLI_PIPED", "CLI_STDIN", "CLI_UPLOADED"]
    assert steps["cli.aliases.list"] == ["cli-compat"]
    assert steps["cli.recurrent_requests.list"] == [True]
    assert steps["cli.enrollments.list"] is True
    assert steps["cli.groups.dispatch"] == "chat-large"
