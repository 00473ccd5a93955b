"""Wire compatibility both ways with the public prefactor-http 0.1.0 and 0.4.3, and
prefactor-core 0.5.3 on either.

The released packages, unmodified, run in cached virtual environments of their own (they
share our import name) against our emulator:

- 0.1.0 runs the seed's examples (`prefactor_compat_script`), 0.4.3 its own flow
  (`prefactor_compat_043_script`); this SDK runs the same scripts, and both must get the same
  results and send the same requests, except that ours always carry an idempotency key.
- prefactor-core 0.5.3 runs its instance and span flow (`prefactor_core_flow_script`) on the
  public 0.4.3, and installed without dependencies on top of this package (editable, so the
  environment follows the checkout).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from prefactor_fixtures import FAST_RETRIES, start_emulator
from public_venv import cached_venv

from prefactor_http import SyncPrefactorHttpClient
from prefactor_http.emulator import PrefactorEmulator
from sdkcore.emulator import RecordedRequest

PUBLIC_VERSION = "0.1.0"
CURRENT_VERSION = "0.4.3"
CORE_VERSION = "0.5.3"
SCRIPT = Path(__file__).with_name("prefactor_compat_script.py")
SCRIPT_043 = Path(__file__).with_name("prefactor_compat_043_script.py")
CORE_SCRIPT = Path(__file__).with_name("prefactor_core_flow_script.py")
WORKSPACE = Path(__file__).resolve().parents[3]
_COMPARED_HEADERS = ("authorization", "content-type", "accept")


def _public_python() -> Path:
    """A venv holding the public prefactor-http 0.1.0."""
    return cached_venv(f"prefactor-http-{PUBLIC_VERSION}", [f"prefactor-http=={PUBLIC_VERSION}"])


def _current_python() -> Path:
    """A venv holding the public prefactor-http 0.4.3 and prefactor-core 0.5.3."""
    packages = [f"prefactor-http=={CURRENT_VERSION}", f"prefactor-core=={CORE_VERSION}"]
    return cached_venv(f"prefactor-http-{CURRENT_VERSION}-core-{CORE_VERSION}", packages)


def _core_on_ours_python() -> Path:
    """A venv holding this checkout's sdkcore and prefactor_http (editable) and the public
    prefactor-core installed without its dependencies (so not pulling prefactor-http)."""
    # Keyed by the checkout and our packages' metadata: the code is editable, the rest is not.
    key = hashlib.sha256(str(WORKSPACE).encode())
    for package in ("sdkcore", "prefactor_http"):
        key.update((WORKSPACE / "packages" / package / "pyproject.toml").read_bytes())
    checkout = key.hexdigest()[:12]
    ours = [
        "-e",
        str(WORKSPACE / "packages/sdkcore"),
        "-e",
        str(WORKSPACE / "packages/prefactor_http"),
    ]
    core = ["--no-deps", f"prefactor-core=={CORE_VERSION}"]
    return cached_venv(f"prefactor-core-{CORE_VERSION}-on-{checkout}", ours, core)


def _run(python: Path | str, emu: PrefactorEmulator, script: Path = SCRIPT) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PREFACTOR_"))}
    env["COMPAT_URL"] = emu.url
    done = subprocess.run(
        [str(python), str(script)],
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


def _canonical(value: Any) -> Any:
    """A JSON value without idempotency keys, object keys sorted (0.4.3 orders some bodies
    differently from us)."""
    if isinstance(value, dict):
        return sorted((k, _canonical(v)) for k, v in value.items() if k != "idempotency_key")
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _request_043(entry: RecordedRequest) -> tuple[Any, ...]:
    body = _canonical(entry.json()) if entry.body else None
    return (entry.method, entry.path, sorted(parse_qsl(entry.query)), body)


def test_public_043_and_this_sdk_agree_on_the_wire(fresh_emulator: PrefactorEmulator) -> None:
    public_result = _run(_current_python(), fresh_emulator, SCRIPT_043)
    public_entries = fresh_emulator.journal.entries
    with start_emulator() as ours_emu:
        ours_result = _run(sys.executable, ours_emu, SCRIPT_043)
        ours_entries = ours_emu.journal.entries

    assert public_result == ours_result
    assert public_result["registered"] == ["pending", "eval", "run-1"]
    assert public_result["deployment"] is True
    assert public_result["span"] == ["complete", {"response": "Hi"}]
    assert public_result["quality"] == [
        {"helpfulness": {"score": 0.75}},
        {"helpfulness": "score 0.75"},
    ]
    assert public_result["quality_refused"] == [422, ["payload.score"]]
    assert public_result["finished"] == ["complete", {"total": 1, "complete": 1, "finished": 1}]
    assert public_result["show"][:2] == ["compat-agent-1", 1]
    assert public_result["show"][2]["read_data"] == "allowed"
    assert public_result["list"] == ["compat-agent-1"]
    assert public_result["lifecycle"] == ["retired", "active"]
    assert [_request_043(e) for e in ours_entries] == [_request_043(e) for e in public_entries]
    assert public_entries[0].header("x-prefactor-sdk") == f"prefactor-http@{CURRENT_VERSION}"
    assert ours_entries[0].header("x-prefactor-sdk") == "prefactor-http@0.1.0"


@pytest.mark.parametrize("venv", ["public 0.4.3", "this package"])
def test_prefactor_core_runs_its_flow(fresh_emulator: PrefactorEmulator, venv: str) -> None:
    python = _current_python() if venv == "public 0.4.3" else _core_on_ours_python()
    instance_id = _run(python, fresh_emulator, CORE_SCRIPT)["instance_id"]
    headers = {entry.header("x-prefactor-sdk") for entry in fresh_emulator.journal.entries}
    assert headers == {f"prefactor-core@{CORE_VERSION}"}

    with SyncPrefactorHttpClient(fresh_emulator.config(**FAST_RETRIES)) as client:
        instance = client.agent_instances.get(instance_id)
    assert (instance.status, instance.purpose, instance.external_identifier) == (
        "complete",
        "smoke_test",
        "core-run-1",
    )
    assert instance.span_counts is not None
    counts = instance.span_counts
    assert (counts.total, counts.complete, counts.failed, counts.active) == (3, 2, 1, 0)
    assert instance.quality_payloads == {"helpfulness": {"score": 0.5}}
    assert instance.quality_summaries == {"helpfulness": "score 0.5"}
    spans = fresh_emulator.db.query(
        "SELECT id, schema_name, parent_span_id, status FROM spans ORDER BY inserted_at, id"
    )
    by_name = {(row["schema_name"], row["status"]): row for row in spans}
    llm = by_name[("agent:llm", "complete")]
    assert by_name[("agent:tool", "complete")]["parent_span_id"] == llm["id"]
    assert by_name[("agent:tool", "failed")]["parent_span_id"] is None


# A module's __all__, else what it defines itself (not what it imports).
_PUBLIC_NAMES = """
import importlib, json, sys
names = {}
for module in sys.argv[1:]:
    loaded = importlib.import_module(module)
    defined = [n for n, v in vars(loaded).items()
               if not n.startswith("_") and getattr(v, "__module__", None) == module]
    names[module] = sorted(getattr(loaded, "__all__", None) or defined)
print(json.dumps(names))
"""
_MODULES = (
    "prefactor_http",
    "prefactor_http.client",
    "prefactor_http.config",
    "prefactor_http.exceptions",
    "prefactor_http.models",
    "prefactor_http.models.types",
    "prefactor_http.models.agent",
    "prefactor_http.models.agent_instance",
    "prefactor_http.models.agent_span",
    "prefactor_http.models.base",
    "prefactor_http.models.bulk",
    "prefactor_http.endpoints",
)


def test_every_public_043_name_is_ours() -> None:
    done = subprocess.run(
        [str(_current_python()), "-c", _PUBLIC_NAMES, *_MODULES],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tempfile.gettempdir(),
    )
    assert done.returncode == 0, done.stderr
    public: dict[str, list[str]] = json.loads(done.stdout)
    for module, names in public.items():
        ours = importlib.import_module(module)
        missing = [name for name in names if not hasattr(ours, name)]
        assert missing == [], module
    version = importlib.import_module("prefactor_http._version")
    assert (version.PACKAGE_NAME, version.PACKAGE_VERSION) == ("prefactor-http", "0.1.0")
