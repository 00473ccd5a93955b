"""The fault matrix: every write survives a reset after the server acted, 429 with
Retry-After, 503, a read timeout and a malformed success body, and is never applied twice;
exhausted retries raise `PrefactorRetryExhaustedError` carrying the last error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from prefactor_fixtures import FAST_RETRIES, LLM_SCHEMA_VERSION, VERSION

from prefactor_http import (
    AgentForCreate,
    BulkItem,
    BulkRequest,
    PrefactorApiError,
    PrefactorConnectionError,
    PrefactorHttpClient,
    PrefactorRateLimitError,
    PrefactorResponseContractError,
    PrefactorRetryExhaustedError,
    PrefactorTimeoutError,
    SyncPrefactorHttpClient,
)
from prefactor_http.emulator import PrefactorEmulator
from sdkcore.emulator import Fault, FaultRule

PAYLOAD = {"model": "gpt-4", "prompt": "Hello"}


@dataclass(frozen=True)
class Write:
    """One write: the path it posts to, how to make it ready, how to run it, and how many
    rows of which table it must leave behind."""

    path: str
    prepare: Callable[[SyncPrefactorHttpClient], dict[str, str]]
    run: Callable[[SyncPrefactorHttpClient, dict[str, str], str | None], Any]
    table: str


def _instance(client: SyncPrefactorHttpClient, *, start: bool = True) -> dict[str, str]:
    instance = client.agent_instances.register("agent_123", VERSION, LLM_SCHEMA_VERSION)
    if start:
        client.agent_instances.start(instance.id)
    return {"instance": instance.id}


def _span(client: SyncPrefactorHttpClient) -> dict[str, str]:
    ids = _instance(client)
    span = client.agent_spans.create(ids["instance"], "agent:llm", "active", payload=PAYLOAD)
    return {**ids, "span": span.id}


WRITES = {
    "register": Write(
        "/api/v1/agent_instance/register",
        lambda client: {},
        lambda client, ids, key: client.agent_instances.register(
            "agent_123", VERSION, LLM_SCHEMA_VERSION, idempotency_key=key
        ),
        "instances",
    ),
    "start": Write(
        r"/api/v1/agent_instance/[^/]+/start",
        lambda client: _instance(client, start=False),
        lambda client, ids, key: client.agent_instances.start(ids["instance"], idempotency_key=key),
        "instances",
    ),
    "finish": Write(
        r"/api/v1/agent_instance/[^/]+/finish",
        _instance,
        lambda client, ids, key: client.agent_instances.finish(
            ids["instance"], idempotency_key=key
        ),
        "instances",
    ),
    "span_create": Write(
        "/api/v1/agent_spans",
        _instance,
        lambda client, ids, key: client.agent_spans.create(
            ids["instance"], "agent:llm", "active", payload=PAYLOAD, idempotency_key=key
        ),
        "spans",
    ),
    "span_finish": Write(
        r"/api/v1/agent_spans/[^/]+/finish",
        _span,
        lambda client, ids, key: client.agent_spans.finish(ids["span"], idempotency_key=key),
        "spans",
    ),
    "bulk": Write(
        "/api/v1/bulk",
        _instance,
        lambda client, ids, key: client.bulk.execute(
            BulkRequest(
                items=[
                    BulkItem(
                        _type="agent_spans/create",
                        idempotency_key=f"bulk-span-{n}-{key or 'auto'}",
                        agent_instance_id=ids["instance"],
                        schema_name="agent:llm",
                        status="active",
                        payload=PAYLOAD,
                    )
                    for n in range(3)
                ]
            )
        ),
        "spans",
    ),
    "agent_create": Write(
        "/api/v1/agent",
        lambda client: {},
        lambda client, ids, key: client.agents.create(
            AgentForCreate(name="Faulty"), idempotency_key=key
        ),
        "agents",
    ),
}

# The rows each write adds to its table (start/finish change a row instead of adding one).
ADDED = {
    "register": 1,
    "start": 0,
    "finish": 0,
    "span_create": 1,
    "span_finish": 0,
    "bulk": 3,
    "agent_create": 1,
}

TRANSIENT = [
    "reset;processed=1",
    "status=429;retry_after=0.01",
    "status=503",
    "delay=0.6",
]


def _rows(emu: PrefactorEmulator, table: str) -> int:
    count: int = emu.db.scalar(f"SELECT COUNT(*) FROM {table}")
    return count


def _attempts(emu: PrefactorEmulator, path: str) -> list[Any]:
    import re

    return [
        entry.body
        for entry in emu.journal.entries
        if entry.method == "POST" and re.fullmatch(path, entry.path)
    ]


@pytest.mark.parametrize("fault", TRANSIENT)
@pytest.mark.parametrize("name", sorted(WRITES))
def test_write_survives_fault_and_applies_once(
    fresh_emulator: PrefactorEmulator, name: str, fault: str
) -> None:
    write = WRITES[name]
    # Only the delay fault needs a short timeout: the client must give up before the server acts.
    timeout = 0.3 if fault.startswith("delay") else FAST_RETRIES["request_timeout"]
    config = fresh_emulator.config(**{**FAST_RETRIES, "request_timeout": timeout})
    with SyncPrefactorHttpClient(config) as client:
        ids = write.prepare(client)
        before = _rows(fresh_emulator, write.table)
        fresh_emulator.journal.clear()
        fresh_emulator.faults.add(
            FaultRule(Fault.parse(fault), method="POST", path=write.path, times=1)
        )
        result = write.run(client, ids, None)
        assert result is not None
    assert _rows(fresh_emulator, write.table) == before + ADDED[name]
    bodies = _attempts(fresh_emulator, write.path)
    # Every attempt carried the same body, idempotency key included (on a loaded machine a
    # slow answer may time out once more, hence at least two).
    assert len(bodies) >= 2
    assert all(body == bodies[0] for body in bodies)
    if name == "span_finish":
        assert (
            fresh_emulator.db.scalar("SELECT status FROM spans WHERE id = ?", (ids["span"],))
            == "complete"
        )


@pytest.mark.parametrize("name", sorted(WRITES))
def test_malformed_success_body_then_caller_retry_applies_once(
    fresh_emulator: PrefactorEmulator, name: str
) -> None:
    write = WRITES[name]
    with SyncPrefactorHttpClient(fresh_emulator.config(**FAST_RETRIES)) as client:
        ids = write.prepare(client)
        before = _rows(fresh_emulator, write.table)
        fresh_emulator.faults.add(
            FaultRule(Fault.parse("malformed_json"), method="POST", path=write.path, times=1)
        )
        with pytest.raises(PrefactorResponseContractError) as caught:
            write.run(client, ids, "caller-key-0001")
        assert caught.value.status_code == 200
        again = write.run(client, ids, "caller-key-0001")
        assert again is not None
    assert _rows(fresh_emulator, write.table) == before + ADDED[name]


@pytest.mark.parametrize(
    ("fault", "last"),
    [
        ("status=503", PrefactorApiError),
        ("reset", PrefactorConnectionError),
        ("delay=0.6", PrefactorTimeoutError),
    ],
)
def test_exhaustion_raises_retry_exhausted_with_last_error(
    fresh_emulator: PrefactorEmulator, fault: str, last: type[Exception]
) -> None:
    config = fresh_emulator.config(**{**FAST_RETRIES, "request_timeout": 0.3, "max_retries": 2})
    with SyncPrefactorHttpClient(config) as client:
        fresh_emulator.faults.add(FaultRule(Fault.parse(fault), path="/api/v1/agent_instance/.*"))
        with pytest.raises(PrefactorRetryExhaustedError) as caught:
            client.agent_instances.register("agent_123", VERSION, LLM_SCHEMA_VERSION)
    assert isinstance(caught.value.last_error, last)
    assert "/api/v1/agent_instance/register" in str(caught.value)
    assert "3 attempts" in str(caught.value)
    assert len(_attempts(fresh_emulator, "/api/v1/agent_instance/register")) == 3
    assert _rows(fresh_emulator, "instances") <= 1


async def test_async_exhaustion_and_no_retry_without_retries(
    fresh_emulator: PrefactorEmulator,
) -> None:
    fresh_emulator.faults.add(FaultRule(Fault.parse("status=503"), path="/api/v1/agent_spans"))
    async with PrefactorHttpClient(fresh_emulator.config(**FAST_RETRIES)) as client:
        instance = await client.agent_instances.register("agent_123", VERSION, LLM_SCHEMA_VERSION)
        with pytest.raises(PrefactorRetryExhaustedError) as caught:
            await client.agent_spans.create(instance.id, "agent:llm", "active", payload=PAYLOAD)
        assert isinstance(caught.value.last_error, PrefactorApiError)
        assert caught.value.last_error.status_code == 503
        assert caught.value.last_error.code == "service_unavailable"
    async with PrefactorHttpClient(fresh_emulator.config(max_retries=0)) as once:
        # With retries disabled the original error propagates, as in the seed.
        with pytest.raises(PrefactorApiError) as plain:
            await once.agent_spans.create(instance.id, "agent:llm", "active", payload=PAYLOAD)
    assert not isinstance(plain.value, PrefactorRetryExhaustedError)
    assert _rows(fresh_emulator, "spans") == 0


def test_retry_after_beyond_the_cap_is_not_waited_for(fresh_emulator: PrefactorEmulator) -> None:
    fresh_emulator.faults.add(FaultRule(Fault.parse("status=429;retry_after=120"), times=1))
    config = fresh_emulator.config(**FAST_RETRIES)
    with SyncPrefactorHttpClient(config) as client, pytest.raises(PrefactorApiError) as caught:
        client.validate_token()
    assert caught.value.status_code == 429
    assert isinstance(caught.value, PrefactorRateLimitError)
    assert caught.value.retry_after == 120
    assert len(fresh_emulator.journal) == 1


def test_non_retryable_status_is_raised_at_once(fresh_emulator: PrefactorEmulator) -> None:
    config = fresh_emulator.config(**FAST_RETRIES)
    with SyncPrefactorHttpClient(config) as client, pytest.raises(PrefactorApiError) as caught:
        client.agent_instances.start("inst_missing")
    assert caught.value.status_code == 404
    assert len(fresh_emulator.journal) == 1
