"""Webhook logs: every status callback the emulator delivers is logged and served."""

from __future__ import annotations

import time

import httpx
import pytest
from clawops_core_helpers import finished_call

from clawops import AsyncClawOps, ClawOps, NotFoundError
from clawops.emulator import ClawOpsEmulator, WebhookSink, webhook_id


def test_status_callbacks_are_logged(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    with WebhookSink("/status") as sink:
        url = sink.url
        call = finished_call(client, status_callback=url)
        received = sink.wait(4)
        hook = webhook_id(emulator.account_id, url)
        deadline = time.monotonic() + 10
        while (page := client.webhook_logs.list(hook)).meta.total < 4 or any(
            log.status == "pending" for log in page
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    logs = list(page)
    assert [log.event for log in logs] == [
        "call.completed",
        "call.answered",
        "call.ringing",
        "call.initiated",
    ]
    for log in logs:
        assert (log.webhook_id, log.request_url, log.status) == (hook, url, "delivered")
        assert (log.response_status, log.attempt, log.max_attempts) == (204, 1, 4)
        assert log.request_payload["CallId"] == call.call_id
        assert log.completed_at is not None
    assert [log.request_payload for log in reversed(logs)] == [d.params for d in received]
    paged = client.webhook_logs.list(hook, page_size=3)
    assert len(list(paged)) == 3
    assert [log.id for log in paged.auto_paging_iter()] == [log.id for log in logs]
    listed = httpx.get(
        f"{emulator.url}/v1/accounts/{emulator.account_id}/webhooks",
        headers={"Authorization": f"Bearer {emulator.api_key}"},
    ).json()["data"]
    assert {"id": hook, "url": url, "deliveries": 4} in listed


def test_failed_deliveries_are_logged_with_their_attempts(
    client: ClawOps, emulator: ClawOpsEmulator
) -> None:
    with WebhookSink("/first") as sink:
        gone = sink.url
    # Nothing listens there any more: every attempt fails, then the delivery gives up.
    call = client.calls.create(
        to="01012345678",
        from_="07052358010",
        url="https://my-app.com/twiml",
        status_callback=gone,
        status_callback_event="initiated",
    )
    hook = webhook_id(emulator.account_id, gone)
    deadline = time.monotonic() + 15
    while True:
        logs = list(client.webhook_logs.list(hook)) if emulator.deliveries(call.call_id) else []
        if logs and logs[0].status == "failed":
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    [log] = logs
    assert (log.attempt, log.max_attempts, log.response_status) == (4, 4, None)
    assert log.response_body is not None


def test_unknown_webhook(client: ClawOps) -> None:
    with pytest.raises(NotFoundError):
        client.webhook_logs.list("WH_nobody")
    with pytest.raises(ValueError, match="webhook_id"):
        client.webhook_logs.list("")


async def test_async_webhook_logs(aclient: AsyncClawOps, emulator: ClawOpsEmulator) -> None:
    with WebhookSink() as sink:
        call = await aclient.calls.create(
            to="01012345678",
            from_="07052358010",
            url="https://my-app.com/twiml",
            status_callback=sink.url,
            status_callback_event="initiated",
        )
        sink.wait(1)
        hook = webhook_id(emulator.account_id, sink.url)
        deadline = time.monotonic() + 10
        while not [log async for log in (await aclient.webhook_logs.list(hook)).auto_paging_iter()]:
            assert time.monotonic() < deadline
    page = await aclient.webhook_logs.list(hook)
    assert [log.request_payload["CallId"] for log in page] == [call.call_id]
