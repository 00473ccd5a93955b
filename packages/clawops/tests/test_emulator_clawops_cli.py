"""``clawops-emulator serve``: options and environment turned into a config, and the banner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clawops.emulator import DEMO_KAKAO_TOKEN, app_state, demo_channel_id, demo_template_ids
from clawops.emulator import _cli as cli
from sdkcore.emulator import _cli as sdkcore_cli

ENV_VARS = ("CLAWOPS_API_KEY", "CLAWOPS_ACCOUNT_ID", "CLAWOPS_SIGNING_KEY")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run_server(app: Any, *, sock: Any, **options: Any) -> None:
        assert sock is None  # bound by uvicorn, as the port is given
        calls.append({"config": app_state(app).config, **options})
        app_state(app).db.close()

    # The command is built by sdkcore, which serves the app.
    monkeypatch.setattr(sdkcore_cli, "run_server", fake_run_server)
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return calls


def test_serve_with_every_option(served: list[dict[str, Any]], tmp_path: Path) -> None:
    db = str(tmp_path / "state.db")
    args = [
        "serve",
        "--port", "9123",
        "--db", db,
        "--api-key", "sk_test_cli",
        "--account-id", "AC_one",
        "--account-id", "AC_two",
        "--signing-key", "whsec_cli",
        "--number", "07052358011",
        "--number", "1001",
        "--ring-after", "0.1",
        "--answer-after", "0.2",
        "--call-duration", "0.3",
        "--log-level", "warning",
    ]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    [run] = served
    config = run.pop("config")
    assert run == {"host": "127.0.0.1", "port": 9123, "log_level": "warning"}
    assert dict(config.api_keys) == {"sk_test_cli": ("AC_one", "AC_two")}
    assert config.signing_key("AC_two") == "whsec_cli"
    assert dict(config.numbers) == {
        "AC_one": ("07052358011", "1001"),
        "AC_two": ("07052358011", "1001"),
    }
    assert (config.db, config.ring_after, config.answer_after, config.call_duration) == (
        db,
        0.1,
        0.2,
        0.3,
    )
    assert "export CLAWOPS_BASE_URL=http://127.0.0.1:9123" in result.output
    assert "export CLAWOPS_API_KEY=sk_test_cli" in result.output
    assert "export CLAWOPS_ACCOUNT_ID=AC_one" in result.output
    assert db in result.output


def test_serve_with_no_options_makes_up_credentials(served: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    config = served[0]["config"]
    [(api_key, accounts)] = config.api_keys.items()
    assert api_key.startswith("sk_test_")
    assert accounts[0].startswith("AC")
    assert config.signing_key(accounts[0]).startswith("whsec_")
    assert config.numbers[accounts[0]] == ("07052358010",)
    assert config.db == ":memory:"
    assert served[0]["port"] == cli.DEFAULT_PORT == 8080
    assert f"export CLAWOPS_API_KEY={api_key}" in result.output
    assert f"export CLAWOPS_ACCOUNT_ID={accounts[0]}" in result.output
    assert "in memory" in result.output


def test_serve_reads_the_sdk_environment(served: list[dict[str, Any]]) -> None:
    env = {"CLAWOPS_API_KEY": "sk_test_env", "CLAWOPS_ACCOUNT_ID": "AC_env"}
    result = CliRunner().invoke(cli.app, ["serve"], env=env)
    assert result.exit_code == 0, result.output
    assert dict(served[0]["config"].api_keys) == {"sk_test_env": ("AC_env",)}


def test_build_config_defaults() -> None:
    config = cli.build_config(api_key="sk_test_x", account_ids=["AC_x"])
    assert dict(config.api_keys) == {"sk_test_x": ("AC_x",)}
    assert config.db == ":memory:"
    assert "export CLAWOPS_BASE_URL=http://127.0.0.1:1" in cli.banner(config, "http://127.0.0.1:1")


def test_banner_names_the_demo_kakao_channel_and_templates() -> None:
    config = cli.build_config(api_key="sk_test_x", account_ids=["AC_x"])
    text = cli.banner(config, "http://127.0.0.1:1")
    assert f"{demo_channel_id('AC_x')} (demo, connected)" in text
    for name, template in demo_template_ids("AC_x").items():
        assert f"{name}={template}" in text
    assert DEMO_KAKAO_TOKEN in text


def test_without_a_command_help_is_shown() -> None:
    result = CliRunner().invoke(cli.app, [])
    assert "serve" in result.output


def test_made_up_credentials_are_reused_with_the_same_db(tmp_path: Path) -> None:
    db = str(tmp_path / "state.sqlite3")
    first = cli.build_config(db=db)
    second = cli.build_config(db=db)
    assert first.api_keys == second.api_keys
    assert first.signing_keys == second.signing_keys
    in_memory = cli.build_config()
    assert in_memory.api_keys != cli.build_config().api_keys
