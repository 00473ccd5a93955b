"""End to end: a call progresses, the emulator posts signed status callbacks to an app, and the
SDK verifies them."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

from clawops_sdk_fixtures import SIGNING_KEY
from fastapi import FastAPI, Request

from clawops import ClawOps
from clawops.emulator import ClawOpsEmulator
from clawops.webhooks import verify_signature
from sdkcore.emulator import serve


def receiver() -> tuple[FastAPI, list[dict[str, Any]]]:
    app = FastAPI()
    received: list[dict[str, Any]] = []

    @app.post("/status")
    async def status(request: Request) -> dict[str, str]:
        # Parsed by hand: form parsing in Starlette needs python-multipart, not a dependency.
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        received.append(
            {
                "url": str(request.url),
                "params": dict(form),
                "signature": request.headers.get("x-signature"),
            }
        )
        return {"ok": "yes"}

    return app, received


def wait_for(predicate: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_call_lifecycle_and_signed_callbacks(client: ClawOps) -> None:
    app, received = receiver()
    with serve(app) as hook:
        callback_url = f"{hook.url}/status"
        call = client.calls.create(
            to="01012345678",
            from_="07052358010",
            url="https://my-app.com/twiml",
            status_callback=callback_url,
        )
        wait_for(lambda: client.calls.get(call.call_id).status == "completed")
        wait_for(lambda: any(r["params"].get("CallStatus") == "completed" for r in received))
    statuses = [r["params"]["CallStatus"] for r in received]
    assert statuses == ["queued", "ringing", "in-progress", "completed"]
    for delivery in received:
        assert delivery["params"]["CallId"] == call.call_id
        assert verify_signature(
            callback_url, delivery["params"], delivery["signature"], SIGNING_KEY
        )
    done = client.calls.get(call.call_id)
    assert done.duration is not None
    assert done.date_updated is not None


def test_hang_up_sends_completed_callback(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    app, received = receiver()
    with serve(app) as hook:
        callback_url = f"{hook.url}/status"
        call = client.calls.create(
            to="01012345678",
            from_="07052358010",
            url="https://my-app.com/twiml",
            status_callback=callback_url,
            status_callback_event="completed",
        )
        client.calls.update(call.call_id, status="completed")
        wait_for(lambda: len(received) >= 1)
    assert [r["params"]["CallStatus"] for r in received] == ["completed"]
    assert client.webhooks.verify(
        url=callback_url,
        params=received[0]["params"],
        signature=received[0]["signature"],
        signing_key=SIGNING_KEY,
    )
    assert emulator.deliveries(call.call_id)
