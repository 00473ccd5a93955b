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
from pathlib import Path

import pytest

from unitysvc.emulator import UnitysvcEmulator

_VERSION = "0.2.1"
_SCRIPT = Path(__file__).with_name("unitysvc_compat_script.py")


def _python() -> Path:
    # Kept between runs in the workspace's gitignored cache (the temp dir must end clean).
    venv = Path(__file__).resolve().parents[3] / ".cache" / "test-venvs" / f"unitysvc-py-{_VERSION}"
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


def test_public_package_against_emulator(emulator: UnitysvcEmulator) -> None:
    python = _python()
    urls = emulator.base_urls()
    env = {
        **os.environ,
        "UNITYSVC_API_KEY": emulator.api_key,
        "UNITYSVC_API_URL": urls["base_url"],
        "UNITYSVC_API_BASE_URL": urls["api_base_url"],
        "PYTHONPATH": "",
    }
    run = subprocess.run(
        [str(python), str(_SCRIPT)], env=env, capture_output=True, text=True, timeout=120
    )
    steps = {}
    for line in run.stdout.splitlines():
        record = json.loads(line)
        steps[record["step"]] = record["value"]
    assert run.returncode == 0, run.stderr[-3000:]
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
