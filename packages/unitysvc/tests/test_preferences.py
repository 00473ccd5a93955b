"""Preferences through the SDK over real loopback HTTP: value / effective / source, checks on
write, bound records, the request-log preference behind request_logs.start/stop, restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from unitysvc_fixtures import CHAT, wait_for

from unitysvc import AsyncClient, Client, PreferenceValue, ServiceAliasCreate, ValidationError
from unitysvc.emulator import UnitysvcEmulator, catalogue_id


def test_defaults_carry_value_effective_and_source(other_client: Client) -> None:
    prefs = {p.name: p for p in other_client.preferences.list().data}
    assert set(prefs) == {"notification", "ai", "request-log"}
    ai = prefs["ai"]
    assert (ai.value, ai.source) == (None, "default")
    assert isinstance(ai.effective, PreferenceValue)
    assert ai.effective.service == "chat-small"
    assert (prefs["notification"].effective, prefs["notification"].source) == (None, None)
    log = prefs["request-log"]
    assert (log.value, log.effective, log.source, log.enabled) == (
        None,
        "truncated",
        "default",
        True,
    )
    assert ai.account.type == "customer"
    assert ai.can_edit


def test_ai_is_checked_on_write_and_clears_to_the_default(client: Client) -> None:
    chosen = client.preferences.set_ai("chat-large")
    assert isinstance(chosen.value, PreferenceValue)
    assert (chosen.value.service, chosen.source) == ("chat-large", "account")
    assert chosen.effective == chosen.value
    with pytest.raises(ValidationError, match="422"):
        client.preferences.set_ai("byok-echo")  # needs an enrollment
    with pytest.raises(ValidationError):
        client.preferences.set("ai", {"service": "no-such-service"})
    client.aliases.create(ServiceAliasCreate(name="my-ai", target_path="p/x"))
    assert client.preferences.set_ai("a/my-ai").effective.service == "a/my-ai"  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        client.preferences.set_ai("a/missing")
    cleared = client.preferences.set_ai(None)
    assert (cleared.value, cleared.source) == (None, "default")


def test_notification_targets(client: Client) -> None:
    enr = client.enrollments.create(service_id=catalogue_id("chat-large"))
    code = client.enrollments.get(enr.id).code
    assert client.preferences.set_notification(f"e/{code}").value.service == f"e/{code}"  # type: ignore[union-attr]
    assert client.preferences.set_notification("b/team-alerts").source == "account"
    with pytest.raises(ValidationError):
        client.preferences.set_notification("e/NOPE")
    assert client.preferences.clear("notification").effective is None


def test_preference_records_have_bound_methods(client: Client) -> None:
    pref = client.preferences.get("ai")
    assert pref.set("chat-large").source == "account"
    assert pref.refresh().value.service == "chat-large"  # type: ignore[union-attr]
    assert pref.clear().source == "default"
    assert "chat-small" in repr(pref)


def _log_count(client: Client) -> int:
    return client.request_logs.list(limit=200).total_count


def test_request_logs_start_and_stop_are_the_request_log_preference(client: Client) -> None:
    small = catalogue_id("chat-small")
    client.request_logs.start(truncate_long_message=False)
    pref = client.preferences.get("request-log")
    assert (pref.value, pref.effective, pref.source, pref.mode) == (
        "complete",
        "complete",
        "account",
        "complete",
    )
    stopped = client.request_logs.stop()
    assert stopped.enabled is False
    pref = client.preferences.get("request-log")
    assert (pref.value, pref.effective, pref.source, pref.enabled) == (None, None, None, False)
    before = _log_count(client)
    client.services.dispatch(small, json={"messages": CHAT})
    assert _log_count(client) == before
    assert client.preferences.set_request_log_mode("truncated").enabled is True
    client.services.dispatch(small, json={"messages": CHAT})
    wait_for(lambda: _log_count(client) == before + 1)
    assert client.request_logs.start().mode == "truncated"
    assert client.preferences.set_request_log_mode(None).enabled is False
    client.services.dispatch(small, json={"messages": CHAT})
    assert _log_count(client) == before + 1
    with pytest.raises(ValidationError):
        client.preferences.set("request-log", "everything")
    client.request_logs.start()


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.preferences.set_request_log_mode("full"),
        lambda c: c.preferences.get("Bad Name"),
        lambda c: c.preferences.set("ai", ""),
        lambda c: c.preferences.set("ai", {"gateway": "api"}),
        lambda c: c.preferences.clear("../x"),
    ],
)
def test_bad_input_is_refused_before_sending(
    client: Client, emulator: UnitysvcEmulator, call: Any
) -> None:
    with pytest.raises(ValueError, match=r"^(mode|name|value) "):
        call(client)
    assert len(emulator.journal) == 0


async def test_async_face_and_isolation(aclient: AsyncClient, other_client: Client) -> None:
    pref = await aclient.preferences.set_ai("chat-large")
    assert pref.source == "account"
    assert other_client.preferences.get("ai").source == "default"
    listed = await aclient.preferences.list()
    assert {p.name: p.source for p in listed.data}["ai"] == "account"
    cleared = await listed.data[1].clear()
    assert cleared.source == "default"


def test_preferences_survive_a_restart(start_emulator: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "unitysvc.db")
    with start_emulator(db=db) as first, Client(**first.client_kwargs()) as c:
        c.preferences.set_ai("chat-large")
        c.request_logs.stop()
    with start_emulator(db=db) as second, Client(**second.client_kwargs()) as c:
        assert c.preferences.get("ai").value.service == "chat-large"  # type: ignore[union-attr]
        assert c.preferences.get("request-log").enabled is False
