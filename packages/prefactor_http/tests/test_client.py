"""Configuration, argument checks before anything is sent, errors, and the resources beyond
the seed (agents, instance fetch, token check, low-level request), on both faces."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone
from typing import Any

import pytest
from prefactor_fixtures import LLM_SCHEMA_VERSION, VERSION

from prefactor_http import (
    AgentForCreate,
    AgentForUpdate,
    BulkItem,
    BulkRequest,
    HttpClientConfig,
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorClientError,
    PrefactorHttpClient,
    PrefactorHttpError,
    PrefactorNotFoundError,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
)
from prefactor_http.emulator import PrefactorEmulator

URL = "https://api.prefactor.ai"


# -- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("api_url", ""),
        ("api_url", "ftp://example.com"),
        ("api_token", ""),
        ("request_timeout", 0),
        ("connect_timeout", -1.0),
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("initial_retry_delay", 0),
        ("max_retry_delay", 0),
        ("retry_multiplier", 0.5),
        ("retry_on_status_codes", (429, "500")),
        ("default_idempotency_key", ""),
        ("default_idempotency_key", "x" * 40),
    ],
)
def test_each_invalid_field_raises_value_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, field: str, value: Any
) -> None:
    monkeypatch.delenv("PREFACTOR_API_URL", raising=False)
    monkeypatch.delenv("PREFACTOR_API_TOKEN", raising=False)
    fields = {"api_url": URL, "api_token": "tok", field: value}
    with pytest.raises(ValueError, match=field):
        HttpClientConfig(**fields)


def test_environment_fills_a_missing_url_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFACTOR_API_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("PREFACTOR_API_TOKEN", "env-token")
    config = HttpClientConfig()
    assert (config.api_url, config.api_token) == ("http://127.0.0.1:9", "env-token")
    assert HttpClientConfig(api_token="explicit").api_token == "explicit"
    assert "env-token" not in repr(config)
    client = SyncPrefactorHttpClient()
    assert "env-token" not in repr(client)
    client.close()


def test_plain_http_needs_loopback_or_an_explicit_opt_in() -> None:
    with pytest.raises(ValueError, match="api_url"):
        HttpClientConfig("http://prefactor.internal:4000", "t")
    config = HttpClientConfig("http://prefactor.internal:4000", "t", allow_insecure_http=True)
    with SyncPrefactorHttpClient(config) as client:
        assert client.config.api_url == "http://prefactor.internal:4000"
    assert HttpClientConfig("http://localhost:4000", "t").api_url == "http://localhost:4000"


def test_defaults_match_the_seed() -> None:
    config = HttpClientConfig(URL, "t")
    assert (config.request_timeout, config.connect_timeout, config.max_retries) == (30.0, 10.0, 3)
    assert (config.initial_retry_delay, config.max_retry_delay, config.retry_multiplier) == (
        1.0,
        60.0,
        2.0,
    )
    assert config.default_idempotency_key is None


# -- checks before sending -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.agent_instances.register("", VERSION, LLM_SCHEMA_VERSION), "agent_id"),
        (lambda c: c.agent_instances.register("a", "v1", LLM_SCHEMA_VERSION), "agent_version"),
        (
            lambda c: c.agent_instances.register("a", VERSION, {"span_type_schemas": [{}]}),
            "agent_schema_version",
        ),
        (lambda c: c.agent_instances.start(" "), "agent_instance_id"),
        (lambda c: c.agent_instances.start(".."), "agent_instance_id"),
        (lambda c: c.agent_instances.finish("i", status="done"), "status"),
        (lambda c: c.agent_instances.start("i", timestamp="yesterday"), "timestamp"),
        (lambda c: c.agent_spans.create("i", "s", "running"), "status"),
        (lambda c: c.agent_spans.create("i", "s", "active", payload=[1]), "payload"),
        (lambda c: c.agent_spans.finish("s", idempotency_key="k" * 65), "idempotency_key"),
        (lambda c: c.agents.list(page_size=0), "page_size"),
        (lambda c: c.agents.create({"description": "no name"}), "details"),
        (lambda c: c.request("TRACE", "/x"), "method"),
        (lambda c: c.request("GET", "x"), "path"),
    ],
)
def test_bad_arguments_raise_before_any_request(
    client: SyncPrefactorHttpClient, emulator: PrefactorEmulator, call: Any, argument: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=argument):
        call(client)
    assert len(emulator.journal) == 0


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "at least 1 item"),
        ([{"_type": "agents/list", "idempotency_key": "short"}], "at least 8 characters"),
        ([{"_type": "agents/list", "idempotency_key": "k" * 65}], "at most 64 characters"),
        ([{"_type": "agents/destroy", "idempotency_key": "long-enough"}], "unknown bulk action"),
        (
            [
                {"_type": "agents/list", "idempotency_key": "same-key"},
                {"_type": "agents/list", "idempotency_key": "same-key"},
            ],
            "unique",
        ),
    ],
)
def test_bulk_rules_are_checked_client_side(items: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BulkRequest(items=[BulkItem(**item) for item in items])


def test_bulk_request_changed_after_building_is_checked_again(
    client: SyncPrefactorHttpClient, emulator: PrefactorEmulator
) -> None:
    request = BulkRequest(items=[BulkItem(_type="agents/list", idempotency_key="list-key-1")])
    request.items.append(request.items[0])
    with pytest.raises(ValueError, match="unique"):
        client.bulk.execute(request)
    assert len(emulator.journal) == 0


def test_ids_are_path_encoded(client: SyncPrefactorHttpClient, emulator: PrefactorEmulator) -> None:
    with pytest.raises(PrefactorNotFoundError):
        client.agent_instances.get("a/b?c")
    assert emulator.journal.last().path == "/api/v1/agent_instance/a%2Fb%3Fc"


# -- errors ----------------------------------------------------------------------------------


def test_errors_carry_status_code_body_and_request(client: SyncPrefactorHttpClient) -> None:
    instance = client.agent_instances.register("agent_123", VERSION, LLM_SCHEMA_VERSION)
    client.agent_instances.start(instance.id)
    with pytest.raises(PrefactorValidationError) as caught:
        client.agent_spans.create(instance.id, "agent:llm", "active", payload={"model": 1})
    error = caught.value
    assert (error.status_code, error.code) == (422, "validation_error")
    assert error.errors == {
        "payload.model": ["1 is not of type 'string'"],
        "payload.prompt": ["is required"],
    }
    assert isinstance(error.body, dict)
    assert error.body["status"] == "error"
    assert error.request.url.path == "/api/v1/agent_spans"
    assert error.response.status_code == 422
    assert isinstance(error, PrefactorApiError)
    assert isinstance(error, PrefactorHttpError)
    copied = pickle.loads(pickle.dumps(error))
    assert (copied.errors, copied.code, copied.status_code) == (
        error.errors,
        "validation_error",
        422,
    )
    with pytest.raises(PrefactorApiError) as conflict:
        client.agent_instances.start(instance.id)
    assert (conflict.value.status_code, conflict.value.code) == (409, "invalid_transition")
    assert type(conflict.value) is PrefactorApiError


def test_seed_style_construction_still_works() -> None:
    error = PrefactorValidationError("bad", "invalid", 422, {"name": ["missing"]})
    assert (str(error), error.code, error.status_code, error.errors) == (
        "bad",
        "invalid",
        422,
        {"name": ["missing"]},
    )
    assert error.response is None
    plain = PrefactorApiError("boom", "unknown", 500)
    assert (plain.message, plain.status_code) == ("boom", 500)


async def test_auth_errors_on_the_async_face(emulator: PrefactorEmulator) -> None:
    async with PrefactorHttpClient(emulator.config(api_token="nope")) as client:
        with pytest.raises(PrefactorAuthError) as caught:
            await client.validate_token()
    assert (caught.value.status_code, caught.value.code) == (401, "unauthorized")
    assert "nope" not in repr(client)


def test_a_closed_client_refuses_requests(emulator: PrefactorEmulator) -> None:
    client = SyncPrefactorHttpClient(emulator.config())
    client.close()
    with pytest.raises(PrefactorClientError, match="closed"):
        client.validate_token()


# -- beyond the seed -------------------------------------------------------------------------


def test_agents_resource(client: SyncPrefactorHttpClient) -> None:
    agent = client.agents.create(AgentForCreate(name="Researcher", external_identifier="r-1"))
    assert (agent.name, agent.status) == ("Researcher", "pending")
    assert client.agents.get(agent.id).external_identifier == "r-1"
    assert agent.id in [a.id for a in client.agents.list(page_size=100)]
    updated = client.agents.update(agent.id, AgentForUpdate(description="finds things"))
    assert updated.description == "finds things"
    assert client.agents.retire(agent.id).status == "retired"
    assert client.agents.reinstate(agent.id).status == "pending"
    assert client.agents.delete(agent.id).id == agent.id
    with pytest.raises(PrefactorNotFoundError):
        client.agents.get(agent.id)


async def test_agents_and_instances_on_the_async_face(aclient: PrefactorHttpClient) -> None:
    agent = await aclient.agents.create({"name": "Async agent"})
    instance = await aclient.agent_instances.register(agent.id, VERSION, LLM_SCHEMA_VERSION)
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    started = await aclient.agent_instances.start(instance.id, timestamp=when)
    assert started.started_at == when
    fetched = await aclient.agent_instances.get(instance.id)
    assert fetched.status == "active"
    assert (await aclient.agents.get(agent.id)).instance_counts.active == 1  # type: ignore[union-attr]
    assert (await aclient.validate_token())["details"]["account_id"]


def test_low_level_request(client: SyncPrefactorHttpClient, emulator: PrefactorEmulator) -> None:
    body = client.request(
        "POST", "/api/v1/agent", json_data={"details": {"name": "Raw"}}, idempotency_key="raw-1"
    )
    assert body["details"]["name"] == "Raw"
    assert emulator.journal.last().header("idempotency-key") == "raw-1"
    again = client.request(
        "POST", "/api/v1/agent", json_data={"details": {"name": "Raw"}}, idempotency_key="raw-1"
    )
    assert again == body
    listed = client.request("GET", "/api/v1/agent", params={"pagination[page_size]": 1})
    assert len(listed["summaries"]) == 1
    assert emulator.journal.last().header("idempotency-key") is None
    client.request("POST", "/api/v1/agent", json_data={"details": {"name": "Keyed"}})
    generated = emulator.journal.last().header("idempotency-key")
    assert generated is not None
    assert generated.startswith("prefactor-")


def test_key_prefix_and_raw_responses(emulator: PrefactorEmulator) -> None:
    config = emulator.config(default_idempotency_key="my-app")
    with SyncPrefactorHttpClient(config) as client:
        raw = client.agent_instances.with_raw_response.register(
            "agent_123", VERSION, LLM_SCHEMA_VERSION
        )
        assert raw.status_code == 200
        assert raw.parse().status == "pending"
    assert emulator.journal.last().json()["idempotency_key"].startswith("my-app-")
