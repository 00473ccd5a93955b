"""Schemathesis over the emulator's own OpenAPI document, in-process through ASGI (no server),
with every check: documented statuses and bodies, no 5xx, valid data accepted, invalid data
rejected, auth enforced, ``Allow`` on 405."""

from __future__ import annotations

import schemathesis
from prefactor_fixtures import OTHER_ACCOUNT, OTHER_AGENT, OTHER_TOKEN

from prefactor_http.emulator import DEFAULT_API_TOKEN, EmulatorConfig, create_app

APP = create_app(
    EmulatorConfig(
        tokens={DEFAULT_API_TOKEN: "acct_schemathesis", OTHER_TOKEN: OTHER_ACCOUNT},
        agents={"acct_schemathesis": ("agent_123",), OTHER_ACCOUNT: (OTHER_AGENT,)},
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.update(headers={"Authorization": f"Bearer {DEFAULT_API_TOKEN}"})
# Few examples per operation and phase keep the run short; no example database on disk.
schema.config.generation.update(max_examples=6, database="none")


@schema.parametrize()
def test_emulator_conforms_to_its_openapi(case: schemathesis.Case) -> None:
    case.call_and_validate()
