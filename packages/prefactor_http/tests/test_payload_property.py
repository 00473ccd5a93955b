"""Property: any span payload either passes its JSON Schema or is refused with a 422 whose
``errors`` name fields under ``payload``; the emulator never answers 5xx."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prefactor_fixtures import LLM_SCHEMA_VERSION, VERSION

from prefactor_http.emulator import PrefactorEmulator

PARAMS_SCHEMA = LLM_SCHEMA_VERSION["span_type_schemas"][0]["params_schema"]
RESULT_SCHEMA = LLM_SCHEMA_VERSION["span_type_schemas"][0]["result_schema"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
field_names = st.sampled_from(["model", "prompt", "response", "extra"]) | st.text(max_size=8)
payloads = st.dictionaries(field_names, json_values, max_size=4) | json_values


def test_arbitrary_payloads_validate_or_name_a_field(emulator: PrefactorEmulator) -> None:
    headers = {"Authorization": f"Bearer {emulator.api_token}"}
    with httpx.Client(base_url=f"{emulator.url}/api/v1", headers=headers, timeout=10) as http:
        register = {"agent_id": "agent_123", "agent_version": VERSION}
        register["agent_schema_version"] = LLM_SCHEMA_VERSION
        instance_id = http.post("/agent_instance/register", json=register).json()["details"]["id"]
        http.post(f"/agent_instance/{instance_id}/start", json={})

        @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(payload=payloads, result=payloads | st.none())
        def check(payload: Any, result: Any) -> None:
            details = {"agent_instance_id": instance_id, "schema_name": "agent:llm"}
            details |= {"status": "complete", "payload": payload, "result_payload": result}
            response = http.post("/agent_spans", json={"details": details})
            assert response.status_code < 500, response.text
            body = response.json()
            valid = isinstance(payload, dict) and jsonschema.Draft202012Validator(
                PARAMS_SCHEMA
            ).is_valid(payload)
            valid_result = result is None or (
                isinstance(result, dict)
                and jsonschema.Draft202012Validator(RESULT_SCHEMA).is_valid(result)
            )
            if valid and valid_result:
                assert response.status_code == 200, response.text
                assert body["details"]["payload"] == payload
                return
            assert response.status_code == 422, response.text
            assert body["status"] == "error"
            assert body["errors"]
            assert all(
                field.startswith(("payload", "result_payload")) for field in body["errors"]
            ), body["errors"]

        check()
