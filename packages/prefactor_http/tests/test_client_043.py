"""What prefactor-http 0.4.3 added, on both faces over loopback: agent listing with filters,
sorting and pages, ``show``, quality payloads, the new instance fields, response contract
errors, the ``X-Prefactor-SDK`` header, the retry classifiers and the drop-in module paths."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from prefactor_fixtures import FAST_RETRIES, VERSION

import prefactor_http
from prefactor_http import (
    PrefactorApiError,
    PrefactorHttpClient,
    PrefactorNotFoundError,
    PrefactorResponseContractError,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
    is_permanent_http_error,
    is_transient_http_error,
)
from prefactor_http.emulator import PrefactorEmulator
from sdkcore.emulator import fault_headers

QUALITY_SCHEMA_VERSION: dict[str, Any] = {
    "external_identifier": "quality-v1",
    "span_type_schemas": [
        {
            "name": "agent:step",
            "params_schema": {"type": "object"},
            "data_risk": {
                "action_profile": {"financial_transactions": "allowed"},
                "params_data_categories": {"classification": "restricted"},
            },
        }
    ],
    "quality_schemas": [
        {
            "name": "accuracy",
            "schema": {
                "type": "object",
                "properties": {
                    "score": {"type": "number", "minimum": 0, "maximum": 1},
                    "note": {"type": "string"},
                },
                "required": ["score"],
            },
            "template": "{{score}} ({{note}})",
        },
        {"name": "tone", "schema": {"type": "object"}},
    ],
}


def _tag() -> str:
    return uuid.uuid4().hex[:10]


def _agents(client: SyncPrefactorHttpClient, team: str) -> list[str]:
    made = [
        client.agents.create({"name": "bravo", "team_id": team, "owner_person_id": "p1"}),
        client.agents.create({"name": "alpha", "team_id": team}),
        client.agents.create({"name": "charlie", "team_id": team, "risk_profile_id": "r1"}),
    ]
    return [agent.id for agent in made]


def test_list_agents_filters_sorts_and_pages(client: SyncPrefactorHttpClient) -> None:
    team = _tag()
    bravo, alpha, charlie = _agents(client, team)

    by_name = client.agents.list_agents(team_id=team, sorting="name")
    assert [agent.id for agent in by_name] == [alpha, bravo, charlie]
    newest_first = client.agents.list_agents(team_id=team, sorting="-inserted_at")
    assert [agent.id for agent in newest_first] == [charlie, alpha, bravo]
    second_page = client.agents.list_agents(team_id=team, sorting="name", offset=1, page_size=1)
    assert [agent.id for agent in second_page] == [bravo]
    owned = client.agents.list_agents(team_id=team, owner_person_id="p1")
    assert [(agent.id, agent.owner_person_id) for agent in owned] == [(bravo, "p1")]
    unowned = client.agents.list_agents(team_id=team, owner_person_id="null", sorting="name")
    assert [agent.id for agent in unowned] == [alpha, charlie]
    assert [a.risk_profile_id for a in client.agents.list_agents(risk_profile_id="r1")][-1] == "r1"
    # 0.1.0's list stays: oldest first.
    assert [agent.id for agent in client.agents.list(page_size=100)][-3:] == [bravo, alpha, charlie]


def test_list_query_parameters_on_the_wire(
    client: SyncPrefactorHttpClient, emulator: PrefactorEmulator
) -> None:
    client.agents.list_agents(team_id="t", sorting="-name", offset=0, page_size=5)
    entry = emulator.journal.last()
    assert (entry.method, entry.path) == ("GET", "/api/v1/agent")
    assert entry.query == (
        "team_id=t&sorting=-name&pagination%5Boffset%5D=0&pagination%5Bpage_size%5D=5"
    )


async def test_show_by_id_or_external_identifier_with_counts_and_rollup(
    aclient: PrefactorHttpClient,
) -> None:
    external = f"ext-{_tag()}"
    agent = await aclient.agents.create({"name": "Shown", "external_identifier": external})
    instance = await aclient.agent_instances.register(agent.id, VERSION, QUALITY_SCHEMA_VERSION)

    by_id = await aclient.agents.show(agent_id=agent.id, include_counts=True)
    by_external = await aclient.agents.show(
        external_identifier=external,
        environment_id=instance.environment_id,
        include_risk_rollup=True,
    )
    assert by_id.id == by_external.id == agent.id
    assert by_id.instance_counts is not None
    assert by_id.instance_counts.pending == 1
    assert by_id.risk_rollup is None
    rollup = by_external.risk_rollup
    assert rollup is not None
    assert rollup.action_profile.financial_transactions == "allowed"
    assert rollup.params_data_categories.classification == "restricted"
    assert rollup.result_data_categories.classification == "unknown"
    with pytest.raises(PrefactorNotFoundError):
        await aclient.agents.show(external_identifier=f"missing-{_tag()}")
    with pytest.raises(PrefactorNotFoundError):
        await aclient.agents.show(agent_id=agent.id, environment_id="env_elsewhere")


def test_instance_fields_and_record_quality(client: SyncPrefactorHttpClient) -> None:
    agent = client.agents.create({"name": "Quality"})
    external = f"run-{_tag()}"
    instance = client.agent_instances.register(
        agent.id,
        {**VERSION, "runtime_environment": {"os": "linux", "prefactor_sdk": ["x@1"]}},
        QUALITY_SCHEMA_VERSION,
        purpose="eval",
        external_identifier=external,
        environment_id=f"env_{instance_account(client)}",
    )
    assert (instance.purpose, instance.external_identifier) == ("eval", external)
    assert instance.agent_deployment_id is not None
    assert instance.agent_deployment_id.startswith("dep_")
    assert (instance.quality_payloads, instance.quality_summaries) == ({}, {})

    recorded = client.agent_instances.record_quality(
        instance.id, "accuracy", {"score": 0.9, "note": "good"}, idempotency_key="acc-1"
    )
    again = client.agent_instances.record_quality(
        instance.id, "accuracy", {"score": 0.9, "note": "good"}, idempotency_key="acc-1"
    )
    assert again == recorded
    client.agent_instances.record_quality(instance.id, "tone", {"warm": True})
    fetched = client.agent_instances.get(instance.id)
    assert fetched.quality_payloads == {
        "accuracy": {"score": 0.9, "note": "good"},
        "tone": {"warm": True},
    }
    assert fetched.quality_summaries == {"accuracy": "0.9 (good)", "tone": "warm: true"}

    cleared = client.agent_instances.record_quality(instance.id, "tone", None)
    assert cleared.quality_payloads == {"accuracy": {"score": 0.9, "note": "good"}}

    with pytest.raises(PrefactorValidationError) as refused:
        client.agent_instances.record_quality(instance.id, "accuracy", {"score": 3, "note": 1})
    assert sorted(refused.value.errors) == ["payload.note", "payload.score"]
    with pytest.raises(PrefactorValidationError) as unknown:
        client.agent_instances.record_quality(instance.id, "speed", {"score": 1})
    assert list(unknown.value.errors) == ["name"]
    with pytest.raises(PrefactorApiError) as taken:
        client.agent_instances.register(
            agent.id, VERSION, QUALITY_SCHEMA_VERSION, external_identifier=external
        )
    assert taken.value.status_code == 409


def instance_account(client: SyncPrefactorHttpClient) -> str:
    """The account of the client's token (its environment is ``env_<account>``)."""
    account: str = client.validate_token()["details"]["account_id"]
    return account


async def test_record_quality_on_the_async_face(aclient: PrefactorHttpClient) -> None:
    agent = await aclient.agents.create({"name": "Async quality"})
    instance = await aclient.agent_instances.register(agent.id, VERSION, QUALITY_SCHEMA_VERSION)
    recorded = await aclient.agent_instances.record_quality(instance.id, "accuracy", {"score": 1})
    assert recorded.quality_payloads == {"accuracy": {"score": 1}}
    assert recorded.quality_summaries == {"accuracy": "1 ()"}
    with pytest.raises(PrefactorValidationError) as refused:
        await aclient.agent_instances.record_quality(instance.id, "accuracy", {})
    assert list(refused.value.errors) == ["payload.score"]


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.agents.show(), "agent_id"),
        (lambda c: c.agents.show(agent_id="a", external_identifier="b"), "agent_id"),
        (lambda c: c.agents.show(agent_id="a", include_counts="yes"), "include_counts"),
        (lambda c: c.agents.list_agents(page_size=0), "page_size"),
        (lambda c: c.agents.list_agents(sorting=""), "sorting"),
        (lambda c: c.agent_instances.record_quality("i", ""), "name"),
        (lambda c: c.agent_instances.record_quality("i", "n", ["x"]), "payload"),
        (lambda c: c.agent_instances.register("a", VERSION, {}, purpose="prod"), "purpose"),
        (lambda c: c.agent_spans.create("i", "s", "active", control_signal_callback=1), "control"),
    ],
)
def test_bad_arguments_raise_before_sending(
    client: SyncPrefactorHttpClient, emulator: PrefactorEmulator, call: Any, argument: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=argument):
        call(client)
    assert emulator.journal.entries == []


def _answer_from(path: str) -> dict[str, Any]:
    """An httpx hook sending every request to ``path`` instead: the emulator's real answer
    there has the wrong shape for the call the SDK made."""

    def rewrite(request: httpx.Request) -> None:
        request.url = request.url.copy_with(path=path, query=None)

    return {"event_hooks": {"request": [rewrite]}}


def _answer_from_async(path: str) -> dict[str, Any]:
    """`_answer_from` for an `httpx.AsyncClient`, whose hooks are awaited."""
    (rewrite,) = _answer_from(path)["event_hooks"]["request"]

    async def hook(request: httpx.Request) -> None:
        rewrite(request)

    return {"event_hooks": {"request": [hook]}}


def test_an_answer_of_the_wrong_shape_is_a_contract_error(emulator: PrefactorEmulator) -> None:
    config = emulator.config(**FAST_RETRIES)
    with httpx.Client(**_answer_from("/api/v1/ping")) as http:
        client = SyncPrefactorHttpClient(config, http_client=http)
        with pytest.raises(PrefactorResponseContractError) as caught:
            client.agents.list_agents()
        with pytest.raises(PrefactorResponseContractError):
            client.agents.show(agent_id="agent_123")
    assert caught.value.status_code == 200
    assert "account_id" in (caught.value.body_snippet or "")
    assert caught.value.cause is not None
    assert (is_permanent_http_error(caught.value), is_transient_http_error(caught.value)) == (
        True,
        False,
    )


def test_a_contract_error_built_the_043_way() -> None:
    cause = ValueError("not JSON")
    error = PrefactorResponseContractError("bad body", status_code=502, body_snippet="<html>")
    assert (error.status_code, error.body_snippet, error.cause, str(error)) == (
        502,
        "<html>",
        None,
        "bad body",
    )
    assert is_transient_http_error(error)
    assert PrefactorResponseContractError("bad", cause=cause).cause is cause
    assert is_permanent_http_error(PrefactorResponseContractError("bad"))


async def test_an_answer_of_the_wrong_shape_is_a_contract_error_async(
    emulator: PrefactorEmulator,
) -> None:
    config = emulator.config(**FAST_RETRIES)
    async with httpx.AsyncClient(**_answer_from_async("/api/v1/agent")) as http:
        client = PrefactorHttpClient(config, http_client=http)
        with pytest.raises(PrefactorResponseContractError):
            await client.agent_instances.get("inst_any")


def test_sdk_header_default_given_and_changed(emulator: PrefactorEmulator) -> None:
    config = emulator.config(**FAST_RETRIES)
    with SyncPrefactorHttpClient(config) as client:
        client.validate_token()
        assert emulator.journal.last().header("x-prefactor-sdk") == "prefactor-http@0.1.0"
    with SyncPrefactorHttpClient(config, sdk_header="my-agent@2 prefactor-core@0.5.3") as client:
        client.validate_token()
        assert (
            emulator.journal.last().header("x-prefactor-sdk") == "my-agent@2 prefactor-core@0.5.3"
        )
        client._sdk_header = "other@1"
        client.validate_token()
        assert emulator.journal.last().header("x-prefactor-sdk") == "other@1"


def test_retry_classifiers_on_real_failures(emulator: PrefactorEmulator) -> None:
    config = emulator.config(max_retries=0, **FAST_RETRIES)
    with SyncPrefactorHttpClient(config) as client:
        with pytest.raises(PrefactorNotFoundError) as missing:
            client.agent_instances.get("inst_missing")
        with pytest.raises(PrefactorApiError) as unavailable:
            client.with_options(default_headers=fault_headers("status=503")).validate_token()
    assert (is_permanent_http_error(missing.value), is_transient_http_error(missing.value)) == (
        True,
        False,
    )
    assert is_transient_http_error(unavailable.value)
    assert not is_permanent_http_error(unavailable.value)


def test_drop_in_module_paths_are_ours() -> None:
    from prefactor_http import _version, client, config, endpoints, exceptions
    from prefactor_http.endpoints.agent import AgentClient
    from prefactor_http.endpoints.agent_instance import AgentInstanceClient
    from prefactor_http.endpoints.agent_span import AgentSpanClient
    from prefactor_http.endpoints.bulk import BulkClient
    from prefactor_http.models.types import AgentStatus, FinishStatus, InstancePurpose

    assert client.PrefactorHttpClient is prefactor_http.PrefactorHttpClient
    assert config.HttpClientConfig is prefactor_http.HttpClientConfig
    assert exceptions.PrefactorApiError is prefactor_http.PrefactorApiError
    assert exceptions.is_transient_http_error is is_transient_http_error
    assert (_version.PACKAGE_NAME, _version.PACKAGE_VERSION) == ("prefactor-http", "0.1.0")
    assert endpoints.AgentClient is AgentClient
    assert {AgentClient, AgentInstanceClient, AgentSpanClient, BulkClient} == {
        type(r) for r in _resources()
    }
    assert (AgentStatus, FinishStatus, InstancePurpose) == (
        prefactor_http.AgentStatus,
        prefactor_http.FinishStatus,
        prefactor_http.InstancePurpose,
    )


def _resources() -> list[object]:
    c = SyncPrefactorHttpClient(prefactor_http.HttpClientConfig("http://127.0.0.1:9", "t"))
    return [c.agents, c.agent_instances, c.agent_spans, c.bulk]


def test_a_terminated_instance_signals_through_span_answers(
    client: SyncPrefactorHttpClient, emulator: PrefactorEmulator
) -> None:
    agent = client.agents.create({"name": "Stopped"})
    instance = client.agent_instances.register(agent.id, VERSION, QUALITY_SCHEMA_VERSION)
    client.agent_instances.start(instance.id)
    heard: list[str | None] = []
    open_span = client.agent_spans.create(
        instance.id, "agent:step", "active", control_signal_callback=heard.append
    )
    assert heard == []

    emulator.terminate(instance.id, "over budget")
    late = client.agent_spans.create(
        instance.id, "agent:step", "active", control_signal_callback=heard.append
    )
    client.agent_spans.finish(open_span.id, control_signal_callback=heard.append)
    client.agent_spans.finish(late.id)
    assert heard == ["over budget", "over budget"]
    stopped = client.agent_instances.get(instance.id)
    assert (stopped.status, stopped.termination_reason) == ("terminated", "over budget")
    with pytest.raises(PrefactorApiError) as refused:
        client.agent_instances.finish(instance.id)
    assert refused.value.status_code == 409
    shown = client.agents.show(agent_id=agent.id)
    assert shown.instance_counts is not None
    assert shown.instance_counts.terminated == 1


async def test_control_signal_on_the_async_face(
    aclient: PrefactorHttpClient, emulator: PrefactorEmulator
) -> None:
    agent = await aclient.agents.create({"name": "Async stopped"})
    instance = await aclient.agent_instances.register(agent.id, VERSION, QUALITY_SCHEMA_VERSION)
    emulator.terminate(instance.id)
    heard: list[str | None] = []
    await aclient.agent_spans.create(
        instance.id, "agent:step", "active", control_signal_callback=heard.append
    )
    assert heard == [None]
    with pytest.raises(ValueError, match="terminated"):
        emulator.terminate(instance.id)


def test_the_043_flow_on_the_blocking_face(client: SyncPrefactorHttpClient) -> None:
    external = f"flow-{_tag()}"
    agent = client.agents.create({"name": "Blocking flow", "external_identifier": external})
    instance = client.agent_instances.register(
        agent_id=agent.id,
        agent_version=VERSION,
        agent_schema_version=QUALITY_SCHEMA_VERSION,
        purpose="live",
    )
    client.agent_instances.start(instance.id)
    span = client.agent_spans.create(instance.id, "agent:step", "active", payload={"n": 1})
    assert client.agent_spans.finish(span.id, status="failed").status == "failed"
    client.agent_instances.record_quality(instance.id, "tone", {"calm": 1})
    finished = client.agent_instances.finish(instance.id, status="complete")
    assert finished.span_counts is not None
    assert (finished.status, finished.span_counts.failed) == ("complete", 1)
    assert client.agent_instances.get(instance.id).quality_summaries == {"tone": "calm: 1"}
    assert client.agents.get(agent.id).status == "active"
    assert client.agents.show(external_identifier=external).id == agent.id
    assert agent.id in [a.id for a in client.agents.list_agents(sorting="-inserted_at")]
    assert client.agents.retire(agent.id).status == "retired"
    assert client.agents.reinstate(agent.id).status == "active"
