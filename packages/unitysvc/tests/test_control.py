"""The control plane through the SDK: groups, services, enrollments, secrets, aliases,
recurrent requests, errors, idempotency, the /customer spelling and persistence."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import httpx
import pytest
from unitysvc_fixtures import CHAT, MAIN_KEY, wait_for

from sdkcore.emulator import FaultRule, parse_fault_header
from unitysvc import (
    AuthenticationError,
    Client,
    ConflictError,
    NotFoundError,
    PermissionError,
    RateLimitError,
    RecurrentRequestCreate,
    ServerError,
    ServiceAliasCreate,
    ValidationError,
)
from unitysvc.emulator import UnitysvcEmulator


def _catalogue_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "unitysvc-catalogue:" + name))


def test_group_collection_lifecycle(client: Client, emulator: UnitysvcEmulator) -> None:
    assert {g.name for g in client.groups.list(owner="system")} == {"echo", "llm", "streams"}
    mine = client.groups.create(name="my-models", display_name="Mine")
    assert mine.editable
    assert mine.owner_type == "customer"
    assert [g.name for g in client.groups.list(owner="own")] == ["my-models"]
    assert [g.name for g in client.groups.list(name="MY-M")] == ["my-models"]

    emulator.journal.clear()
    updated = mine.update(description="only this")
    assert emulator.journal.last().json() == {"description": "only this"}
    assert (updated.display_name, updated.description) == ("Mine", "only this")
    cleared = client.groups.update(mine.id, display_name=None)
    assert emulator.journal.last().json() == {"display_name": None}
    assert cleared.display_name is None

    member = mine.add_member(service_id=_catalogue_id("chat-small"), routing_key={"model": "s"})
    assert member.routing_key == {"model": "s"}
    assert [m.service_id for m in mine.members()] == [_catalogue_id("chat-small")]
    with pytest.raises(ConflictError):
        mine.add_member(service_id=_catalogue_id("chat-small"))
    answer = client.groups.get("my-models").dispatch(json={"messages": CHAT})
    assert answer.json()["served_by"] == "chat-small"
    mine.remove_member(_catalogue_id("chat-small"))
    assert mine.members() == []
    mine.delete()
    with pytest.raises(NotFoundError):
        client.groups.get("my-models")


def test_group_errors(client: Client, other_client: Client) -> None:
    llm = client.groups.get("llm")
    with pytest.raises(PermissionError) as info:
        llm.update(display_name="mine now")
    assert info.value.status_code == 403
    with pytest.raises(ValidationError) as bad:
        client.groups.create(name="Not A Slug")
    assert bad.value.status_code == 422
    with pytest.raises(ConflictError):
        client.groups.create(name="llm")
    private = client.groups.create(name="private-one")
    with pytest.raises(NotFoundError):
        other_client.groups.get("private-one")
    private.delete()


def test_group_services_cursor_paging(client: Client) -> None:
    everything = client.groups.create(name="everything")
    names = ["chat-small", "chat-large", "ndjson-feed", "line-feed", "slow-svc"]
    for name in names:
        everything.add_member(service_id=_catalogue_id(name))
    first = client.groups.services("everything", limit=2)
    assert len(first.data) == 2
    assert first.has_more
    assert first.next_cursor
    second = client.groups.services("everything", cursor=first.next_cursor, limit=2)
    assert {s.id for s in second.data}.isdisjoint(s.id for s in first.data)
    walked = [s.name for s in first.auto_paging_iter()]
    assert sorted(walked) == sorted(names)
    assert [len(p.data) for p in first.iter_pages()] == [2, 2, 1]
    assert [s.name for s in client.groups.services("everything", search="feed").data] == [
        "line-feed",
        "ndjson-feed",
    ] or {s.name for s in client.groups.services("everything", search="feed").data} == {
        "line-feed",
        "ndjson-feed",
    }
    everything.delete()


async def test_group_services_paging_async(aclient: object) -> None:
    from unitysvc import AsyncClient

    assert isinstance(aclient, AsyncClient)
    page = await aclient.groups.services("llm", limit=1)
    names = [s.name async for s in page.auto_paging_iter()]
    assert sorted(names) == ["chat-large", "chat-small"]


def test_service_by_prefix_and_unknown(client: Client) -> None:
    full = _catalogue_id("line-feed")
    assert client.services.get(full[:8]).id == full
    with pytest.raises(NotFoundError):
        client.services.get("ffffffff-0000")


def test_enrollment_list_cancel_and_reenroll(other_client: Client) -> None:
    svc = _catalogue_id("chat-small")
    enr = other_client.enrollments.create(service_id=svc, parameters={"password": "p", "x": 1})
    with pytest.raises(ConflictError):
        other_client.enrollments.create(service_id=svc)
    listed = other_client.enrollments.list(limit=10)
    assert enr.id in [e.id for e in listed.data]
    assert listed.count >= 1
    wait_for(lambda: other_client.enrollments.get(enr.id).status == "active")
    assert other_client.enrollments.cancel(enr.id).status == "cancelled"
    again = other_client.enrollments.create(service_id=svc)
    assert again.id == enr.id
    assert again.parameters == {"password": "****", "x": 1}
    bare = other_client.enrollments.get(enr.id, include_service_details=False)
    assert bare.service is None


def test_secrets(
    client: Client, emulator: UnitysvcEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.journal.clear()
    with pytest.raises(ValueError, match=r"\^\[A-Z_\]"):
        client.secrets.set("lower-case", "x")
    assert len(emulator.journal) == 0
    stored = client.secrets.set("OPENAI_KEY", "sk-very-secret-value")
    assert stored.name == "OPENAI_KEY"
    assert "sk-very-secret-value" not in repr(stored) + repr(client.secrets.get("OPENAI_KEY"))
    assert "sk-very-secret-value" not in caplog.text
    assert client.secrets.set("EMPTY_ONE", "").name == "EMPTY_ONE"
    assert {s.name for s in client.secrets.list().data} >= {"OPENAI_KEY", "EMPTY_ONE"}
    assert client.secrets.delete("EMPTY_ONE").message
    with pytest.raises(NotFoundError):
        client.secrets.get("EMPTY_ONE")


def test_alias_switch_is_atomic_and_routes(client: Client) -> None:
    first = client.aliases.create(
        {"name": "chat", "target_path": f"p/{_catalogue_id('chat-small')}"}
    )
    second = client.aliases.create(
        ServiceAliasCreate(name="chat", target_path=f"p/{_catalogue_id('chat-large')}")
    )
    assert first.is_routing
    assert not second.is_routing
    assert client.dispatch("a/chat", json={"messages": CHAT}).json()["served_by"] == "chat-small"
    switched = client.aliases.switch_routing(second.id)
    assert switched.alias.is_routing
    assert switched.demoted_alias_id == first.id
    assert not client.aliases.get(first.id).is_routing
    assert client.dispatch("a/chat", json={"messages": CHAT}).json()["served_by"] == "chat-large"
    assert client.resolve(path="a/chat").selected.service_name == "chat-large"  # type: ignore[union-attr]
    client.aliases.update(second.id, {"description": "the big one"})
    assert client.aliases.get(second.id).description == "the big one"
    assert not client.aliases.switch_routing(second.id, on=False).alias.is_routing
    client.aliases.delete(first.id)
    assert [a.id for a in client.aliases.list(name="chat").data] == [second.id]
    assert len(client.aliases.list(name="chat", include_deactivated=True).data) == 2
    with pytest.raises(ValidationError):
        client.aliases.create({"name": "x", "target_path": "https://evil.example/"})


def test_recurrent_request_runs_on_schedule(client: Client) -> None:
    small = client.services.get(_catalogue_id("chat-small"))
    created = small.schedule(
        recurrence={"schedule_type": "interval", "interval_seconds": 0.1},
        json={"messages": CHAT},
        name="heartbeat",
    )
    assert created.status.value == "active"
    assert created.name == "heartbeat"
    state = wait_for(
        lambda: (s := client.recurrent_requests.get(created.id).state) and s["run_count"] >= 2 and s
    )
    assert state["last_status_code"] == 200
    logs = client.request_logs.list(service_id=small.id, limit=200).items  # type: ignore[arg-type]
    assert any(log.recurrent_request_id == created.id for log in logs)
    paused = client.recurrent_requests.update(created.id, {"status": "paused"})
    assert paused.status.value == "paused"
    run = client.recurrent_requests.trigger(created.id)
    assert run["status_code"] == 200
    assert run["trigger"] == "manual"
    listed = client.recurrent_requests.list(status="paused", service_id=small.id)
    assert [r.id for r in listed.data] == [created.id]
    client.recurrent_requests.delete(created.id)
    with pytest.raises(NotFoundError):
        client.recurrent_requests.get(created.id)


def test_recurrent_request_cron_and_validation(client: Client) -> None:
    draft = client.recurrent_requests.create(
        RecurrentRequestCreate(request_path="g/llm", body_template={"messages": CHAT})
    )
    assert draft.status.value == "draft"
    cron = {"schedule_type": "cron", "cron_expression": "*/5 * * * *", "timezone": "Europe/Paris"}
    active = client.recurrent_requests.update(draft.id, {"schedule": cron})
    assert active.status.value == "active"
    assert active.schedule == cron
    with pytest.raises(ValueError, match="schedule_type"):
        client.recurrent_requests.update(draft.id, {"schedule": {"schedule_type": "weekly"}})
    with pytest.raises(ValidationError):
        client.recurrent_requests.update(
            draft.id, {"schedule": {"schedule_type": "cron", "cron_expression": "not cron"}}
        )
    client.recurrent_requests.delete(draft.id)


def test_error_mapping(client: Client, emulator: UnitysvcEmulator) -> None:
    with (
        pytest.raises(AuthenticationError) as info,
        Client("svcpass_wrong", base_url=client._base) as wrong,
    ):
        wrong.groups.list()
    assert info.value.status_code == 401
    assert info.value.detail == {"detail": "Invalid or missing API key"}
    emulator.faults.add(
        FaultRule(parse_fault_header("status=429")[0], path="/v1/secrets/", times=3)
    )
    with pytest.raises(RateLimitError):
        client.secrets.list()
    emulator.faults.add(
        FaultRule(parse_fault_header("status=503")[0], path="/v1/secrets/", times=3)
    )
    with pytest.raises(ServerError) as server:
        client.secrets.list()
    assert server.value.status_code == 503
    emulator.faults.clear()
    emulator.faults.add(
        FaultRule(parse_fault_header("status=503")[0], path="/v1/secrets/", times=1)
    )
    assert client.secrets.list().count >= 0  # one 503, then retried


def test_bad_input_raises_before_any_request(client: Client, emulator: UnitysvcEmulator) -> None:
    emulator.journal.clear()
    with pytest.raises(ValueError, match="owner"):
        client.groups.list(owner="everyone")
    with pytest.raises(ValueError, match="limit"):
        client.groups.services("llm", limit=0)
    with pytest.raises(TypeError, match="service_id"):
        client.enrollments.create(service_id=42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="gateway"):
        client.resolve(path="g/llm", gateway="ftp")
    with pytest.raises(ValueError, match="error_source"):
        client.request_logs.list(error_source="nobody")
    with pytest.raises(ValueError, match="status_min"):
        client.request_logs.list(status_min=99)
    with pytest.raises(ValueError, match="json and data"):
        client.groups.dispatch("llm", json={}, data=b"x")
    assert len(emulator.journal) == 0


def test_idempotency_and_route_spellings(client: Client, emulator: UnitysvcEmulator) -> None:
    emulator.journal.clear()
    client.groups.create(name="idem-check").delete()
    sent = emulator.journal.entries[0]
    assert sent.header("idempotency-key")
    headers = {"Authorization": f"Bearer {MAIN_KEY}", "Idempotency-Key": "same-key"}
    body = {"service_id": _catalogue_id("line-feed")}
    with httpx.Client(base_url=emulator.url, headers=headers) as http:
        first = http.post("/v1/customer/enrollments", json=body)
        second = http.post("/v1/enrollments/", json=body)
        assert first.status_code == second.status_code == 202
        assert first.json()["id"] == second.json()["id"]
        assert second.headers["idempotent-replayed"] == "true"
        for path in (
            "/v1/groups",
            "/v1/groups/",
            "/v1/customer/groups",
            "/v1/secrets",
            "/v1/customer/secrets/",
        ):
            assert http.get(path).status_code == 200, path
        assert http.get("/v1/nowhere").json() == {"detail": "Not Found"}


def test_state_survives_restart(start_emulator: object, tmp_path: Path) -> None:
    db = str(tmp_path / "unitysvc.db")
    start = start_emulator
    assert callable(start)
    with start(db=db) as first, Client(**first.client_kwargs()) as c:
        c.secrets.set("KEPT", "v")
        group = c.groups.create(name="kept-group")
        group.add_member(service_id=_catalogue_id("chat-small"))
        enr = c.enrollments.create(service_id=_catalogue_id("chat-large"))
        wait_for(lambda: c.enrollments.get(enr.id).status == "active")
    with start(db=db) as second, Client(**second.client_kwargs()) as c:
        assert c.secrets.get("KEPT").name == "KEPT"
        assert c.groups.get("kept-group").member_count == 1
        assert c.enrollments.get(enr.id).status == "active"
