"""Every example of the seed README against the emulator over real HTTP, async and blocking.

The example code is the seed's; the only change is where ``HttpClientConfig`` comes from
(`seed_config`, which swaps https://api.prefactor.ai for the local emulator), plus three
things the seed leaves as placeholders: ``{...}`` schema bodies (filled with real schemas),
``register(...)`` in the error example (a real call that fails) and the example ids
``instance_123`` (registered first, under that id).
"""

from __future__ import annotations

from typing import Any

import pytest
from prefactor_fixtures import LLM_SCHEMA_VERSION, point_seed_examples_at
from prefactor_fixtures import seed_config as HttpClientConfig

from prefactor_http import (
    AgentInstance,
    AgentSpan,
    AgentStatus,
    BulkItem,
    BulkRequest,
    BulkResponse,
    FinishStatus,
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorClientError,
    PrefactorHttpClient,
    PrefactorHttpError,
    PrefactorNotFoundError,
    PrefactorRetryExhaustedError,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
)
from prefactor_http.emulator import PrefactorEmulator

# The instance the span and bulk examples name; its span type takes any object.
LOOSE_SCHEMA_VERSION = {
    "external_identifier": "loose",
    "span_type_schemas": [{"name": "agent:llm", "params_schema": {"type": "object"}}],
}


@pytest.fixture
def seed_emulator(fresh_emulator: PrefactorEmulator) -> PrefactorEmulator:
    """A fresh emulator where ``instance_123`` exists and is active."""
    point_seed_examples_at(fresh_emulator.url)
    with SyncPrefactorHttpClient(fresh_emulator.config()) as setup:
        setup.agent_instances.register(
            "agent_123", {"name": "Seed"}, LOOSE_SCHEMA_VERSION, id="instance_123"
        )
        setup.agent_instances.start("instance_123")
    return fresh_emulator


async def test_quick_start(seed_emulator: PrefactorEmulator, capsys: Any) -> None:
    async def main():  # type: ignore[no-untyped-def]
        config = HttpClientConfig(
            api_url="https://api.prefactor.ai",
            api_token="your-api-token",
        )

        async with PrefactorHttpClient(config) as client:
            instance = await client.agent_instances.register(
                agent_id="agent_123",
                agent_version={"name": "My Agent", "external_identifier": "v1.0.0"},
                agent_schema_version={
                    "external_identifier": "v1.0.0",
                    "span_type_schemas": [
                        {
                            "name": "agent:llm",
                            "title": "LLM Call",
                            "description": "A call to a language model",
                            "params_schema": {
                                "type": "object",
                                "properties": {
                                    "model": {"type": "string"},
                                    "prompt": {"type": "string"},
                                },
                                "required": ["model", "prompt"],
                            },
                            "result_schema": {
                                "type": "object",
                                "properties": {"response": {"type": "string"}},
                            },
                            "template": "{{model}}: {{prompt}} → {{response}}",
                        },
                    ],
                },
            )
            print(f"Registered instance: {instance.id}")

    await main()
    out = capsys.readouterr().out
    instance_id = out.removeprefix("Registered instance: ").strip()
    with SyncPrefactorHttpClient(seed_emulator.config()) as check:
        assert check.agent_instances.get(instance_id).status == "pending"


async def test_agent_instances_example(seed_emulator: PrefactorEmulator) -> None:
    config = HttpClientConfig(api_url="https://api.prefactor.ai", api_token="your-api-token")
    async with PrefactorHttpClient(config) as client:
        # Register a new agent instance
        instance = await client.agent_instances.register(
            agent_id="agent_123",
            agent_version={
                "name": "My Agent",
                "external_identifier": "v1.0.0",
                "description": "Optional description",
            },
            agent_schema_version={
                "external_identifier": "schema-v1",
                "span_type_schemas": [
                    {
                        "name": "agent:llm",
                        "title": "LLM Call",  # Optional
                        "description": "A call to a language model",  # Optional
                        "params_schema": {"type": "object", "properties": {"model": {}}},
                        "result_schema": {"type": "object", "properties": {"response": {}}},
                        "template": "{{model}}: {{prompt}} → {{response}}",  # Optional
                    },
                ],
            },
            id=None,  # Optional: pre-assign an ID
            idempotency_key=None,  # Optional: idempotency key
            update_current_version=True,  # Optional: update the agent's current version
        )
        assert instance.status == "pending"

        # Start an instance
        instance = await client.agent_instances.start(
            agent_instance_id=instance.id,
            timestamp=None,  # Optional: override start time
            idempotency_key=None,
        )
        assert instance.status == "active"
        assert instance.started_at is not None

        # Finish an instance
        instance = await client.agent_instances.finish(
            agent_instance_id=instance.id,
            status=None,  # Optional: "complete" | "failed" | "cancelled"
            timestamp=None,  # Optional: override finish time
            idempotency_key=None,
        )
    assert isinstance(instance, AgentInstance)
    assert instance.status == "complete"
    assert instance.finished_at is not None
    assert instance.span_counts is not None
    assert instance.span_counts.total == 0


async def test_flat_schema_maps(seed_emulator: PrefactorEmulator) -> None:
    config = HttpClientConfig(api_url="https://api.prefactor.ai", api_token="your-api-token")
    async with PrefactorHttpClient(config) as client:
        instance = await client.agent_instances.register(
            agent_id="agent_123",
            agent_version={"name": "My Agent", "external_identifier": "v1.0.0"},
            agent_schema_version={
                "external_identifier": "flat-v1",
                "span_schemas": {"agent:llm": {"type": "object", "required": ["model"]}},
                "span_result_schemas": {"agent:llm": {"type": "object"}},
            },
        )
        await client.agent_instances.start(instance.id)
        span = await client.agent_spans.create(
            agent_instance_id=instance.id,
            schema_name="agent:llm",
            status="active",
            payload={"model": "gpt-4"},
        )
        assert span.payload == {"model": "gpt-4"}
        with pytest.raises(PrefactorValidationError) as caught:
            await client.agent_spans.create(
                agent_instance_id=instance.id, schema_name="agent:llm", status="active"
            )
        assert "payload.model" in caught.value.errors


async def test_agent_spans_example(seed_emulator: PrefactorEmulator) -> None:
    config = HttpClientConfig(api_url="https://api.prefactor.ai", api_token="your-api-token")
    async with PrefactorHttpClient(config) as client:
        # Create a span
        span = await client.agent_spans.create(
            agent_instance_id="instance_123",
            schema_name="agent:llm",
            status="active",
            payload={"model": "gpt-4", "prompt": "Hello"},  # Optional
            result_payload=None,  # Optional
            id=None,  # Optional: pre-assign an ID
            parent_span_id=None,  # Optional: parent for nesting
            started_at=None,  # Optional: override start time
            finished_at=None,
            idempotency_key=None,
        )
        assert isinstance(span, AgentSpan)
        assert (span.agent_instance_id, span.status) == ("instance_123", "active")

        # Finish a span
        span = await client.agent_spans.finish(
            agent_span_id=span.id,
            status=None,  # Optional: "complete" | "failed" | "cancelled"
            result_payload=None,  # Optional: final result data
            timestamp=None,  # Optional: override finish time
            idempotency_key=None,
        )
    assert span.status == "complete"
    assert span.finished_at is not None
    assert span.payload == {"model": "gpt-4", "prompt": "Hello"}


async def test_bulk_example(seed_emulator: PrefactorEmulator, capsys: Any) -> None:
    config = HttpClientConfig(api_url="https://api.prefactor.ai", api_token="your-api-token")
    async with PrefactorHttpClient(config) as client:
        request = BulkRequest(
            items=[
                BulkItem(
                    _type="agent_instances/register",
                    idempotency_key="register-instance-001",
                    agent_id="agent_123",
                    agent_version={"name": "My Agent", "external_identifier": "v1.0.0"},
                    agent_schema_version={
                        "external_identifier": "v1.0.0",
                        "span_type_schemas": [
                            {
                                "name": "agent:llm",
                                "title": "LLM Call",
                                "params_schema": {
                                    "type": "object",
                                    "properties": {
                                        "model": {"type": "string"},
                                        "prompt": {"type": "string"},
                                    },
                                    "required": ["model", "prompt"],
                                },
                                "result_schema": {
                                    "type": "object",
                                    "properties": {"response": {"type": "string"}},
                                },
                            },
                        ],
                    },
                ),
                BulkItem(
                    _type="agent_spans/create",
                    idempotency_key="create-span-001",
                    agent_instance_id="instance_123",
                    schema_name="agent:llm",
                    status="active",
                ),
            ]
        )

        response = await client.bulk.execute(request)

        for key, output in response.outputs.items():
            print(f"{key}: {output.status}")  # "success" or "error"

    assert isinstance(response, BulkResponse)
    assert capsys.readouterr().out.splitlines() == [
        "register-instance-001: success",
        "create-span-001: success",
    ]
    assert response.outputs["register-instance-001"].details["status"] == "pending"
    assert response.outputs["create-span-001"].details["agent_instance_id"] == "instance_123"


async def test_error_handling_example(seed_emulator: PrefactorEmulator, capsys: Any) -> None:
    config = HttpClientConfig(api_url="https://api.prefactor.ai", api_token="your-api-token")
    try:
        async with PrefactorHttpClient(config) as client:
            instance = await client.agent_instances.register(  # noqa: F841
                "agent_unknown", {"name": "x"}, LLM_SCHEMA_VERSION
            )
    except PrefactorValidationError as e:
        print(f"Validation error: {e.errors}")
    except PrefactorAuthError:
        print("Authentication failed - check your API token")
    except PrefactorNotFoundError:
        print("Resource not found")
    except PrefactorRetryExhaustedError as e:
        print(f"Request failed after retries: {e.last_error}")
    except PrefactorApiError as e:
        print(f"API error {e.status_code}: {e.code}")
    assert capsys.readouterr().out == "Resource not found\n"
    assert issubclass(PrefactorClientError, PrefactorHttpError)


def test_configuration_example() -> None:
    point_seed_examples_at("http://127.0.0.1:9")
    config = HttpClientConfig(
        # Required
        api_url="https://api.prefactor.ai",
        api_token="your-token",
        # Retry behavior
        max_retries=3,
        initial_retry_delay=1.0,
        max_retry_delay=60.0,
        retry_multiplier=2.0,
        # Timeouts
        request_timeout=30.0,
        connect_timeout=10.0,
    )
    assert (config.max_retries, config.request_timeout, config.connect_timeout) == (3, 30.0, 10.0)
    assert config.retry_on_status_codes == (429, 500, 502, 503, 504)


def test_types_example() -> None:
    from typing import get_args

    # 0.1.0's five, then the "terminated" that 0.4.3 added.
    statuses = ("pending", "active", "complete", "failed", "cancelled", "terminated")
    assert get_args(AgentStatus) == statuses
    assert get_args(FinishStatus) == ("complete", "failed", "cancelled")


def test_blocking_client_runs_the_same_examples(seed_emulator: PrefactorEmulator) -> None:
    config = HttpClientConfig(api_url="https://api.prefactor.ai", api_token="your-api-token")
    with SyncPrefactorHttpClient(config) as client:
        instance = client.agent_instances.register(
            agent_id="agent_123",
            agent_version={"name": "My Agent", "external_identifier": "v1.0.0"},
            agent_schema_version=LLM_SCHEMA_VERSION,
        )
        instance = client.agent_instances.start(agent_instance_id=instance.id)
        span = client.agent_spans.create(
            agent_instance_id=instance.id,
            schema_name="agent:llm",
            status="active",
            payload={"model": "gpt-4", "prompt": "Hello"},
        )
        span = client.agent_spans.finish(agent_span_id=span.id, result_payload={"response": "Hi"})
        assert span.result_payload == {"response": "Hi"}
        response = client.bulk.execute(
            BulkRequest(
                items=[
                    BulkItem(
                        _type="agent_spans/create",
                        idempotency_key="create-span-001",
                        agent_instance_id="instance_123",
                        schema_name="agent:llm",
                        status="active",
                    )
                ]
            )
        )
        assert response.outputs["create-span-001"].status == "success"
        instance = client.agent_instances.finish(agent_instance_id=instance.id, status="failed")
    assert instance.status == "failed"
    assert instance.span_counts is not None
    assert (instance.span_counts.total, instance.span_counts.complete) == (1, 1)
