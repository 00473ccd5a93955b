"""Wire compatibility both ways with the public prefactor-http 0.1.0.

The released package, unmodified, runs the seed's examples (`prefactor_compat_script`)
against our emulator in a throwaway virtual environment (it shares our import name), and this
SDK runs the same script; both must get the same results and send the same requests, except
that ours always carry an idempotency key.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from prefactor_fixtures import start_emulator

from prefactor_http.emulator import PrefactorEmulator
from sdkcore.emulator import RecordedRequest

PUBLIC_VERSION = "0.1.0"
SCRIPT = Path(__file__).with_name("prefactor_compat_script.py")
# Kept between runs in the workspace's gitignored cache (the temp dir must end each run clean).
CACHE = (
    Path(__file__).resolve().parents[3]
    / ".cache"
    / "test-venvs"
    / f"prefactor-http-{PUBLIC_VERSION}"
)
_COMPARED_HEADERS = ("authorization", "content-type", "accept")


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _public_python() -> Path:
    """The interpreter of a cached venv holding the public package; built on first use."""
    python = _venv_python(CACHE)
    if python.exists():
        return python
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed, so the public package cannot be installed")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=CACHE.parent))
    venv = building / "venv"
    try:
        steps = [
            [uv, "venv", "--quiet", "--python", ">=3.11", str(venv)],
            [
                uv,
                "pip",
                "install",
                "--quiet",
                "--python",
                str(_venv_python(venv)),
                f"prefactor-http=={PUBLIC_VERSION}",
            ],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                pytest.skip(
                    f"prefactor-http=={PUBLIC_VERSION} cannot be installed here: "
                    f"{done.stderr.strip()[-500:]}"
                )
        try:
            venv.rename(CACHE)
        except OSError:
            # Another worker finished first; its venv is as good as ours.
            shutil.rmtree(venv, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return python


def _run(python: Path | str, emu: PrefactorEmulator) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PREFACTOR_"))}
    env["COMPAT_URL"] = emu.url
    done = subprocess.run(
        [str(python), str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        # Outside the workspace, so the public run cannot import our package by accident.
        cwd=tempfile.gettempdir(),
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _without_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _without_keys(v)) for k, v in value.items() if k != "idempotency_key"]
    if isinstance(value, list):
        return [_without_keys(v) for v in value]
    return value


def _request(entry: RecordedRequest) -> tuple[Any, ...]:
    body = _without_keys(entry.json()) if entry.body else None
    headers = tuple(entry.header(name) for name in _COMPARED_HEADERS)
    return (entry.method, entry.path, entry.query, headers, body)


def test_public_package_and_this_sdk_agree_on_the_wire(
    fresh_emulator: PrefactorEmulator,
) -> None:
    public = _public_python()
    public_result = _run(public, fresh_emulator)
    public_requests = [_request(entry) for entry in fresh_emulator.journal.entries]

    with start_emulator() as ours_emu:
        ours_result = _run(sys.executable, ours_emu)
        ours_entries = ours_emu.journal.entries
        ours_requests = [_request(entry) for entry in ours_entries]

    assert public_result == ours_result
    assert public_result["bulk"] == {"create-span-001": "success", "create-span-002": "error"}
    assert public_result["validation"] == [
        422,
        "validation_error",
        ["payload.model", "payload.prompt"],
    ]
    assert public_result["not_found"] == [404, "not_found"]
    assert public_result["auth"] == [401, "unauthorized"]
    assert public_result["finished"][1]["total"] == 3
    assert ours_requests == public_requests
    writes = [entry for entry in ours_entries if entry.method == "POST"]
    for entry in writes:
        body = entry.json()
        key = body["details"]["idempotency_key"] if entry.path.endswith("spans") else None
        assert key or body.get("idempotency_key") or entry.path.endswith("/bulk")
