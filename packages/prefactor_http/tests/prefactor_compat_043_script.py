"""The prefactor-http 0.4.3 flow as one script, run by the public package (in its own virtual
environment) and by this SDK, against an emulator named by ``COMPAT_URL``.

It prints one JSON object of what the calls returned, so the runs can be compared. Ids are
pre-assigned and times fixed so every run sends identical requests.
"""

import asyncio
import json
import os
from datetime import datetime, timezone

from prefactor_llm_schemas import LLM_PARAMS_SCHEMA, LLM_RESULT_SCHEMA

from prefactor_http import HttpClientConfig, PrefactorHttpClient, PrefactorValidationError
from prefactor_http.models import AgentForCreate

RISK = {
    "action_profile": {"read_data": "allowed", "external_communication": "disallowed"},
    "params_data_categories": {"personal_identifiers": "included", "classification": "internal"},
    "result_data_categories": {"classification": "confidential"},
}
SCHEMA = {
    "external_identifier": "v2.0.0",
    "span_type_schemas": [
        {
            "name": "agent:llm",
            "title": "LLM Call",
            "params_schema": LLM_PARAMS_SCHEMA,
            "result_schema": LLM_RESULT_SCHEMA,
            "data_risk": RISK,
        }
    ],
    "quality_schemas": [
        {
            "name": "helpfulness",
            "schema": {
                "type": "object",
                "properties": {"score": {"type": "number", "minimum": 0, "maximum": 1}},
                "required": ["score"],
            },
            "template": "score {{score}}",
        }
    ],
}
AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


async def main() -> None:
    url = os.environ["COMPAT_URL"]
    config = HttpClientConfig(api_url=url, api_token="your-api-token")
    out: dict = {}
    async with PrefactorHttpClient(config) as client:
        out["ping"] = sorted(await client.validate_token())
        agent = await client.agents.create(
            AgentForCreate(
                name="Compat agent",
                external_identifier="compat-agent",
                id="compat-agent-1",
                team_id="team_1",
                owner_person_id="person_1",
            ),
            idempotency_key="compat-create-agent",
        )
        out["agent"] = [agent.id, agent.status, agent.team_id, agent.owner_person_id]
        instance = await client.agent_instances.register(
            agent_id=agent.id,
            agent_version={
                "name": "v2",
                "external_identifier": "v2.0.0",
                "runtime_environment": {"os": "linux", "runtime": "cpython@3.12"},
            },
            agent_schema_version=SCHEMA,
            id="compat-instance-43",
            purpose="eval",
            external_identifier="run-1",
            idempotency_key="compat-register",
        )
        out["registered"] = [instance.status, instance.purpose, instance.external_identifier]
        out["deployment"] = instance.agent_deployment_id.startswith("dep_")
        instance = await client.agent_instances.start(
            instance.id, timestamp=AT, idempotency_key="compat-start"
        )
        span = await client.agent_spans.create(
            agent_instance_id=instance.id,
            schema_name="agent:llm",
            status="active",
            payload={"model": "gpt-4", "prompt": "Hello"},
            id="compat-span-43",
            started_at=AT,
            idempotency_key="compat-span",
        )
        span = await client.agent_spans.finish(
            span.id, result_payload={"response": "Hi"}, timestamp=AT, idempotency_key="compat-sf"
        )
        out["span"] = [span.status, span.result_payload]
        instance = await client.agent_instances.record_quality(
            instance.id, "helpfulness", {"score": 0.75}, idempotency_key="compat-quality"
        )
        out["quality"] = [instance.quality_payloads, instance.quality_summaries]
        try:
            await client.agent_instances.record_quality(instance.id, "helpfulness", {"score": 2})
        except PrefactorValidationError as e:
            out["quality_refused"] = [e.status_code, sorted(e.errors)]
        instance = await client.agent_instances.finish(
            instance.id, status="complete", timestamp=AT, idempotency_key="compat-finish"
        )
        fetched = await client.agent_instances.get(instance.id)
        counts = fetched.span_counts.model_dump(include={"total", "complete", "finished"})
        out["finished"] = [fetched.status, counts]
        got = await client.agents.get(agent.id)
        out["got"] = [got.name, got.instance_counts.model_dump()]
        shown = await client.agents.show(
            external_identifier="compat-agent", include_counts=True, include_risk_rollup=True
        )
        raw = await client.request(
            "GET",
            "/api/v1/agent/show",
            params={"agent_id": agent.id, "include_risk_rollup": "true"},
        )
        rollup = raw["details"]["risk_rollup"]
        out["show"] = [shown.id, shown.instance_counts.total, rollup["action_profile"]]
        listed = await client.agents.list_agents(team_id="team_1", sorting="-name", page_size=10)
        out["list"] = [summary.id for summary in listed]
        retired = await client.agents.retire(agent.id, idempotency_key="compat-retire")
        reinstated = await client.agents.reinstate(agent.id, idempotency_key="compat-reinstate")
        out["lifecycle"] = [retired.status, reinstated.status]
    print(json.dumps(out))


asyncio.run(main())
