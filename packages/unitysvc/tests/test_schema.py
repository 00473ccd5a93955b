"""Schemathesis over the control plane's OpenAPI document, every check enabled (sdkcore's
`openapi_conformance`): no 500, documented statuses, content types and bodies, schema-valid
input accepted and invalid input rejected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from unitysvc_fixtures import MAIN_KEY

from sdkcore.emulator.testing import openapi_conformance
from unitysvc.emulator import EmulatorConfig, app_state, create_app

_APP = create_app(EmulatorConfig(api_keys=(MAIN_KEY,)))

schema = openapi_conformance(
    _APP,
    headers={"Authorization": f"Bearer {MAIN_KEY}"},
    max_examples=3,
    # Well-formed requests the API refuses because of what they say, beyond JSON Schema:
    state_dependent_statuses={
        # A schedule's cron expression and time zone are checked by croniter and zoneinfo; a
        # request_path may not be an absolute URL outside the gateway.
        "POST /v1/recurrent-requests/": (422,),
        "PATCH /v1/recurrent-requests/{request_id}": (422,),
        # An alias target that is an absolute URL (secondary paths must be relative).
        "POST /v1/aliases/": (422,),
        "PATCH /v1/aliases/{alias_id}": (422,),
        # A file path with '.', '..' or empty segments (traversal), or a continuation token
        # the server did not issue.
        "GET /v1/files/list": (422,),
        "GET /v1/groups/{name}/services": (422,),
        "GET /v1/files/download": (422,),
        "POST /v1/files/upload": (422,),
        # A preference value is checked on write: a mode for request-log, a service, alias,
        # enrollment or broadcast of the account for the others.
        "PUT /v1/preferences/{name}": (422,),
        # Broadcast targets and chain steps: an absolute URL as target_path, and a chain step
        # whose on_success/on_failure names a step the chain does not have (after the write).
        "POST /v1/broadcasts/": (422,),
        "POST /v1/broadcasts/{broadcast_id}/targets": (422,),
        "PUT /v1/broadcasts/{broadcast_id}/targets": (422,),
        "POST /v1/chains/": (422,),
        "POST /v1/chains/{chain_id}/steps": (422,),
        "PUT /v1/chains/{chain_id}/steps": (422,),
        "PATCH /v1/chains/{chain_id}/steps/{step_id}": (422,),
        "DELETE /v1/chains/{chain_id}/steps/{step_id}": (422,),
    },
)


@pytest.fixture(scope="module", autouse=True)
def _close_db() -> Iterator[None]:
    yield
    app_state(_APP).db.close()


@schema.parametrize()
def test_control_plane_conforms(case: Any) -> None:
    case.call_and_validate()
