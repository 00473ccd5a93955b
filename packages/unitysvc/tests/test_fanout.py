"""Broadcasts (``/b/<name>``) and chains (``/c/<name>``) over real loopback HTTP: management
with both faces, fan-out to every target, chain failover and ordered steps, restart safety."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from unitysvc_fixtures import CHAT, wait_for

from unitysvc import (
    AsyncClient,
    Broadcast,
    Chain,
    Client,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from unitysvc.emulator import UnitysvcEmulator, catalogue_id


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


FAIL = {"X-Upstream-Fail": "503"}


def test_broadcast_fans_out_to_every_target(client: Client, emulator: UnitysvcEmulator) -> None:
    bc = client.broadcasts.create(
        name=_name("fan"),
        description="three targets",
        targets=[
            {"name": "small", "target_path": f"p/{catalogue_id('chat-small')}"},
            {"name": "large", "target_path": f"p/{catalogue_id('chat-large')}"},
            {"name": "echo", "target_path": f"p/{catalogue_id('flaky-svc')}"},
        ],
    )
    assert isinstance(bc, Broadcast)
    assert bc.path == f"b/{bc.name}"
    assert [t.name for t in bc.targets] == ["small", "large", "echo"]
    response = bc.dispatch(json={"messages": CHAT})
    assert response.status_code == 200
    envelope = response.json()
    assert envelope["mode"] == "sync"
    assert envelope["succeeded"] == 3
    assert envelope["failed"] == 0
    served = {r["target"]: r["body"]["served_by"] for r in envelope["results"]}
    assert served == {"small": "chat-small", "large": "chat-large", "echo": "flaky-svc"}
    # The upstream answers really came through: each one echoes the message.
    assert all("hello from the tests" in str(r["body"]) for r in envelope["results"])

    # One failing target is reported in the envelope, the others still answer.
    failing = client.broadcasts.dispatch(bc.name, json={"messages": CHAT}, headers=FAIL).json()
    by_target = {r["target"]: r for r in failing["results"]}
    assert by_target["echo"]["status_code"] == 503
    assert not by_target["echo"]["ok"]
    assert by_target["small"]["status_code"] == 200
    assert (failing["succeeded"], failing["failed"]) == (2, 1)


def test_broadcast_target_management(client: Client) -> None:
    bc = client.broadcasts.create(name=_name("mgmt"), mode="sync", target_timeout_ms=5000)
    assert bc.targets == []
    target = bc.add_target(name="one", target_path=f"p/{catalogue_id('chat-small')}", sort_order=2)
    assert target.broadcast_id == bc.id
    assert target.target_path == f"p/{catalogue_id('chat-small')}"
    bc.add_target(name="two", target_path="g/llm", routing_key_override={"model": "large"})
    refreshed = bc.refresh()
    assert [t.name for t in refreshed.targets] == ["two", "one"]  # by sort_order
    with pytest.raises(ConflictError):
        bc.add_target(name="one", target_path="g/llm")
    envelope = refreshed.dispatch(json={"messages": CHAT}).json()
    served = {r["target"]: r["body"]["served_by"] for r in envelope["results"]}
    assert served == {"one": "chat-small", "two": "chat-large"}  # the override routed "two"

    bc.remove_target(target.id)
    assert [t.name for t in bc.refresh().targets] == ["two"]
    replaced = bc.replace_targets(
        [{"name": "x", "target_path": "g/echo"}, {"name": "y", "target_path": "g/llm"}]
    )
    assert [t.name for t in replaced.targets] == ["x", "y"]
    updated = bc.update(description="changed", enabled=False)
    assert (updated.description, updated.enabled, updated.mode) == ("changed", False, "sync")
    assert bc.dispatch(json={}).status_code == 403  # disabled
    assert any(b.id == bc.id for b in client.broadcasts.list())
    assert bc.delete().message
    with pytest.raises(NotFoundError):
        client.broadcasts.get(bc.id)
    assert client.broadcasts.dispatch(bc.name, json={}).status_code == 404


def test_async_broadcast_queues_tasks(client: Client) -> None:
    bc = client.broadcasts.create(
        name=_name("async"),
        mode="async",
        targets=[
            {"name": "a", "target_path": f"p/{catalogue_id('chat-small')}"},
            {"name": "b", "target_path": f"p/{catalogue_id('flaky-svc')}"},
        ],
    )
    response = bc.dispatch(json={"messages": CHAT}, headers=FAIL)
    assert response.status_code == 202
    tasks = response.json()["tasks"]
    assert {t["target"] for t in tasks} == {"a", "b"}
    assert all(t["status"] == "queued" for t in tasks)

    def finished() -> Any:
        rows = bc.tasks().data
        done = {r.target: r for r in rows if r.status in ("succeeded", "failed")}
        return done if len(done) == 2 else None

    done = wait_for(finished)
    assert (done["a"].status, done["a"].status_code) == ("succeeded", 200)
    assert (done["b"].status, done["b"].status_code) == ("failed", 503)


def test_chain_fails_over(client: Client) -> None:
    ch = client.chains.create(
        name=_name("failover"),
        steps=[
            {
                "name": "primary",
                "target_path": f"p/{catalogue_id('flaky-svc')}",
                "on_failure": "continue",
            },
            {"name": "backup", "target_path": f"p/{catalogue_id('chat-large')}"},
        ],
    )
    assert isinstance(ch, Chain)
    assert ch.path == f"c/{ch.name}"
    healthy = ch.dispatch(json={"messages": CHAT})
    assert healthy.status_code == 200
    assert healthy.json()["served_by"] == "flaky-svc"
    assert healthy.headers["x-unitysvc-chain-trace"] == "primary=200"

    failed_over = ch.dispatch(json={"messages": CHAT}, headers=FAIL)
    assert failed_over.status_code == 200
    assert failed_over.json()["served_by"] == "chat-large"
    assert failed_over.headers["x-unitysvc-chain-step"] == "backup"
    assert failed_over.headers["x-unitysvc-chain-trace"] == "primary=503,backup=200"

    # A step that answers with the failure itself ends the chain there.
    primary = next(s for s in ch.steps if s.name == "primary")
    ch.update_step(primary.id, on_failure="stop")
    stopped = ch.dispatch(json={"messages": CHAT}, headers=FAIL)
    assert stopped.status_code == 503
    assert stopped.headers["x-unitysvc-chain-trace"] == "primary=503"


def test_chain_ordered_steps_and_jumps(client: Client) -> None:
    offline = f"p/{catalogue_id('offline-svc')}"
    ch = client.chains.create(
        name=_name("ordered"),
        default_timeout_ms=5000,
        steps=[
            {"name": "down", "target_path": offline, "on_failure": "fallback"},
            {"name": "skipped", "target_path": "g/llm"},
            {"name": "fallback", "target_path": "g/echo", "on_success": "relay"},
            {"name": "last", "target_path": f"p/{catalogue_id('chat-small')}"},
        ],
    )
    # "down" fails and jumps over "skipped" to "fallback"; g/echo's only member needs an
    # enrollment, so it fails too (403) and its default on_failure, "continue", runs "last".
    response = ch.dispatch(json={"messages": CHAT})
    trace = response.headers["x-unitysvc-chain-trace"].split(",")
    assert trace[0] == "down=502"
    assert trace[1].startswith("fallback=")
    assert trace[-1] == "last=200"
    assert "skipped" not in response.headers["x-unitysvc-chain-trace"]

    # "relay" sends a step's response body on as the next step's request.
    relay = client.chains.create(
        name=_name("relay"),
        steps=[
            {
                "name": "first",
                "target_path": f"p/{catalogue_id('chat-small')}",
                "on_success": "relay",
            },
            {"name": "second", "target_path": f"p/{catalogue_id('flaky-svc')}"},
        ],
    )
    answer = relay.dispatch(json={"messages": CHAT})
    assert answer.headers["x-unitysvc-chain-trace"] == "first=200,second=200"
    assert answer.json()["served_by"] == "flaky-svc"


def test_chain_step_management_and_checks(client: Client, emulator: UnitysvcEmulator) -> None:
    ch = client.chains.create(name=_name("steps"))
    with pytest.raises(ConflictError):
        client.chains.create(name=ch.name)
    assert ch.dispatch(json={}).status_code == 409  # no steps yet
    step = ch.add_step(name="one", target_path="g/llm", sort_order=0)
    assert (step.on_success, step.on_failure) == ("stop", "continue")
    with pytest.raises(ValidationError):  # the server refuses a jump to a missing step
        ch.add_step(name="two", target_path="g/llm", sort_order=1, on_failure="nowhere")
    replaced = ch.replace_steps(
        [
            {"name": "a", "target_path": "g/llm", "on_failure": "b"},
            {"name": "b", "target_path": "g/echo", "timeout_ms": 500},
        ]
    )
    assert [s.name for s in replaced.steps] == ["a", "b"]
    assert replaced.steps[1].timeout_ms == 500
    b = replaced.steps[1]
    with pytest.raises(ValidationError):  # "a" still jumps to "b"
        ch.remove_step(b.id)
    assert ch.update(default_timeout_ms=2000).default_timeout_ms == 2000
    assert ch.update_step(b.id, name="b").name == "b"
    ch.update_step(replaced.steps[0].id, on_failure="continue")
    assert ch.remove_step(b.id).message
    assert [s.name for s in ch.refresh().steps] == ["a"]
    assert any(c.id == ch.id for c in client.chains.list())
    ch.delete()
    with pytest.raises(NotFoundError):
        ch.refresh()

    # Bad input never leaves the client.
    emulator.journal.clear()
    bad: list[Callable[[], Any]] = [
        lambda: client.chains.create(name="has space"),
        lambda: client.chains.create(name="x", steps=[{"name": "a"}]),
        lambda: client.chains.create(
            name="x", steps=[{"name": "a", "target_path": "g/llm", "on_failure": "zzz"}]
        ),
        lambda: client.chains.create(name="x", steps=[{"name": "stop", "target_path": "g/llm"}]),
        lambda: client.chains.add_step("id", name="a", target_path="https://evil", sort_order=0),
        lambda: client.chains.update_step("id", "sid", target_path="https://evil"),
        lambda: client.broadcasts.create(name="x", mode="later"),
        lambda: client.broadcasts.create(
            name="x", targets=[{"name": "a", "target_path": "g/x", "weight": 1}]
        ),
        lambda: client.broadcasts.update("id", target_timeout_ms="fast"),
        lambda: client.broadcasts.dispatch("bad/name"),
    ]
    for call in bad:
        with pytest.raises((TypeError, ValueError)):
            call()
    with pytest.raises(ValueError, match=r"^step\[0\]\.target_path='//evil' must be"):
        client.chains.update_step("id", "sid", target_path="//evil")
    with pytest.raises(ValueError, match=r"^steps\[1\] has unknown keys: aa, zz$"):
        client.chains.create(
            name="x",
            steps=[
                {"name": "a", "target_path": "g/llm"},
                {"name": "b", "target_path": "g/llm", "zz": 1, "aa": 2},
            ],
        )
    assert len(emulator.journal) == 0


def test_other_customers_cannot_reach(client: Client, other_client: Client) -> None:
    bc = client.broadcasts.create(
        name=_name("mine"), targets=[{"name": "a", "target_path": "g/llm"}]
    )
    with pytest.raises(NotFoundError):
        other_client.broadcasts.get(bc.id)
    assert other_client.broadcasts.dispatch(bc.name, json={}).status_code == 404
    assert all(b.id != bc.id for b in other_client.broadcasts.list())


def test_wrappers_compose(client: Client) -> None:
    ch = client.chains.create(
        name=_name("wrapped"),
        steps=[{"name": "only", "target_path": f"p/{catalogue_id('chat-small')}"}],
    )
    first = ch.cached(ttl="5m").logged().dispatch(json={"messages": CHAT})
    again = ch.cached(ttl="5m").dispatch(json={"messages": CHAT})
    assert first.headers["x-unitysvc-cache"] == "miss"
    assert again.headers["x-unitysvc-cache"] == "hit"
    assert again.json() == first.json()
    logs = client.request_logs.list(user_request_path=f"/l/m/c/{ch.name}")
    assert logs.total_count == 1  # the /l/ wrapper logged the chain call itself


async def test_async_client(aclient: AsyncClient) -> None:
    bc = await aclient.broadcasts.create(
        name=_name("afan"),
        targets=[
            {"name": "g", "target_path": "g/llm"},
            {"name": "p", "target_path": f"p/{catalogue_id('chat-small')}"},
        ],
    )
    envelope = (await bc.dispatch(json={"messages": CHAT})).json()
    assert envelope["succeeded"] == 2
    assert (await bc.refresh()).id == bc.id
    ch = await aclient.chains.create(
        name=_name("achain"),
        steps=[
            {"name": "primary", "target_path": f"p/{catalogue_id('flaky-svc')}"},
            {"name": "backup", "target_path": f"p/{catalogue_id('chat-small')}"},
        ],
    )
    response = await aclient.chains.dispatch(ch.name, json={"messages": CHAT}, headers=FAIL)
    assert response.json()["served_by"] == "chat-small"
    assert [c.name for c in (await aclient.chains.list()).data if c.id == ch.id] == [ch.name]
    await ch.delete()
    await bc.delete()


def test_state_survives_restart(
    start_emulator: Callable[..., UnitysvcEmulator], tmp_path: Path
) -> None:
    db = str(tmp_path / "state.sqlite")
    with start_emulator(db=db) as first, Client(**first.client_kwargs()) as c:
        bc = c.broadcasts.create(name="kept", targets=[{"name": "a", "target_path": "g/llm"}])
        ch = c.chains.create(name="kept", steps=[{"name": "a", "target_path": "g/llm"}])
    with start_emulator(db=db) as second, Client(**second.client_kwargs()) as c:
        assert [t.name for t in c.broadcasts.get(bc.id).targets] == ["a"]
        assert [s.name for s in c.chains.get(ch.id).steps] == ["a"]
        assert c.chains.dispatch("kept", json={"messages": CHAT}).status_code == 200


def test_a_retried_create_creates_once(client: Client, emulator: UnitysvcEmulator) -> None:
    emulator.journal.clear()
    client.chains.create(name=_name("keyed")).delete()
    assert emulator.journal.entries[0].header("idempotency-key")
    name = _name("retried")
    headers = {"Authorization": f"Bearer {emulator.api_key}", "Idempotency-Key": name}
    body = {"name": name, "targets": [{"name": "a", "target_path": "g/llm"}]}
    with httpx.Client(base_url=emulator.url, headers=headers) as http:
        first = http.post("/v1/broadcasts/", json=body)
        second = http.post("/v1/broadcasts/", json=body)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert [b.name for b in client.broadcasts.list() if b.name == name] == [name]
