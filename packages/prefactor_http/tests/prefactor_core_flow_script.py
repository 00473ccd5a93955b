"""prefactor-core 0.5.3's instance and span flow as one script, run (in a virtual environment
of its own) against an emulator named by ``COMPAT_URL``, on whichever prefactor-http that
environment holds. It prints the instance id and the headers' SDK entry as JSON; the test
reads everything else from the emulator.
"""

import asyncio
import json
import os

from prefactor_core import PrefactorCoreClient, PrefactorCoreConfig, SchemaRegistry
from prefactor_llm_schemas import LLM_PARAMS_SCHEMA, LLM_RESULT_SCHEMA

from prefactor_http.config import HttpClientConfig


async def main() -> None:
    registry = SchemaRegistry()
    registry.register_type(
        name="agent:llm",
        params_schema=LLM_PARAMS_SCHEMA,
        result_schema=LLM_RESULT_SCHEMA,
        title="LLM Call",
        data_risk={"action_profile": {"external_communication": "allowed"}},
    )
    registry.register_type(
        name="agent:tool",
        params_schema={"type": "object", "properties": {"tool": {"type": "string"}}},
    )
    registry.register_quality_schema(
        name="helpfulness",
        schema={
            "type": "object",
            "properties": {"score": {"type": "number"}},
            "required": ["score"],
        },
        template="score {{score}}",
    )
    config = PrefactorCoreConfig(
        http_config=HttpClientConfig(
            api_url=os.environ["COMPAT_URL"], api_token="your-api-token", initial_retry_delay=0.05
        ),
        schema_registry=registry,
    )
    async with PrefactorCoreClient(config) as client:
        handle = await client.create_agent_instance(
            agent_id="agent_123",
            agent_version={"name": "Core agent", "external_identifier": "core-v1"},
            purpose="smoke_test",
            external_identifier="core-run-1",
        )
        await handle.start()
        async with handle.span("agent:llm") as llm:
            await llm.start({"model": "gpt-4", "prompt": "Hello"})
            async with handle.span("agent:tool") as tool:
                await tool.start({"tool": "search"})
                await tool.complete({})
            await llm.complete({"response": "Hi"})
        async with handle.span("agent:tool") as failed:
            await failed.start({"tool": "calc"})
            await failed.fail({})
        await handle.record_quality("helpfulness", {"score": 0.5})
        await handle.finish()
    print(json.dumps({"instance_id": handle.id}))


asyncio.run(main())
