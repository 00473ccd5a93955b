"""The emulator's prefactor-http 0.4.3 wire over plain HTTP: listing envelopes and
parameters, show, instance fields, record_quality (also in bulk), schema version checks, and
database files written before these columns existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefactor_fixtures import LLM_SCHEMA_VERSION, error, ok, register, register_response

from prefactor_http import SyncPrefactorHttpClient
from prefactor_http.emulator import DEFAULT_ACCOUNT_ID, PrefactorEmulator

QUALITY = {
    "name": "accuracy",
    "schema": {"type": "object", "properties": {"score": {"type": "number"}}},
    "template": "score={{score}} by {{judge.name}}",
}
# Its own external identifier: a schema version is reused by it, contents and all.
SCHEMA_WITH_QUALITY = {
    **LLM_SCHEMA_VERSION,
    "external_identifier": "with-quality",
    "quality_schemas": [QUALITY],
}


def test_list_answers_pagination_and_sorting(http: httpx.Client) -> None:
    body = http.get("/agent", params={"pagination[page_size]": 1, "sorting": "-id"}).json()
    assert set(body) == {"status", "summaries", "pagination", "sorting"}
    assert body["sorting"] == {"field": "id", "direction": "desc"}
    assert body["pagination"]["page_size"] == 1
    assert body["pagination"]["page_index"] == 1
    assert len(body["summaries"]) == 1
    assert "instance_counts" not in body["summaries"][0]
    default = http.get("/agent").json()["sorting"]
    assert default == {"field": "inserted_at", "direction": "asc"}
    refused = error(http.get("/agent", params={"sorting": "password"}), 422, "validation_error")
    assert list(refused["errors"]) == ["query.sorting"]


def test_agent_people_are_set_updated_and_cleared(http: httpx.Client) -> None:
    details = {"name": "Owned", "owner_person_id": "p1", "team_id": "t1", "risk_profile_id": "r1"}
    agent = ok(http.post("/agent", json={"details": details}))
    assert (agent["owner_person_id"], agent["team_id"], agent["risk_profile_id"]) == (
        "p1",
        "t1",
        "r1",
    )
    changed = ok(
        http.put(
            f"/agent/{agent['id']}", json={"details": {"team_id": None, "owner_person_id": "p2"}}
        )
    )
    assert (changed["owner_person_id"], changed["team_id"], changed["risk_profile_id"]) == (
        "p2",
        None,
        "r1",
    )


def test_show_needs_one_identifier_that_matches(http: httpx.Client) -> None:
    agent = ok(http.post("/agent", json={"details": {"name": "S", "external_identifier": "s-1"}}))
    error(http.get("/agent/show"), 404, "not_found")
    both = {"agent_id": agent["id"], "external_identifier": "s-1"}
    assert ok(http.get("/agent/show", params=both))["id"] == agent["id"]
    error(http.get("/agent/show", params={**both, "external_identifier": "s-2"}), 404, "not_found")
    rolled = ok(http.get("/agent/show", params={**both, "include_risk_rollup": "true"}))
    assert rolled["risk_rollup"]["action_profile"]["read_data"] == "unknown"


def test_register_takes_purpose_environment_and_external_identifier(http: httpx.Client) -> None:
    account = ok(http.get("/ping"))["account_id"]
    instance = register(
        http, purpose="smoke_test", environment_id=f"env_{account}", external_identifier="e-1"
    )
    assert (instance["purpose"], instance["external_identifier"]) == ("smoke_test", "e-1")
    assert instance["agent_deployment_id"] == register(http)["agent_deployment_id"]
    assert register(http)["purpose"] == "live"
    error(register_response(http, purpose="prod"), 422, "validation_error")
    error(register_response(http, environment_id="env_elsewhere"), 404, "not_found")
    error(register_response(http, external_identifier="e-1"), 409, "conflict")


@pytest.mark.parametrize(
    ("schema_version", "field"),
    [
        (
            {**LLM_SCHEMA_VERSION, "quality_schemas": [{"name": "q", "schema": {"type": 3}}]},
            "agent_schema_version.quality_schemas[0].schema.type",
        ),
        (
            {**LLM_SCHEMA_VERSION, "quality_schemas": [QUALITY, QUALITY]},
            "agent_schema_version.quality_schemas[1].name",
        ),
        (
            {
                "span_type_schemas": [
                    {
                        "name": "s",
                        "params_schema": {},
                        "data_risk": {"action_profile": {"read_data": "maybe"}},
                    }
                ]
            },
            "agent_schema_version.span_type_schemas[0].data_risk.action_profile.read_data",
        ),
        (
            {"span_type_schemas": [{"name": "s", "params_schema": {}, "data_risk": {"x": {}}}]},
            "agent_schema_version.span_type_schemas[0].data_risk.x",
        ),
        (
            {
                "span_type_schemas": [
                    {
                        "name": "s",
                        "params_schema": {},
                        "data_risk": {"params_data_categories": {"minors_data": "allowed"}},
                    }
                ]
            },
            "agent_schema_version.span_type_schemas[0].data_risk.params_data_categories"
            ".minors_data",
        ),
        (
            {
                "span_type_schemas": [
                    {
                        "name": "s",
                        "params_schema": {},
                        "data_risk": {"result_data_categories": {"read_data": "unknown"}},
                    }
                ]
            },
            "agent_schema_version.span_type_schemas[0].data_risk.result_data_categories.read_data",
        ),
    ],
)
def test_bad_quality_schemas_and_data_risk_name_the_field(
    http: httpx.Client, schema_version: dict[str, Any], field: str
) -> None:
    refused = register_response(http, agent_schema_version=schema_version)
    assert field in error(refused, 422, "validation_error")["errors"]


def test_record_quality_is_idempotent_and_renders_its_template(http: httpx.Client) -> None:
    instance = register(http, agent_schema_version=SCHEMA_WITH_QUALITY)
    path = f"/agent_instance/{instance['id']}/record_quality"
    body = {"name": "accuracy", "payload": {"score": 0.5, "judge": {"name": "ada"}}}
    first = ok(http.post(path, json=body, headers={"Idempotency-Key": "q-key-1"}))
    assert first["quality_summaries"] == {"accuracy": "score=0.5 by ada"}
    replay = ok(http.post(path, json=body, headers={"Idempotency-Key": "q-key-1"}))
    assert replay == first
    other = {"name": "accuracy", "payload": {"score": 1}}
    error(
        http.post(path, json={**other, "idempotency_key": "q-key-1"}), 409, "idempotency_conflict"
    )
    refused = http.post(path, json={"name": "accuracy", "payload": {"score": "high"}})
    assert list(error(refused, 422, "validation_error")["errors"]) == ["payload.score"]
    cleared = ok(http.post(path, json={"name": "accuracy", "payload": None}))
    assert (cleared["quality_payloads"], cleared["quality_summaries"]) == ({}, {})
    error(http.post(path, json={"payload": {}}), 422, "validation_error")
    error(http.post("/agent_instance/missing/record_quality", json=body), 404, "not_found")


def test_record_quality_in_bulk(http: httpx.Client) -> None:
    instance = register(http, agent_schema_version=SCHEMA_WITH_QUALITY)
    item = {
        "_type": "agent_instances/record_quality",
        "idempotency_key": "bulk-quality-1",
        "agent_instance_id": instance["id"],
        "name": "accuracy",
        "payload": {"score": 1},
    }
    outputs = ok(http.post("/bulk", json={"items": [item]}))["outputs"]
    details = outputs["bulk-quality-1"]["details"]
    assert details["quality_payloads"] == {"accuracy": {"score": 1}}


def test_a_database_of_the_first_release_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(
            """
            CREATE TABLE agents (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL,
                description TEXT, external_identifier TEXT, status TEXT NOT NULL,
                current_version_id TEXT, inserted_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                seq INTEGER NOT NULL);
            CREATE TABLE schema_versions (id TEXT PRIMARY KEY, agent_id TEXT NOT NULL,
                external_identifier TEXT, span_types TEXT NOT NULL, inserted_at TEXT NOT NULL);
            CREATE TABLE instances (id TEXT PRIMARY KEY, account_id TEXT NOT NULL,
                agent_id TEXT NOT NULL, agent_version_id TEXT NOT NULL,
                schema_version_id TEXT NOT NULL, environment_id TEXT NOT NULL,
                status TEXT NOT NULL, inserted_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                started_at TEXT, finished_at TEXT);
            INSERT INTO agents VALUES ('agent_old', 'acct_test_emulator', 'Old', NULL, NULL,
                'active', 'ver_1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1);
            INSERT INTO schema_versions VALUES ('sch_1', 'agent_old', NULL, '{}',
                '2026-01-01T00:00:00.000Z');
            INSERT INTO instances VALUES ('inst_old', 'acct_test_emulator', 'agent_old',
                'ver_1', 'sch_1', 'env_acct_test_emulator', 'complete', '2026-01-01T00:00:00.000Z',
                '2026-01-01T00:00:00.000Z', NULL, NULL);
            """
        )
    old.close()
    with PrefactorEmulator(db=str(path)) as emu, SyncPrefactorHttpClient(emu.config()) as client:
        assert emu.account_id == DEFAULT_ACCOUNT_ID
        instance = client.agent_instances.get("inst_old")
        agent = client.agents.get("agent_old")
    assert (instance.status, instance.purpose, instance.quality_payloads) == (
        "complete",
        "live",
        {},
    )
    assert agent.team_id is None
    assert agent.instance_counts is not None
    assert agent.instance_counts.complete == 1


def test_the_openapi_document_comes_from_the_models(emulator: PrefactorEmulator) -> None:
    document = httpx.get(f"{emulator.url}/openapi.json").json()
    schemas = document["components"]["schemas"]
    register_op = document["paths"]["/api/v1/agent_instance/register"]["post"]
    body = register_op["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["purpose"]["anyOf"][0]["enum"] == ["live", "smoke_test", "eval"]
    quality = body["properties"]["agent_schema_version"]["properties"]["quality_schemas"]
    assert quality["items"]["required"] == ["name", "schema"]
    success = register_op["responses"]["200"]["content"]["application/json"]["schema"]
    assert success == {"$ref": "#/components/schemas/ApiResponse_AgentInstance_"}
    assert "agent_deployment_id" in schemas["AgentInstance"]["properties"]
    assert {"pagination", "sorting"} <= set(schemas["ListResponse_AgentSummary_"]["required"])
    assert register_op["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
