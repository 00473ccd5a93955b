"""Status callbacks: sent to a real receiver, signed, filtered by event, retried, given up."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from clawops._signature import compute_signature
from clawops.emulator import ClawOpsEmulator
from sdkcore.emulator import serve

CALL = {"To": "01012345678", "From": "07052358010", "Url": "https://my-app.com/twiml"}
FAST = {"ring_after": 0.02, "answer_after": 0.02, "call_duration": 0.05}


@dataclass
class Receiver:
    """A webhook endpoint that records what it gets and fails the first ``failures`` posts."""

    url: str = ""
    failures: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)

    def statuses(self) -> list[str]:
        return [post["params"]["CallStatus"] for post in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    app = FastAPI()

    @app.post("/status")
    async def status(request: Request) -> Response:
        # Parsed by hand: Starlette's form parser needs python-multipart.
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        if state.failures:
            state.failures -= 1
            return Response(status_code=500)
        state.received.append(
            {
                "params": dict(form),
                "headers": dict(request.headers),
            }
        )
        return Response(status_code=204)

    with serve(app) as handle:
        state.url = f"{handle.url}/status"
        yield state


def _place(emu: ClawOpsEmulator, connect: Callable[..., httpx.Client], **fields: Any) -> str:
    response = connect(emu).post("/calls", json={**CALL, **fields})
    assert response.status_code == 201, response.text
    call_id: str = response.json()["callId"]
    return call_id


def test_every_transition_is_posted_signed_and_in_order(
    emu_start: Callable[..., ClawOpsEmulator],
    emu_connect: Callable[..., httpx.Client],
    emu_wait: Callable[..., Any],
    receiver: Receiver,
) -> None:
    emu = emu_start(**FAST, signing_key="whsec_callbacks")
    call_id = _place(emu, emu_connect, StatusCallback=receiver.url)
    emu_wait(lambda: len(receiver.received) == 4)
    assert receiver.statuses() == ["queued", "ringing", "in-progress", "completed"]
    for post in receiver.received:
        params = post["params"]
        assert post["headers"]["content-type"] == "application/x-www-form-urlencoded"
        assert post["headers"]["x-signature"] == compute_signature(
            receiver.url, params, "whsec_callbacks"
        )
        assert params["CallId"] == call_id
        assert (params["From"], params["To"]) == (CALL["From"], CALL["To"])
        assert params["Direction"] == "outbound"
        assert params["AccountId"] == emu.account_id
        assert params["Timestamp"].endswith("Z")
    assert [("CallDuration" in post["params"]) for post in receiver.received] == [
        False,
        False,
        False,
        True,
    ]
    emu_wait(lambda: all(d["status"] == "delivered" for d in emu.deliveries(call_id)))
    deliveries = emu.deliveries(call_id)
    assert [d["event"] for d in deliveries] == ["initiated", "ringing", "answered", "completed"]
    assert all(d["attempts"] == 1 and d["response_status"] == 204 for d in deliveries)
    assert [d["params"] for d in deliveries] == [post["params"] for post in receiver.received]


def test_only_subscribed_events_are_posted(
    emu_start: Callable[..., ClawOpsEmulator],
    emu_connect: Callable[..., httpx.Client],
    emu_wait: Callable[..., Any],
    receiver: Receiver,
) -> None:
    emu = emu_start(**FAST)
    call_id = _place(
        emu, emu_connect, StatusCallback=receiver.url, StatusCallbackEvent="ringing completed"
    )
    emu_wait(lambda: len(emu.deliveries(call_id)) == 2 and len(receiver.received) == 2)
    assert receiver.statuses() == ["ringing", "completed"]


def test_hang_up_posts_completed(
    emu_server: ClawOpsEmulator,
    emu_http: httpx.Client,
    emu_wait: Callable[..., Any],
    receiver: Receiver,
) -> None:
    response = emu_http.post(
        "/calls", json={**CALL, "StatusCallback": receiver.url, "StatusCallbackEvent": "completed"}
    )
    call_id = response.json()["callId"]
    emu_http.post(f"/calls/{call_id}", json={"Status": "completed"})
    emu_wait(lambda: receiver.received)
    [post] = receiver.received
    assert post["params"]["CallStatus"] == "completed"
    assert post["params"]["CallDuration"].isdigit()


def test_failed_delivery_is_retried(
    emu_start: Callable[..., ClawOpsEmulator],
    emu_connect: Callable[..., httpx.Client],
    emu_wait: Callable[..., Any],
    receiver: Receiver,
) -> None:
    receiver.failures = 1
    emu = emu_start(**FAST)
    call_id = _place(emu, emu_connect, StatusCallback=receiver.url)
    emu_wait(lambda: len(receiver.received) == 4)
    assert receiver.statuses() == ["queued", "ringing", "in-progress", "completed"]
    emu_wait(lambda: all(d["status"] == "delivered" for d in emu.deliveries(call_id)))
    assert [d["attempts"] for d in emu.deliveries(call_id)] == [2, 1, 1, 1]


def test_delivery_gives_up_after_the_retries(
    emu_start: Callable[..., ClawOpsEmulator],
    emu_connect: Callable[..., httpx.Client],
    emu_wait: Callable[..., Any],
) -> None:
    # Bound but not listening until the deliveries failed: refused, and not taken meanwhile.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/status"
        emu = emu_start(**FAST, callback_retries=2, callback_backoff=0.01)
        call_id = _place(emu, emu_connect, StatusCallback=dead_url, StatusCallbackEvent="initiated")
        [delivery] = emu_wait(
            lambda: [d for d in emu.deliveries(call_id) if d["status"] == "failed"] or None
        )
    assert delivery["attempts"] == 3
    assert delivery["response_status"] is None
    assert delivery["last_error"].startswith("ConnectError")
    assert delivery["signature"] == compute_signature(dead_url, delivery["params"], emu.signing_key)
