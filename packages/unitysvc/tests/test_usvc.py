"""Our ``usvc`` CLI against the emulator over loopback: in-process through `main` (exit status,
stdout, stderr), and the installed console script as a real process."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from unitysvc_fixtures import CHAT, wait_for

from unitysvc import Client
from unitysvc.cli import _plugins, main
from unitysvc.cli._progress import progress_bar
from unitysvc.cli.secrets import parse_manifest
from unitysvc.emulator import UnitysvcEmulator, catalogue_id

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def usvc(
    emulator: UnitysvcEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Run:
    """``usvc(*args, stdin=None)`` -> (exit status, stdout, stderr), configured by env."""
    urls = emulator.base_urls()
    monkeypatch.setenv("UNITYSVC_API_KEY", emulator.api_key)
    monkeypatch.setenv("UNITYSVC_API_URL", urls["base_url"])
    monkeypatch.setenv("UNITYSVC_API_BASE_URL", urls["api_base_url"])
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _json(usvc: Run, *args: str) -> Any:
    status, out, err = usvc(*args, "-o", "json")
    assert status == 0, err
    return json.loads(out)


def test_env_version_and_errors(usvc: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _json(usvc, "env")
    key = next(r["value"] for r in rows if r["variable"] == "UNITYSVC_API_KEY")
    assert "svcpass_test_main" not in key
    assert "…" in key
    status, out, _ = usvc("--version")
    assert (status, out.split()[0]) == (0, "unitysvc")
    # Every failure: a non-zero status and one "Error:" line on stderr.
    for args, expected in (
        (("nope",), 2),
        (("secrets", "show", "NOT_THERE"), 1),
        (("secrets", "show", "lower-case"), 1),
        (("groups", "list", "-o", "yaml"), 1),
        (("resolve", "--path", "g/llm", "--routing-key", "{bad"), 1),
    ):
        status, _, err = usvc(*args)
        assert status == expected, (args, err)
        assert err.startswith("Error: ")
        assert err.count("\n") == 1, err
    monkeypatch.delenv("UNITYSVC_API_KEY")
    status, _, err = usvc("groups", "list")
    assert status == 1
    assert "UNITYSVC_API_KEY" in err


def test_groups_services_resolve(usvc: Run) -> None:
    assert {g["name"] for g in _json(usvc, "groups", "list")["data"]} >= {"llm", "echo"}
    status, out, _ = usvc("groups", "list", "--name", "stream")
    assert status == 0
    assert "streams" in out
    assert "llm" not in out.split("streams")[0].split("\n")[-1]
    assert _json(usvc, "groups", "show", "llm")["name"] == "llm"
    services = _json(usvc, "groups", "services", "llm", "--limit", "1")
    assert len(services["data"]) == 1
    assert services["next_cursor"]
    resolved = _json(usvc, "resolve", "--path", "g/llm", "--routing-key", '{"model": "large"}')
    assert [c["service_name"] for c in resolved["candidates"]] == ["chat-large"]
    assert _json(usvc, "services", "show", catalogue_id("chat-small"))["name"] == "chat-small"
    interfaces = _json(usvc, "services", "interfaces", catalogue_id("chat-small"))
    assert interfaces[0]["base_url"].endswith(f"/p/{catalogue_id('chat-small')}")

    status, out, err = usvc("groups", "dispatch", "llm", "--json", json.dumps({"messages": CHAT}))
    assert status == 0
    assert err == "HTTP 200 OK\n"
    assert json.loads(out)["choices"][0]["message"]["role"] == "assistant"
    status, out, err = usvc("services", "dispatch", catalogue_id("offline-svc"), "--json", "{}")
    assert status == 1
    assert "502" in err
    assert json.loads(out) == {"detail": "Upstream service unavailable"}


def test_secrets(usvc: Run, tmp_path: Path, client: Client) -> None:
    assert usvc("secrets", "set", "CLI_ONE", "--value", "v1")[0] == 0
    assert usvc("secrets", "set", "CLI_PIPED", stdin="from-a-pipe\n")[0] == 0
    manifest = tmp_path / ".env"
    manifest.write_text(
        "# header, attached to nothing\n\n"
        "# the upstream key\n"
        "export CLI_KEY=${CLI_KEY_SRC:-fallback}  # trailing comment\n"
        "CLI_QUOTED='literal ${X}'\n"
    )
    rows = _json(usvc, "secrets", "upload", str(manifest))
    assert rows == [
        {"name": "CLI_KEY", "status": "set", "description": "the upstream key"},
        {"name": "CLI_QUOTED", "status": "set", "description": None},
    ]
    status, _, _ = usvc("secrets", "upload", "-", stdin="CLI_STDIN=x\n")
    assert status == 0
    names = {s["name"] for s in _json(usvc, "secrets", "list")["data"]}
    assert {"CLI_ONE", "CLI_PIPED", "CLI_KEY", "CLI_QUOTED", "CLI_STDIN"} <= names
    assert parse_manifest("A=${SRC:-fallback}", {"SRC": "env"}) == [("A", "env", None)]
    # The values really arrived: byok-echo gets UPSTREAM_API_KEY injected and echoes it.
    assert usvc("secrets", "upload", stdin="UPSTREAM_API_KEY=${CLI_KEY_SRC:-sk-piped}\n")[0] == 0
    enrollment = client.enrollments.create(
        service_id=catalogue_id("byok-echo"), parameters={"region": "eu"}
    )
    wait_for(lambda: client.enrollments.get(enrollment.id).status == "active")
    status, out, _ = usvc("services", "dispatch", catalogue_id("byok-echo"), "--json", "{}")
    assert status == 0
    assert json.loads(out)["headers"]["authorization"] == "Bearer sk-piped"
    client.enrollments.cancel(enrollment.id)
    status, _, err = usvc("secrets", "upload", "-", stdin="NEEDED=${NOT_SET_ANYWHERE}\n")
    assert status == 1
    assert "NOT_SET_ANYWHERE" in err
    dry = _json(usvc, "secrets", "upload", "--dry-run", "-")
    assert dry == []

    status, _, err = usvc("secrets", "delete", "CLI_ONE")  # no answer: not deleted
    assert status == 1
    assert "aborted" in err
    assert client.secrets.get("CLI_ONE").name == "CLI_ONE"
    status, _, _ = usvc("secrets", "delete", "CLI_ONE", stdin="y\n")
    assert status == 0
    assert usvc("secrets", "delete", "CLI_PIPED", "--yes")[0] == 0
    assert "CLI_ONE" not in {s["name"] for s in _json(usvc, "secrets", "list")["data"]}


def test_aliases_enrollments_recurrent(usvc: Run, client: Client) -> None:
    alias = client.aliases.create(
        {"name": "cli-alias", "target_path": f"p/{catalogue_id('chat-small')}"}
    )
    assert any(a["id"] == alias.id for a in _json(usvc, "aliases", "list")["data"])
    assert _json(usvc, "aliases", "show", alias.id)["name"] == "cli-alias"
    switched = _json(usvc, "aliases", "switch", alias.id, "--off")
    assert switched["alias"]["is_routing"] is False
    assert usvc("aliases", "delete", alias.id, "-y")[0] == 0

    enrollment = _json(usvc, "services", "enroll", catalogue_id("chat-large"), "-p", "model=large")
    assert enrollment["status"] == "pending"
    listed = _json(usvc, "enrollments", "list", "--no-service-details")["data"]
    assert any(e["id"] == enrollment["id"] for e in listed)
    assert _json(usvc, "enrollments", "show", enrollment["id"])["id"] == enrollment["id"]
    assert _json(usvc, "enrollments", "cancel", enrollment["id"], "--yes")["status"] == "cancelled"

    scheduled = _json(
        usvc,
        "services",
        "schedule",
        catalogue_id("chat-small"),
        "--interval",
        "3600",
        "--json",
        "{}",
    )
    rid = scheduled["id"]
    assert any(r["id"] == rid for r in _json(usvc, "recurrent-requests", "list")["data"])
    assert _json(usvc, "recurrent-requests", "show", rid)["id"] == rid
    assert _json(usvc, "recurrent-requests", "trigger", rid)
    assert usvc("recurrent-requests", "delete", rid, "--yes")[0] == 0
    status, _, err = usvc(
        "services", "schedule", catalogue_id("chat-small"), "--interval", "5", "--cron", "x"
    )
    assert status == 1
    assert "exactly one" in err


def test_broadcasts_and_chains(usvc: Run) -> None:
    small, flaky = f"p/{catalogue_id('chat-small')}", f"p/{catalogue_id('flaky-svc')}"
    created = _json(
        usvc, "broadcasts", "create", "cli-fan", "-t", f"small={small}", "-t", f"flaky={flaky}"
    )
    bid = created["id"]
    assert [t["name"] for t in created["targets"]] == ["small", "flaky"]
    status, out, _ = usvc("broadcasts", "list")
    assert status == 0
    assert "cli-fan" in out
    status, out, err = usvc(
        "broadcasts", "dispatch", "cli-fan", "--json", json.dumps({"messages": CHAT})
    )
    assert (status, err) == (0, "HTTP 200 OK\n")
    envelope = json.loads(out)
    assert {r["target"]: r["status_code"] for r in envelope["results"]} == {
        "small": 200,
        "flaky": 200,
    }
    target = _json(usvc, "broadcasts", "targets", "add", bid, "--name", "llm", "--path", "g/llm")
    assert usvc("broadcasts", "targets", "remove", bid, target["id"], "--yes")[0] == 0
    replaced = _json(usvc, "broadcasts", "targets", "replace", bid, "-t", f"only={small}", "--yes")
    assert [t["name"] for t in replaced["targets"]] == ["only"]
    assert _json(usvc, "broadcasts", "update", bid, "--mode", "async")["mode"] == "async"
    status, out, err = usvc("broadcasts", "dispatch", "cli-fan", "--json", "{}")
    assert err == "HTTP 202 Accepted\n"
    assert [t["target"] for t in json.loads(out)["tasks"]] == ["only"]
    assert _json(usvc, "broadcasts", "show", bid)["mode"] == "async"
    assert usvc("broadcasts", "delete", bid, "-y")[0] == 0
    assert usvc("broadcasts", "show", bid)[0] == 1

    chain = _json(
        usvc,
        "chains",
        "create",
        "cli-chain",
        "-s",
        f"primary={flaky}",
        "-s",
        json.dumps({"name": "backup", "target_path": small}),
    )
    cid = chain["id"]
    body = json.dumps({"messages": CHAT})
    status, out, _ = usvc(
        "chains", "dispatch", "cli-chain", "--json", body, "-H", "X-Upstream-Fail: 503"
    )
    assert status == 0
    assert json.loads(out)["served_by"] == "chat-small"  # failed over
    primary = next(s for s in chain["steps"] if s["name"] == "primary")
    updated = _json(usvc, "chains", "steps", "update", cid, primary["id"], "--on-failure", "stop")
    assert updated["on_failure"] == "stop"
    status, out, err = usvc(
        "chains", "dispatch", "cli-chain", "--json", body, "-H", "X-Upstream-Fail: 500"
    )
    assert status == 1  # the chain answered the primary's 500
    assert err.splitlines()[0] == "HTTP 500 Internal Server Error"
    step = _json(
        usvc,
        "chains",
        "steps",
        "add",
        cid,
        "--name",
        "third",
        "--path",
        "g/llm",
        "--sort-order",
        "5",
    )
    assert usvc("chains", "steps", "remove", cid, step["id"], "-y")[0] == 0
    steps = _json(usvc, "chains", "steps", "replace", cid, "-s", f"solo={small}", "-y")["steps"]
    assert [s["name"] for s in steps] == ["solo"]
    assert _json(usvc, "chains", "update", cid, "--disable")["enabled"] is False
    assert usvc("chains", "dispatch", "cli-chain", "--json", "{}")[0] == 1  # 403: disabled
    assert any(c["id"] == cid for c in _json(usvc, "chains", "list")["data"])
    assert usvc("chains", "delete", cid, "--yes")[0] == 0
    status, _, err = usvc("chains", "create", "x", "-s", "no-equals-sign")
    assert status == 1
    assert "NAME=PATH" in err


def test_plugins(usvc: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    plugin = EntryPoint("greeter", "usvc_plugin_fixture:app", _plugins.GROUP)
    broken = EntryPoint("broken", "no_such_module_anywhere:app", _plugins.GROUP)
    shadow = EntryPoint("secrets", "usvc_plugin_fixture:app", _plugins.GROUP)

    def entry_points(*, group: str) -> list[EntryPoint]:
        return [plugin, broken, shadow] if group == _plugins.GROUP else []

    monkeypatch.setattr(_plugins, "entry_points", entry_points)
    status, out, _ = usvc("--help")
    assert status == 0
    assert "greeter" in out
    assert usvc("greeter", "hello", "--name", "usvc") == (0, "hello usvc from the plugin\n", "")
    assert usvc("greeter", "bye")[1] == "bye\n"
    status, _, err = usvc("broken")
    assert status == 1
    assert "failed to load" in err
    # A built-in is never shadowed by a plugin of the same name.
    assert usvc("secrets", "list", "-o", "json")[0] == 0
    # An executable usvc-<name> on PATH is a subcommand too, its arguments passed through.
    marker = tmp_path / "ran"
    tool = tmp_path / "usvc-tool"
    tool.write_text(f'#!/bin/sh\necho "$@" > {marker}\nexit 3\n')
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert usvc("tool", "--flag", "x")[0] == 3
    assert marker.read_text() == "--flag x\n"
    monkeypatch.setenv(_plugins.DISABLE_ENV, "1")
    assert usvc("greeter", "bye")[0] == 2
    assert usvc("tool")[0] == 2


def test_progress_bar_only_on_a_terminal() -> None:
    quiet = Console(file=io.StringIO(), force_terminal=False)
    with progress_bar("f", quiet) as report:
        assert report is None
    shown = io.StringIO()
    with progress_bar("upload.bin", Console(file=shown, force_terminal=True, width=120)) as report:
        assert report is not None
        report(512 * 1024, 1024 * 1024)
        report(1024 * 1024, 1024 * 1024)
    text = shown.getvalue()
    assert "upload.bin" in text
    assert "1.0/1.0 MB" in text or "1.0 MB" in text


needs_core = pytest.mark.skipif(
    not hasattr(Client, "files") or not hasattr(Client, "preferences"),
    reason="needs unity-core merge",
)


@needs_core
def test_files(usvc: Run, tmp_path: Path) -> None:
    src = tmp_path / "report.csv"
    src.write_bytes(b"a,b\n1,2\n")
    status, out, err = usvc("files", "put", str(src), "personal/reports")
    assert status == 0, err
    assert err == ""  # no progress bar off a terminal
    listing = _json(usvc, "files", "ls", "personal/reports")
    assert [o["key"].rsplit("/", 1)[-1] for o in listing["objects"]] == ["report.csv"]
    dest = tmp_path / "back.csv"
    status, _, err = usvc("files", "get", "personal/reports/report.csv", str(dest))
    assert (status, err) == (0, "")
    assert dest.read_bytes() == src.read_bytes()
    status, out, _ = usvc("files", "url", "personal/reports/report.csv", "--expires", "60")
    assert status == 0
    assert out.startswith("http")
    assert usvc("files", "get", "personal/../etc/passwd")[0] == 1


@needs_core
def test_preferences(usvc: Run) -> None:
    assert {p["name"] for p in _json(usvc, "preferences", "list")["data"]} >= {"request-log"}
    assert _json(usvc, "preferences", "request-log", "complete")["value"]
    assert _json(usvc, "preferences", "get", "request-log")["source"]
    assert _json(usvc, "preferences", "clear", "request-log")["name"] == "request-log"
    assert usvc("preferences", "request-log", "loud")[0] == 1


def test_console_script(emulator: UnitysvcEmulator) -> None:
    script = shutil.which(
        "usvc",
        path=str(Path(os.__file__).parents[2] / "bin") + os.pathsep + os.environ.get("PATH", ""),
    )
    if script is None:
        pytest.skip("the usvc console script is not installed (make bootstrap)")
    urls = emulator.base_urls()
    env = {
        **os.environ,
        "UNITYSVC_API_KEY": emulator.api_key,
        "UNITYSVC_API_URL": urls["base_url"],
        "UNITYSVC_API_BASE_URL": urls["api_base_url"],
    }
    ok = subprocess.run(
        [script, "groups", "show", "llm", "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["name"] == "llm"
    bad = subprocess.run(
        [script, "enrollments", "show", "nope"], env=env, capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("Error: 404")
    assert bad.stderr.count("\n") == 1
