"""The fault matrix: every injected failure ends in success after retries or in the seed's
typed error; creates are never performed twice."""

from __future__ import annotations

from typing import Any

import pytest

from clawops import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncClawOps,
    ClawOps,
    InternalServerError,
    RetryPolicy,
    ServiceUnavailableError,
)
from clawops.emulator import ClawOpsEmulator
from sdkcore.emulator import fault_headers

CREATE = {"to": "01012345678", "from_": "07052358010", "url": "https://my-app.com/twiml"}


def posts_to_calls(emulator: ClawOpsEmulator) -> int:
    return sum(
        1 for e in emulator.journal.entries if e.method == "POST" and e.path.endswith("/calls")
    )


@pytest.fixture
def quick(client: ClawOps) -> ClawOps:
    """The client with short backoff so retry tests stay fast."""
    return client.with_options(
        retry_policy=RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.05)
    )


@pytest.mark.parametrize(
    "spec",
    [
        "reset;times=2",
        "status=429;retry_after=0;times=2",
        "status=503;times=2",
        "status=500;times=1",
        "status=408;times=1",
        "status=409;times=1",
        "truncate;times=1",
        "html;times=1",
        "delay=5;times=1",
    ],
)
def test_get_recovers_after_transient_faults(quick: ClawOps, spec: str) -> None:
    call = quick.calls.create(**CREATE)
    # Timeouts and delays far apart: a loaded machine's answer fits, an injected delay does not.
    raw = quick.calls.with_raw_response.get(
        call.call_id, timeout=2, extra_headers=fault_headers(spec)
    )
    assert raw.parse().call_id == call.call_id
    assert raw.retries_taken >= 1


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("reset", APIConnectionError),
        ("status=503", ServiceUnavailableError),
        ("status=502", InternalServerError),
        ("truncate", APIConnectionError),
        ("delay=10", APITimeoutError),
        ("malformed_json", APIResponseValidationError),
    ],
)
async def test_async_persistent_faults_end_in_typed_errors(
    aclient: AsyncClawOps, spec: str, error: type[Exception]
) -> None:
    quick = aclient.with_options(
        retry_policy=RetryPolicy(max_retries=1, initial_delay=0.01, max_delay=0.02)
    )
    with pytest.raises(error):
        await quick.calls.list(timeout=2, extra_headers=fault_headers(spec))


@pytest.mark.parametrize("spec", ["reset", "truncate", "status=503", "status=500", "delay=5"])
def test_create_is_never_sent_twice(quick: ClawOps, emulator: ClawOpsEmulator, spec: str) -> None:
    before = posts_to_calls(emulator)
    with pytest.raises(
        APIConnectionError if spec in ("reset", "truncate", "delay=5") else InternalServerError
    ):
        quick.calls.create(**CREATE, timeout=2, extra_headers=fault_headers(f"{spec};times=1"))
    assert posts_to_calls(emulator) - before == 1


def test_create_is_retried_when_the_server_refused_it(
    quick: ClawOps, emulator: ClawOpsEmulator
) -> None:
    before = posts_to_calls(emulator)
    call = quick.calls.create(
        **CREATE, extra_headers=fault_headers("status=429;retry_after=0;times=1")
    )
    assert call.call_id
    assert posts_to_calls(emulator) - before == 2


def test_number_purchase_not_repeated_on_server_error(
    quick: ClawOps, emulator: ClawOpsEmulator
) -> None:
    count = len(quick.numbers.list())
    with pytest.raises(ServiceUnavailableError):
        quick.numbers.create(source="pool", extra_headers=fault_headers("status=503;times=1"))
    assert len(quick.numbers.list()) == count


def test_max_retries_zero_disables_retrying(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    emulator.journal.clear()
    with pytest.raises(ServiceUnavailableError):
        client.with_options(max_retries=0).calls.list(
            extra_headers=fault_headers("status=503;times=1")
        )
    assert len(emulator.journal.entries) == 1


def test_hang_up_is_retried_as_idempotent(quick: ClawOps, emulator: ClawOpsEmulator) -> None:
    call = quick.calls.create(**CREATE)
    emulator.journal.clear()
    ended = quick.calls.update(
        call.call_id, status="completed", extra_headers=fault_headers("status=503;times=1")
    )
    assert ended.status == "completed"
    assert len(emulator.journal.entries) == 2


def test_error_attributes_from_an_injected_fault_headers(client: ClawOps) -> None:
    with pytest.raises(ServiceUnavailableError) as info:
        client.calls.list(max_retries=0, extra_headers=fault_headers("status=503"))
    error: Any = info.value
    assert error.status_code == 503
    assert error.response.status_code == 503
    assert error.request.method == "GET"
    assert isinstance(error.body, dict)
    assert error.message == error.body["error"]


def test_non_json_error_body_is_none_as_the_spec_says(client: ClawOps) -> None:
    with pytest.raises(InternalServerError) as info:
        client.calls.list(max_retries=0, extra_headers=fault_headers("html"))
    assert info.value.status_code == 502
    assert info.value.body is None
    assert info.value.message == "HTTP 502"
    assert b"<html" in info.value.response.content.lower()
