"""The seed's examples as one script, run by both the public prefactor-http 0.1.0 (in its own
virtual environment) and this SDK, against an emulator named by ``COMPAT_URL``.

It prints one JSON object of what the calls returned, so the two runs can be compared.
Ids are pre-assigned so the two runs send identical requests.
"""

import asyncio
import json
import os

from prefactor_llm_schemas import LLM_PARAMS_SCHEMA, LLM_RESULT_SCHEMA

from prefactor_http import (
    BulkItem,
    BulkRequest,
    HttpClientConfig,
    PrefactorAuthError,
    PrefactorHttpClient,
    PrefactorNotFoundError,
    PrefactorValidationError,
)

SCHEMA = {
    "external_identifier": "v1.0.0",
    "span_type_schemas": [
        {
            "name": "agent:llm",
            "title": "LLM Call",
            "description": "A call to a language model",
            "params_schema": LLM_PARAMS_SCHEMA,
            "result_schema": LLM_RESULT_SCHEMA,
            "template": "{{model}}: {{prompt}} → {{response}}",
        }
    ],
}


async def main() -> None:
    url = os.environ["COMPAT_URL"]
    config = HttpClientConfig(api_url=url, api_token="your-api-token")
    out: dict = {}
    async with PrefactorHttpClient(config) as client:
        instance = await client.agent_instances.register(
            agent_id="agent_123",
            agent_version={"name": "My Agent", "external_identifier": "v1.0.0"},
            agent_schema_version=SCHEMA,
            id="compat-instance-1",
        )
        out["registered"] = instance.status
        instance = await client.agent_instances.start(agent_instance_id=instance.id)
        out["started"] = instance.status
        span = await client.agent_spans.create(
            agent_instance_id=instance.id,
            schema_name="agent:llm",
            status="active",
            payload={"model": "gpt-4", "prompt": "Hello"},
            id="compat-span-1",
        )
        child = await client.agent_spans.create(
            agent_instance_id=instance.id,
            schema_name="agent:llm",
            status="active",
            payload={"model": "gpt-4", "prompt": "Nested"},
            id="compat-span-2",
            parent_span_id=span.id,
        )
        child = await client.agent_spans.finish(
            agent_span_id=child.id, status="complete", result_payload={"response": "Hi"}
        )
        out["child"] = [child.status, child.parent_span_id, child.result_payload]
        response = await client.bulk.execute(
            BulkRequest(
                items=[
                    BulkItem(
                        _type="agent_spans/create",
                        idempotency_key="create-span-001",
                        agent_instance_id=instance.id,
                        schema_name="agent:llm",
                        status="active",
                        payload={"model": "gpt-4", "prompt": "Bulk"},
                        id="compat-span-3",
                    ),
                    BulkItem(
                        _type="agent_spans/create",
                        idempotency_key="create-span-002",
                        agent_instance_id=instance.id,
                        schema_name="agent:llm",
                        status="active",
                    ),
                ]
            )
        )
        out["bulk"] = {key: output.status for key, output in response.outputs.items()}
        try:
            await client.agent_spans.create(
                agent_instance_id=instance.id,
                schema_name="agent:llm",
                status="active",
                payload={"model": 4},
            )
        except PrefactorValidationError as e:
            out["validation"] = [e.status_code, e.code, sorted(e.errors)]
        try:
            await client.agent_instances.start(agent_instance_id="compat-missing")
        except PrefactorNotFoundError as e:
            out["not_found"] = [e.status_code, e.code]
        instance = await client.agent_instances.finish(
            agent_instance_id=instance.id, status="complete"
        )
        out["finished"] = [instance.status, instance.span_counts.model_dump()]
    bad = HttpClientConfig(api_url=url, api_token="wrong-token")
    async with PrefactorHttpClient(bad) as client:
        try:
            await client.agent_instances.start(agent_instance_id="compat-instance-1")
        except PrefactorAuthError as e:
            out["auth"] = [e.status_code, e.code]
    print(json.dumps(out))


asyncio.run(main())
