"""End to end: a call progresses, the emulator posts signed status callbacks to an app, and the
SDK verifies them."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from clawops_sdk_fixtures import SIGNING_KEY

from clawops import ClawOps, WebhookVerificationError
from clawops.emulator import ClawOpsEmulator, WebhookSink
from clawops.webhooks import verify_signature


def wait_for(predicate: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_call_lifecycle_and_signed_callbacks(client: ClawOps) -> None:
    with WebhookSink("/status") as sink:
        call = client.calls.create(
            to="01012345678",
            from_="07052358010",
            url="https://my-app.com/twiml",
            status_callback=sink.url,
        )
        wait_for(lambda: client.calls.get(call.call_id).status == "completed")
        received = sink.wait(4)
    assert [d.params["CallStatus"] for d in received] == [
        "queued",
        "ringing",
        "in-progress",
        "completed",
    ]
    for delivery in received:
        assert delivery.params["CallId"] == call.call_id
        assert verify_signature(delivery.url, delivery.params, delivery.signature, SIGNING_KEY)
    done = client.calls.get(call.call_id)
    assert done.duration is not None
    assert done.date_updated is not None


def test_hang_up_sends_completed_callback(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    with WebhookSink() as sink:
        call = client.calls.create(
            to="01012345678",
            from_="07052358010",
            url="https://my-app.com/twiml",
            status_callback=sink.url,
            status_callback_event="completed",
        )
        client.calls.update(call.call_id, status="completed")
        (delivery,) = sink.wait(1)
    assert delivery.params["CallStatus"] == "completed"
    assert client.webhooks.verify(
        url=delivery.url,
        params=delivery.params,
        signature=delivery.signature,
        signing_key=SIGNING_KEY,
    )
    with pytest.raises(WebhookVerificationError):
        client.webhooks.verify(
            url=delivery.url,
            params=delivery.params,
            signature=delivery.signature,
            signing_key="whsec_wrong",
        )
    assert emulator.deliveries(call.call_id)


def test_sink_reports_missing_deliveries() -> None:
    with WebhookSink() as sink, pytest.raises(TimeoutError, match="0 of 1"):
        sink.wait(1, timeout=0.05)
    with pytest.raises(RuntimeError, match="not running"):
        _ = sink.url
