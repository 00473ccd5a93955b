"""Schemathesis over the control plane's OpenAPI schema, with every check: no 500, documented
statuses and content types, responses matching their schemas, bad input rejected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from unitysvc_fixtures import MAIN_KEY

from unitysvc.emulator import EmulatorConfig, app_state, create_app

_APP = create_app(EmulatorConfig(api_keys=(MAIN_KEY,)))
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@pytest.fixture(scope="module", autouse=True)
def _close_db() -> Iterator[None]:
    yield
    app_state(_APP).db.close()


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_control_plane_conforms(case: schemathesis.Case) -> None:
    excluded = []
    if case.path.startswith("/v1/recurrent-requests") and case.method in ("POST", "PATCH"):
        # A schedule's cron expression and time zone are validated by croniter and zoneinfo,
        # which JSON Schema cannot express: a schema-valid but nonsensical one gets a 422.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {MAIN_KEY}"}, excluded_checks=excluded
    )
