"""`compute_signature`, the X-Signature of ClawOps webhooks."""

from __future__ import annotations

from clawops._signature import compute_signature

URL = "https://my-app.com/webhook"
PARAMS = {"CallSid": "CA123", "From": "07052358010", "To": "01012345678", "CallStatus": "completed"}


def test_spec_worked_example() -> None:
    assert compute_signature(URL, PARAMS, "whsec_test_key") == "AcTo0YJ8Fw3F2Zpmj7y/tsgNAQ0="


def test_parameter_order_does_not_matter() -> None:
    reordered = dict(reversed(list(PARAMS.items())))
    assert compute_signature(URL, reordered, "whsec_test_key") == "AcTo0YJ8Fw3F2Zpmj7y/tsgNAQ0="


def test_url_params_and_key_are_all_signed() -> None:
    base = compute_signature(URL, PARAMS, "whsec_test_key")
    assert compute_signature(URL + "/", PARAMS, "whsec_test_key") != base
    assert compute_signature(URL, {**PARAMS, "To": "01000000000"}, "whsec_test_key") != base
    assert compute_signature(URL, PARAMS, "whsec_other") != base


def test_no_params_signs_the_url_alone() -> None:
    assert compute_signature(URL, {}, "k") == compute_signature(URL, {}, "k")
    assert compute_signature(URL, {}, "k") != compute_signature(URL, {"A": ""}, "k")
