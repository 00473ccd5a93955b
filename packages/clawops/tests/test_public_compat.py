"""The public clawops, unmodified, against our emulator: 0.70.0 for the resources it added
(one script per area; the messaging one runs when present) and 0.1.0, the seed, for the wire
both share. Each runs in a cached venv of its own (it has our import name)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from public_venv import public_python

from clawops.emulator import ClawOpsEmulator, WebhookSink

_HERE = Path(__file__).parent
_SCRIPTS = [
    ("0.70.0", "clawops_public_core_script.py"),
    ("0.70.0", "clawops_public_messaging_script.py"),
    ("0.1.0", "clawops_public_seed_script.py"),
]


def _run(version: str, script: Path, emu: ClawOpsEmulator, callback: str) -> dict[str, Any]:
    python = public_python(f"clawops=={version}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CLAWOPS_"))}
    env |= {
        "CLAWOPS_BASE_URL": emu.url,
        "CLAWOPS_API_KEY": emu.api_key,
        "CLAWOPS_ACCOUNT_ID": emu.account_id,
        "COMPAT_CALLBACK_URL": callback,
    }
    done = subprocess.run(
        [str(python), str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        # Outside the workspace, so the public run cannot import our package by accident.
        cwd=tempfile.gettempdir(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    assert result.get("version", version) == version
    return result


def _expected_core(number: str) -> dict[str, Any]:
    return {
        "numbers.list": [["07052358010", "webhook"]],
        "numbers.create": number,
        "sip_endpoints.list": 1,
        "sip_endpoints.get": True,
        "sip_credentials.list": [[True, "Desk", "active"]],
        "sip_credentials.get": True,
        "numbers.update": [
            ["sip", True, None],
            ["softphone", False, None],
            ["forward", False, "07052358010"],
            ["agent", False, None],
            ["webhook", False, None],
        ],
        "numbers.listed": ["GET", {"X-Tenant": "t1"}, None],
        "numbers.delete": True,
        "assignment_links.retrieve": "pending",
        "assignment_links.revoke_again": [409, "NOT_PENDING"],
        "assignment_links.list": ["revoked", "pending"],
        "assignment_links.pending": 1,
        "calls.recording_url": True,
        "recordings.download": ["RIFF", "audio/wav", True],
        "calls.get_transcript": "not_requested",
        "calls.request_transcript": "pending",
        "transcript.segments": ["speaker_0", "speaker_1", "speaker_0"],
        "calls.get_summary": ["completed", ["sentiment", "speakers", "summary"]],
        "recordings.deleted": 404,
        "webhook_logs.list": ["call.answered", "call.completed", "call.initiated", "call.ringing"],
    }


@pytest.mark.parametrize(("version", "name"), _SCRIPTS, ids=[name for _, name in _SCRIPTS])
def test_public_package_against_emulator(version: str, name: str) -> None:
    script = _HERE / name
    if not script.exists():
        pytest.skip(f"{name} is not in this checkout")
    with (
        ClawOpsEmulator(
            ring_after=0.0,
            answer_after=0.05,
            call_duration=0.2,
            callback_backoff=0.05,
            transcript_after=0.1,
        ) as emu,
        WebhookSink("/status") as sink,
    ):
        result = _run(version, script, emu, sink.url)
        pool = emu.config.pool
    result.pop("version", None)
    if name == "clawops_public_core_script.py":
        assert result == _expected_core(pool[0])
    elif name == "clawops_public_seed_script.py":
        assert result == {
            "numbers.list": [["07052358010", "pool"]],
            "numbers.update": ["https://my-app.com/in", "POST"],
            "sip.credentials": ["Desk"],
            "calls.get": True,
            "calls.list": 1,
        }
