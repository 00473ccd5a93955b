"""The emulator over plain HTTP: auth, the error envelope, lifecycle, schemas, idempotency
and bulk semantics, checked from its responses and its database."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from prefactor_fixtures import (
    LLM_SCHEMA_VERSION,
    OTHER_AGENT,
    OTHER_TOKEN,
    VERSION,
    error,
    ok,
    register,
)

from prefactor_http.emulator import PrefactorEmulator

PAYLOAD = {"model": "gpt-4", "prompt": "Hello"}


def active_instance(http: httpx.Client) -> dict[str, Any]:
    instance = register(http)
    return ok(http.post(f"/agent_instance/{instance['id']}/start", json={}))  # type: ignore[no-any-return]


def span(http: httpx.Client, instance_id: str, **details: Any) -> httpx.Response:
    body = {"agent_instance_id": instance_id, "schema_name": "agent:llm", "status": "active"}
    return http.post("/agent_spans", json={"details": {**body, "payload": PAYLOAD, **details}})


# -- auth and envelope -----------------------------------------------------------------------


def test_missing_and_bad_tokens_are_401(emulator: PrefactorEmulator) -> None:
    ping = f"{emulator.url}/api/v1/ping"
    error(httpx.get(ping), 401, "unauthorized")
    error(httpx.get(ping, headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    bad = httpx.get(ping, headers={"Authorization": "Bearer nope"})
    assert error(bad, 401, "unauthorized")["message"] == "invalid API token"
    assert bad.headers["www-authenticate"] == "Bearer"


def test_resources_of_another_account_are_403(http: httpx.Client) -> None:
    instance = register(http)
    other = {"Authorization": f"Bearer {OTHER_TOKEN}"}
    error(http.get(f"/agent_instance/{instance['id']}", headers=other), 403, "forbidden")
    error(http.get(f"/agent/{OTHER_AGENT}"), 403, "forbidden")
    body = {"agent_id": OTHER_AGENT, "agent_version": VERSION}
    body["agent_schema_version"] = LLM_SCHEMA_VERSION
    error(http.post("/agent_instance/register", json=body), 403, "forbidden")


def test_unknown_routes_methods_and_malformed_json_answer_in_the_envelope(
    http: httpx.Client,
) -> None:
    error(http.get("/nowhere"), 404, "not_found")
    error(http.patch("/agent_spans"), 405, "method_not_allowed")
    bad = http.post(
        "/agent_instance/register",
        content=b'{"agent_id": ',
        headers={"Content-Type": "application/json"},
    )
    error(bad, 400, "malformed_json")
    error(http.post("/agent_instance/register", json=[1, 2]), 400, "malformed_json")


def test_register_needs_an_agent_of_the_account(http: httpx.Client) -> None:
    body = {"agent_id": "agent_nope", "agent_version": VERSION}
    body["agent_schema_version"] = LLM_SCHEMA_VERSION
    error(http.post("/agent_instance/register", json=body), 404, "not_found")
    missing = error(http.post("/agent_instance/register", json={}), 422, "validation_error")
    assert "agent_id" in missing["errors"]


# -- registration and lifecycle --------------------------------------------------------------


def test_register_reuses_versions_by_external_identifier(
    http: httpx.Client, emulator: PrefactorEmulator
) -> None:
    first = register(http)
    second = register(http)
    assert first["id"] != second["id"]
    assert first["agent_version_id"] == second["agent_version_id"]
    assert first["status"] == "pending"
    other = register(http, agent_version={"name": "My Agent", "external_identifier": "v2"})
    assert other["agent_version_id"] != first["agent_version_id"]
    schema_rows = emulator.db.scalar(
        "SELECT COUNT(*) FROM schema_versions WHERE external_identifier = 'v1.0.0'"
    )
    assert schema_rows == 1


def test_invalid_span_schemas_are_422_naming_them(http: httpx.Client) -> None:
    schema = copy.deepcopy(LLM_SCHEMA_VERSION)
    schema["span_type_schemas"][0]["params_schema"] = {"type": "no-such-type"}
    body = {"agent_id": "agent_123", "agent_version": VERSION, "agent_schema_version": schema}
    errors = error(http.post("/agent_instance/register", json=body), 422, "validation_error")
    assert list(errors["errors"]) == [
        "agent_schema_version.span_type_schemas[0].params_schema.type"
    ]


def test_lifecycle_refuses_illegal_transitions(http: httpx.Client) -> None:
    instance = register(http)
    path = f"/agent_instance/{instance['id']}"
    refused = error(http.post(f"{path}/finish", json={}), 409, "invalid_transition")
    assert "pending" in refused["message"]
    started = ok(http.post(f"{path}/start", json={"timestamp": "2026-01-02T03:04:05Z"}))
    assert started["started_at"] == "2026-01-02T03:04:05.000Z"
    error(http.post(f"{path}/start", json={}), 409, "invalid_transition")
    bad_status = http.post(f"{path}/finish", json={"status": "exploded"})
    assert "status" in error(bad_status, 422, "validation_error")["errors"]
    finished = ok(http.post(f"{path}/finish", json={"status": "cancelled"}))
    assert finished["status"] == "cancelled"
    refused = error(span(http, instance["id"]), 409, "invalid_transition")
    assert "finished instance" in refused["message"]
    error(http.post(f"{path}/finish", json={}), 409, "invalid_transition")


def test_span_counts_are_exact_with_nesting(http: httpx.Client) -> None:
    instance = active_instance(http)
    root = ok(span(http, instance["id"]))
    child = ok(span(http, instance["id"], parent_span_id=root["id"]))
    grandchild = ok(span(http, instance["id"], parent_span_id=child["id"], status="pending"))
    ok(span(http, instance["id"], status="failed"))
    ok(http.post(f"/agent_spans/{child['id']}/finish", json={"status": "complete"}))
    error(http.post(f"/agent_spans/{child['id']}/finish", json={}), 409, "invalid_transition")
    counts = ok(http.get(f"/agent_instance/{instance['id']}"))["span_counts"]
    assert counts == {
        "total": 4,
        "pending": 1,
        "active": 1,
        "complete": 1,
        "failed": 1,
        "cancelled": 0,
        "finished": 2,
    }
    assert grandchild["parent_span_id"] == child["id"]
    other = active_instance(http)
    foreign = span(http, other["id"], parent_span_id=root["id"])
    assert "parent_span_id" in error(foreign, 422, "validation_error")["errors"]


# -- payload validation ----------------------------------------------------------------------


def test_payloads_are_validated_against_the_registered_schemas(http: httpx.Client) -> None:
    instance = active_instance(http)
    bad = error(span(http, instance["id"], payload={"model": 4}), 422, "validation_error")
    assert bad["errors"] == {
        "payload.model": ["4 is not of type 'string'"],
        "payload.prompt": ["is required"],
    }
    unknown = error(span(http, instance["id"], schema_name="agent:tool"), 422, "validation_error")
    assert "schema_name" in unknown["errors"]
    good = ok(span(http, instance["id"]))
    result = http.post(
        f"/agent_spans/{good['id']}/finish", json={"result_payload": {"response": 1}}
    )
    assert "result_payload.response" in error(result, 422, "validation_error")["errors"]
    done = ok(
        http.post(f"/agent_spans/{good['id']}/finish", json={"result_payload": {"response": "Hi"}})
    )
    assert (done["status"], done["result_payload"]) == ("complete", {"response": "Hi"})


# -- idempotency -----------------------------------------------------------------------------


def test_same_key_same_body_replays_and_other_body_conflicts(
    http: httpx.Client, emulator: PrefactorEmulator
) -> None:
    instance = active_instance(http)
    before = emulator.db.scalar("SELECT COUNT(*) FROM spans")
    first = ok(span(http, instance["id"], idempotency_key="span-key-0001"))
    again = ok(span(http, instance["id"], idempotency_key="span-key-0001"))
    assert again == first
    assert emulator.db.scalar("SELECT COUNT(*) FROM spans") == before + 1
    conflict = span(http, instance["id"], idempotency_key="span-key-0001", status="pending")
    assert "idempotency_key" in error(conflict, 409, "idempotency_conflict")["errors"]
    # The header works too, and keys are scoped per action: the same key may register.
    header = {"Idempotency-Key": "span-key-0001"}
    body = {"agent_id": "agent_123", "agent_version": VERSION}
    body["agent_schema_version"] = LLM_SCHEMA_VERSION
    one = ok(http.post("/agent_instance/register", json=body, headers=header))
    two = ok(http.post("/agent_instance/register", json=body, headers=header))
    assert one["id"] == two["id"]


def test_keys_are_scoped_per_account(http: httpx.Client, emulator: PrefactorEmulator) -> None:
    other = {"Authorization": f"Bearer {OTHER_TOKEN}"}
    body = {"details": {"name": "Same key"}, "idempotency_key": "agent-key-0001"}
    mine = ok(http.post("/agent", json=body))
    theirs = ok(http.post("/agent", json=body, headers=other))
    assert mine["id"] != theirs["id"]


# -- bulk ------------------------------------------------------------------------------------


def test_bulk_runs_in_order_and_stops_at_the_first_failure(
    http: httpx.Client, emulator: PrefactorEmulator
) -> None:
    instance = active_instance(http)
    item = {"_type": "agent_spans/create", "agent_instance_id": instance["id"]}
    item |= {"schema_name": "agent:llm", "status": "active", "payload": PAYLOAD}
    items = [
        {**item, "idempotency_key": "bulk-ok-0001"},
        {**item, "idempotency_key": "bulk-bad-0002", "payload": {"model": 1}},
        {**item, "idempotency_key": "bulk-never-0003"},
    ]
    outputs = ok(http.post("/bulk", json={"items": items}))["outputs"]
    assert list(outputs) == ["bulk-ok-0001", "bulk-bad-0002"]
    assert outputs["bulk-ok-0001"]["status"] == "success"
    assert outputs["bulk-bad-0002"]["code"] == "validation_error"
    assert "payload.model" in outputs["bulk-bad-0002"]["errors"]
    spans = emulator.db.scalar(
        "SELECT COUNT(*) FROM spans WHERE instance_id = ?", (instance["id"],)
    )
    assert spans == 1
    replay = ok(http.post("/bulk", json={"items": items[:1]}))["outputs"]
    assert replay["bulk-ok-0001"] == outputs["bulk-ok-0001"]


def test_bulk_supports_every_action(http: httpx.Client) -> None:
    instance = register(http)
    agent = {"_type": "agents/create", "idempotency_key": "bulk-agent-0001"}
    items = [
        {**agent, "details": {"name": "Bulk agent", "external_identifier": "bulk-agent"}},
        {"_type": "agents/list", "idempotency_key": "bulk-list-0002"},
        {"_type": "agents/show", "idempotency_key": "bulk-show-0003", "agent_id": "agent_123"},
        {
            "_type": "agent_instances/start",
            "idempotency_key": "bulk-start-0004",
            "agent_instance_id": instance["id"],
        },
        {
            "_type": "agent_spans/create",
            "idempotency_key": "bulk-span-0005",
            "details": {
                "agent_instance_id": instance["id"],
                "schema_name": "agent:llm",
                "status": "active",
                "payload": PAYLOAD,
                "id": f"span-of-{instance['id']}",
            },
        },
        {
            "_type": "agent_spans/finish",
            "idempotency_key": "bulk-span-finish-0006",
            "agent_span_id": f"span-of-{instance['id']}",
        },
        {
            "_type": "agent_instances/finish",
            "idempotency_key": "bulk-finish-0007",
            "agent_instance_id": instance["id"],
            "status": "failed",
        },
        {
            "_type": "agent_instances/register",
            "idempotency_key": "bulk-register-0008",
            "agent_id": "agent_123",
            "agent_version": VERSION,
            "agent_schema_version": LLM_SCHEMA_VERSION,
        },
    ]
    outputs = ok(http.post("/bulk", json={"items": items}))["outputs"]
    assert [output["status"] for output in outputs.values()] == ["success"] * len(items)
    assert outputs["bulk-list-0002"]["summaries"]
    assert outputs["bulk-finish-0007"]["details"]["span_counts"]["complete"] == 1
    assert outputs["bulk-finish-0007"]["details"]["status"] == "failed"


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([], "items"),
        ([{"_type": "agents/destroy", "idempotency_key": "long-enough"}], "items[0]._type"),
        ([{"_type": "agents/list", "idempotency_key": "short"}], "items[0].idempotency_key"),
    ],
)
def test_malformed_bulk_requests_are_422(http: httpx.Client, items: list[Any], field: str) -> None:
    body = error(http.post("/bulk", json={"items": items}), 422, "validation_error")
    assert field in body["errors"]


def test_a_key_twice_in_one_bulk_request_is_a_conflict(
    http: httpx.Client, emulator: PrefactorEmulator
) -> None:
    item = {"_type": "agents/create", "idempotency_key": "twice-key-1"}
    items = [{**item, "details": {"name": "One"}}, {**item, "details": {"name": "Two"}}]
    body = error(http.post("/bulk", json={"items": items}), 409, "idempotency_conflict")
    assert "items[1].idempotency_key" in body["errors"]
    assert emulator.db.scalar("SELECT COUNT(*) FROM agents WHERE name IN ('One', 'Two')") == 0


# -- agents ----------------------------------------------------------------------------------


def test_agent_lifecycle(http: httpx.Client) -> None:
    created = ok(http.post("/agent", json={"details": {"name": "A", "external_identifier": "a"}}))
    path = f"/agent/{created['id']}"
    assert created["status"] == "pending"
    dup = http.post("/agent", json={"details": {"name": "B", "external_identifier": "a"}})
    assert "details.external_identifier" in error(dup, 409, "conflict")["errors"]
    shown = ok(http.get("/agent/show", params={"external_identifier": "a"}))
    assert shown["id"] == created["id"]
    updated = ok(http.put(path, json={"details": {"description": "new"}}))
    assert (updated["name"], updated["description"]) == ("A", "new")
    assert ok(http.post(f"{path}/retire", json={}))["status"] == "retired"
    error(http.post(f"{path}/retire", json={}), 409, "invalid_transition")
    assert ok(http.post(f"{path}/reinstate", json={}))["status"] == "pending"
    assert ok(http.delete(path))["id"] == created["id"]
    error(http.get(path), 404, "not_found")
    register(http)
    error(http.delete("/agent/agent_123"), 409, "conflict")
    page = http.get("/agent", params={"pagination[offset]": 0, "pagination[page_size]": 1})
    listed = page.json()
    assert len(listed["summaries"]) == 1
    assert listed["pagination"]["page_size"] == 1
