"""Contract tests for emulators: schemathesis over the app's own OpenAPI document.

Needs ``schemathesis`` (a test dependency, not one of the kit's). Use it from a test module::

    from sdkcore.emulator.testing import openapi_conformance

    schema = openapi_conformance(create_app(...), headers={"Authorization": "Bearer sk_test"})

    @schema.parametrize()
    def test_openapi_conformance(case):
        case.call_and_validate()

Requests go to the ASGI app in-process (no server, no network).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import schemathesis
from schemathesis.config import OperationConfig, OperationsConfig, PositiveDataAcceptanceConfig
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.schemas import OpenApiSchema

__all__ = ["DEFAULT_MAX_EXAMPLES", "openapi_conformance"]

DEFAULT_MAX_EXAMPLES = 25
"""Examples per operation: enough to reach every documented status, few enough to stay fast."""


def openapi_conformance(
    app: Any,
    *,
    headers: Mapping[str, str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    state_dependent_statuses: Mapping[str, Iterable[int]] | None = None,
    openapi_path: str = "/openapi.json",
) -> OpenApiSchema:
    """Load ``app``'s OpenAPI document for ``@schema.parametrize()``, every check enabled.

    Args:
        app: The emulator's ASGI app.
        headers: Sent with every request (credentials, so operations get past auth).
        parameters: Fixed parameter values, e.g. ``{"account_id": "AC_test"}`` so requests
            reach an account that exists.
        max_examples: Hypothesis examples per operation and phase.
        state_dependent_statuses: Per operation (``"POST /v1/items"``), statuses the API
            answers to well-formed requests because of stored state (a quota reached, a
            referenced record missing); that operation's positive-data check accepts them
            besides its defaults. Give the reason for each in the test.
        openapi_path: Where the app serves its document.

    Raises:
        ValueError: ``state_dependent_statuses`` names an operation the app does not have.
    """
    schema = schemathesis.openapi.from_asgi(openapi_path, app)
    schema.config.update(
        headers=dict(headers) if headers else None,
        parameters=dict(parameters) if parameters else None,
    )
    # No example database: runs stay independent of earlier ones and write nothing to disk.
    schema.config.generation.update(max_examples=max_examples, database="none")
    named = dict(state_dependent_statuses or {})
    labels = {r.ok().label for r in schema.get_all_operations() if isinstance(r, Ok)}
    unknown = named.keys() - labels
    if unknown:
        raise ValueError(f"state_dependent_statuses names no operation of the app: {unknown}")
    # schemathesis' defaults already accept answers that depend on state rather than on the
    # request's shape (2xx, 3xx, 401, 403, 404, 409, 429, 5xx); add the API's own.
    accepted = PositiveDataAcceptanceConfig().expected_statuses
    schema.config.operations = OperationsConfig(
        operations=[
            OperationConfig.from_dict(
                {
                    "include-name": label,
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*accepted, *map(str, statuses)]
                        }
                    },
                }
            )
            for label, statuses in named.items()
        ]
    )
    return schema
