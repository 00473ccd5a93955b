"""The emulator's OpenAPI document tells the truth: schemathesis, every check, in-process."""

from __future__ import annotations

from typing import Any

from clawops.emulator._app import create_app
from clawops.emulator._config import EmulatorConfig
from sdkcore.emulator.testing import openapi_conformance

_KEY = "sk_test_openapi"
_ACCOUNT = "AC_openapi"

schema = openapi_conformance(
    create_app(
        EmulatorConfig(
            api_keys={_KEY: [_ACCOUNT]},
            numbers={_ACCOUNT: ["07052358010"]},
            ring_after=0.0,
            answer_after=0.0,
        )
    ),
    headers={"Authorization": f"Bearer {_KEY}"},
    parameters={"account_id": _ACCOUNT},
    max_examples=10,
    # Well-formed requests the API refuses because of stored state.
    state_dependent_statuses={
        # From is not a number the account registered; To is a blocked recipient.
        "POST /v1/accounts/{account_id}/calls": (400, 422),
        # A pool number that is not in the pool; the account's number quota reached.
        "POST /v1/accounts/{account_id}/numbers": (400, 422),
        # The account's limit of SIP credentials reached.
        "POST /v1/accounts/{account_id}/sip/credentials": (422,),
        # Which of Body, Kakao and Brand a message carries decides which other fields it may
        # have (the API's rules, not expressible in the document); its channel and template
        # must exist and be approved, its From registered, its To not blocked.
        "POST /v1/accounts/{account_id}/messages": (400, 422),
        # The number is not one the account holds, or the sender number limit is reached.
        "POST /v1/accounts/{account_id}/sender-numbers": (422,),
        # A recipient's form depends on the channel: a phone number, or an email address.
        "POST /v1/accounts/{account_id}/blocked-recipients": (400,),
        # No verification code was requested for this channel and phone, or it is wrong.
        "POST /v1/accounts/{account_id}/kakao/channels": (422,),
    },
)


@schema.parametrize()
def test_openapi_conformance(case: Any) -> None:
    case.call_and_validate()
