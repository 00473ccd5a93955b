"""The Prefactor tour against the embedded emulator: register, start, nested spans, a bulk
batch, finish, and the instance's span counts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from prefactor_http import BulkItem, BulkRequest, PrefactorHttpClient, PrefactorValidationError
from prefactor_http.emulator import PrefactorEmulator

SCHEMA: dict[str, Any] = {
    "external_identifier": "demo-schema-v1",
    "span_type_schemas": [
        {
            "name": "agent:llm",
            "title": "LLM Call",
            "params_schema": {
                "type": "object",
                "properties": {"model": {"type": "string"}, "prompt": {"type": "string"}},
                "required": ["model", "prompt"],
            },
            "result_schema": {"type": "object", "properties": {"response": {"type": "string"}}},
            "template": "{{model}}: {{prompt}} → {{response}}",
        },
        {
            "name": "agent:tool",
            "title": "Tool Call",
            "params_schema": {"type": "object", "properties": {"tool": {"type": "string"}}},
        },
    ],
}


async def _tour(emulator: PrefactorEmulator, say: Callable[[str], None]) -> None:
    async with PrefactorHttpClient(emulator.config()) as client:
        instance = await client.agent_instances.register(
            agent_id="agent_123",
            agent_version={"name": "Demo Agent", "external_identifier": "v1.0.0"},
            agent_schema_version=SCHEMA,
        )
        say(f"agent_instances.register -> {instance.id} ({instance.status})")
        instance = await client.agent_instances.start(instance.id)
        say(f"agent_instances.start -> {instance.status}")

        root = await client.agent_spans.create(
            agent_instance_id=instance.id,
            schema_name="agent:llm",
            status="active",
            payload={"model": "gpt-4", "prompt": "Plan the trip"},
        )
        tool = await client.agent_spans.create(
            agent_instance_id=instance.id,
            schema_name="agent:tool",
            status="active",
            payload={"tool": "search"},
            parent_span_id=root.id,
        )
        await client.agent_spans.finish(tool.id, status="complete")
        await client.agent_spans.finish(root.id, result_payload={"response": "Day 1: ..."})
        say(f"agent_spans: {root.id} with nested {tool.id}, both finished")

        try:
            await client.agent_spans.create(
                agent_instance_id=instance.id,
                schema_name="agent:llm",
                status="active",
                payload={"model": 4},
            )
        except PrefactorValidationError as error:
            say(f"a payload off its schema -> {error.status_code} {sorted(error.errors)}")

        batch = BulkRequest(
            items=[
                BulkItem(
                    _type="agent_spans/create",
                    idempotency_key=f"demo-span-{n:04d}",
                    agent_instance_id=instance.id,
                    schema_name="agent:tool",
                    status="complete",
                    payload={"tool": f"step-{n}"},
                    parent_span_id=root.id,
                )
                for n in range(5)
            ]
        )
        response = await client.bulk.execute(batch)
        statuses = {output.status for output in response.outputs.values()}
        say(f"bulk.execute -> {len(response.outputs)} outputs, {statuses}")
        again = await client.bulk.execute(batch)
        same = again.outputs == response.outputs
        say(f"the same batch again -> replayed from the idempotency keys: {same}")

        instance = await client.agent_instances.finish(instance.id, status="complete")
        counts = instance.span_counts
        assert counts is not None
        say(
            f"agent_instances.finish -> {instance.status}; span_counts: total {counts.total}, "
            f"complete {counts.complete}, active {counts.active}, finished {counts.finished}"
        )


def run(say: Callable[[str], None]) -> None:
    """Register, start, nest spans, send a bulk batch, finish, print the span counts."""
    with PrefactorEmulator() as emulator:
        say(f"emulator at {emulator.url}")
        asyncio.run(_tour(emulator, say))
