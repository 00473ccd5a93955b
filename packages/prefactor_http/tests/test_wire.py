"""Wire shapes of the spec, byte for byte, as the emulator's journal received them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from prefactor_fixtures import LLM_SCHEMA_VERSION

from prefactor_http import (
    BulkItem,
    BulkRequest,
    PrefactorHttpClient,
    PrefactorNotFoundError,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
)
from prefactor_http.emulator import PrefactorEmulator
from sdkcore.emulator import RecordedRequest

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _headers_of(entry: RecordedRequest, emulator: PrefactorEmulator) -> None:
    assert entry.header("authorization") == f"Bearer {emulator.api_token}"
    assert entry.header("content-type") == "application/json"
    assert entry.header("accept") == "application/json"
    assert entry.header("user-agent") == "prefactor_http-python/0.1.0"


def test_instance_and_span_writes(
    client: SyncPrefactorHttpClient, emulator: PrefactorEmulator
) -> None:
    instance = client.agent_instances.register(
        "agent_123",
        {"name": "My Agent", "external_identifier": "v1.0.0"},
        {"external_identifier": "v1", "span_schemas": {"agent:llm": {"type": "object"}}},
        id="wire-instance",
        idempotency_key="wire-key-register",
    )
    register = emulator.journal.last()
    assert (register.method, register.path, register.query) == (
        "POST",
        "/api/v1/agent_instance/register",
        "",
    )
    assert register.body == (
        b'{"agent_id":"agent_123","agent_version":{"name":"My Agent","external_identifier":'
        b'"v1.0.0"},"agent_schema_version":{"external_identifier":"v1","span_schemas":'
        b'{"agent:llm":{"type":"object"}}},"update_current_version":true,"id":"wire-instance",'
        b'"idempotency_key":"wire-key-register"}'
    )
    _headers_of(register, emulator)
    assert register.header("idempotency-key") is None

    client.agent_instances.start(instance.id, timestamp=WHEN, idempotency_key="wire-key-start")
    start = emulator.journal.last()
    assert start.path == "/api/v1/agent_instance/wire-instance/start"
    assert start.body == (
        b'{"timestamp":"2026-01-02T03:04:05+00:00","idempotency_key":"wire-key-start"}'
    )

    span = client.agent_spans.create(
        instance.id,
        "agent:llm",
        "active",
        payload={"model": "gpt-4"},
        id="wire-span",
        idempotency_key="wire-key-span",
    )
    create = emulator.journal.last()
    assert create.path == "/api/v1/agent_spans"
    assert create.body == (
        b'{"details":{"agent_instance_id":"wire-instance","schema_name":"agent:llm",'
        b'"status":"active","payload":{"model":"gpt-4"},"id":"wire-span",'
        b'"idempotency_key":"wire-key-span"}}'
    )
    _headers_of(create, emulator)

    client.agent_spans.finish(span.id, result_payload={"ok": True}, idempotency_key="wire-key-sf")
    assert emulator.journal.last().body == (
        b'{"result_payload":{"ok":true},"idempotency_key":"wire-key-sf"}'
    )
    client.agent_instances.finish(instance.id, status="failed", idempotency_key="wire-key-fin")
    finish = emulator.journal.last()
    assert finish.path == "/api/v1/agent_instance/wire-instance/finish"
    assert finish.body == b'{"status":"failed","idempotency_key":"wire-key-fin"}'


async def test_span_payload_defaults_to_an_empty_object(
    aclient: PrefactorHttpClient, emulator: PrefactorEmulator
) -> None:
    instance = await aclient.agent_instances.register("agent_123", {}, LLM_SCHEMA_VERSION)
    with pytest.raises(PrefactorValidationError):
        await aclient.agent_spans.create(instance.id, "agent:llm", "pending", payload=None)
    # The rejected request shows what was sent: {} when payload is None.
    sent = emulator.journal.last().json()
    assert list(sent) == ["details"]
    assert list(sent["details"]) == [
        "agent_instance_id",
        "schema_name",
        "status",
        "payload",
        "idempotency_key",
    ]
    assert sent["details"]["payload"] == {}


async def test_bulk_body(aclient: PrefactorHttpClient, emulator: PrefactorEmulator) -> None:
    await aclient.bulk.execute(
        BulkRequest(
            items=[
                BulkItem(_type="agents/show", idempotency_key="show-key-1", agent_id="agent_123")
            ]
        )
    )
    bulk = emulator.journal.last()
    assert (bulk.method, bulk.path) == ("POST", "/api/v1/bulk")
    assert bulk.body == (
        b'{"items":[{"_type":"agents/show","idempotency_key":"show-key-1","agent_id":"agent_123"}]}'
    )


@pytest.mark.parametrize(
    ("method", "path", "query"),
    [
        ("GET", "/api/v1/ping", ""),
        ("GET", "/api/v1/agent", "pagination%5Boffset%5D=0&pagination%5Bpage_size%5D=5"),
        ("GET", "/api/v1/agent/agent_123", ""),
        ("GET", "/api/v1/agent_instance/missing", ""),
    ],
)
def test_reads_send_no_body_and_no_key(
    client: SyncPrefactorHttpClient,
    emulator: PrefactorEmulator,
    method: str,
    path: str,
    query: str,
) -> None:
    calls = {
        "/api/v1/ping": client.validate_token,
        "/api/v1/agent": lambda: client.agents.list(offset=0, page_size=5),
        "/api/v1/agent/agent_123": lambda: client.agents.get("agent_123"),
    }
    if path in calls:
        calls[path]()
    else:
        with pytest.raises(PrefactorNotFoundError):
            client.request("GET", path)
    entry = emulator.journal.last()
    assert (entry.method, entry.path, entry.query, entry.body) == (method, path, query, b"")
    assert entry.header("idempotency-key") is None
