"""The ClawOps quickstart against the embedded emulator, plus what the runtime adds."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from clawops import ClawOps, RetryPolicy, ServiceUnavailableError, UnprocessableEntityError
from clawops.emulator import ClawOpsEmulator, WebhookSink

SIGNING_KEY = "whsec_demo_signing_key"


def _wait(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the emulator did not get there in time")
        time.sleep(0.05)


def run(say: Callable[[str], None]) -> None:
    """Create a call, page through calls, end it, verify its signed webhook deliveries."""
    with (
        ClawOpsEmulator(
            signing_key=SIGNING_KEY, ring_after=0.2, answer_after=0.4, call_duration=30
        ) as emulator,
        WebhookSink("/status") as app,
        ClawOps(**emulator.client_kwargs()) as client,
    ):
        say(f"emulator at {emulator.url}, account {client.account_id}")
        callback = app.url
        call = client.calls.create(
            to="01012345678",
            from_="07052358010",
            url="https://my-app.com/twiml",
            status_callback=callback,
            status_callback_event="initiated ringing answered completed",
        )
        say(f"calls.create -> {call.call_id} ({call.status})")
        for i in range(25):
            client.calls.create(to=f"0101234{i:04d}", from_="07052358010", url="https://x.test")
        page = client.calls.list(page=0, page_size=10)
        say(f"calls.list -> page {page.meta.page}, {len(page.data)} of {page.meta.total} calls")
        total = sum(1 for _ in client.calls.list(page_size=10).auto_paging_iter())
        say(f"auto_paging_iter -> {total} calls over {-(-total // 10)} pages")

        _wait(lambda: client.calls.get(call.call_id).status == "in-progress")
        say(f"calls.get -> {client.calls.get(call.call_id).status}")
        ended = client.calls.update(call.call_id, status="completed")
        say(f"calls.update(status='completed') -> {ended.status}")

        received = app.wait(4)
        for delivery in received:
            client.webhooks.verify(
                url=callback,
                params=delivery.params,
                signature=delivery.signature,
                signing_key=SIGNING_KEY,
            )
        events = " -> ".join(d.params["CallStatus"] for d in received)
        say(f"webhooks.verify: {len(received)} signed deliveries ok ({events})")

        quick = client.with_options(retry_policy=RetryPolicy(initial_delay=0.05))
        fault = {"X-Emulator-Fault": "status=503;times=2", "X-Emulator-Fault-Key": "demo-get"}
        raw = quick.calls.with_raw_response.get(call.call_id, extra_headers=fault)
        say(f"503 twice, then ok: retried {raw.retries_taken} times -> {raw.parse().status}")

        before = client.calls.list().meta.total
        try:
            quick.calls.create(
                to="01099999999",
                from_="07052358010",
                url="https://x.test",
                extra_headers={
                    "X-Emulator-Fault": "status=503",
                    "X-Emulator-Fault-Key": uuid.uuid4().hex,
                },
            )
        except ServiceUnavailableError as exc:
            after = client.calls.list().meta.total
            say(
                f"create under a 503 -> {type(exc).__name__} after 1 attempt; "
                f"calls placed: {after - before} (never twice)"
            )
    _messaging(say)


def _messaging(say: Callable[[str], None]) -> None:
    """The README's messaging quickstart: an SMS, an alimtalk, a listing, a blocked recipient."""
    with (
        ClawOpsEmulator(message_delay=0.1) as emulator,
        ClawOps(**emulator.client_kwargs()) as client,
    ):
        sms = client.messages.create(to="010-1234-5678", from_="07052358010", body="Hello!")
        say(f"messages.create(body=...) -> {sms.message_id} ({sms.type}, {sms.status})")
        channel = client.kakao.channels.list().data[0]
        template = next(
            t
            for t in client.kakao.templates.list(channel_id=channel.id)
            if t.name == "Order shipped"
        )
        alimtalk = client.messages.create(
            to="01012345678",
            from_="07052358010",
            kakao={
                "channel_id": channel.id,
                "template_id": template.id,
                "variables": {"name": "Kim", "order_id": "A-1"},
            },
            fallback={"body": "Your order A-1 has shipped."},
        )
        say(f"messages.create(kakao=...) -> {alimtalk.type}: {alimtalk.body!r}")
        _wait(lambda: client.messages.get(sms.message_id).status == "sent")
        statuses = [m.status for m in client.messages.list(page_size=1).auto_paging_iter()]
        say(f"messages.list -> {len(statuses)} messages, statuses {statuses}")
        client.blocked_recipients.create(recipient="010-9999-0000", channel="message")
        try:
            client.messages.create(to="01099990000", from_="07052358010", body="Sale!")
        except UnprocessableEntityError as err:
            say(f"send to a blocked recipient -> {type(err).__name__} ({err.code})")
