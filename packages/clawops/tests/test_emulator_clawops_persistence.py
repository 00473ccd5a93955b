"""A file database keeps calls, numbers, credentials and deliveries across restarts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from clawops.emulator import ClawOpsEmulator

CALL = {"To": "01012345678", "From": "07052358010", "Url": "https://my-app.com/twiml"}


def test_state_survives_a_restart(
    tmp_path: Path, emu_connect: Callable[..., httpx.Client], emu_wait: Callable[..., Any]
) -> None:
    db = str(tmp_path / "clawops.sqlite3")
    options: dict[str, Any] = {
        "db": db,
        "ring_after": 0.0,
        "answer_after": 0.0,
        "call_duration": 0.3,
        "callback_backoff": 0.01,
    }
    with ClawOpsEmulator(**options) as first:
        http = emu_connect(first)
        number = http.post("/numbers", json={}).json()["number"]
        http.put(f"/numbers/{number}", json={"webhookUrl": "https://my-app.com/in"})
        credential = http.post("/sip/credentials", json={"displayName": "Desk"}).json()
        # Whether or not anything answers on port 9, the deliveries are recorded.
        call = http.post(
            "/calls",
            json={**CALL, "StatusCallback": "http://127.0.0.1:9/status"},
        ).json()
        emu_wait(lambda: first.deliveries(call["callId"]))

    with ClawOpsEmulator(**options) as second:
        http = emu_connect(second)
        numbers = http.get("/numbers").json()["numbers"]
        assert [(n["number"], n["webhookUrl"]) for n in numbers] == [
            ("07052358010", None),
            (number, "https://my-app.com/in"),
        ]
        assert http.get(f"/sip/credentials/{credential['id']}").json()["displayName"] == "Desk"
        listed = http.get("/calls").json()
        assert [c["callId"] for c in listed["data"]] == [call["callId"]]
        assert listed["data"][0]["dateCreated"] == call["dateCreated"]
        # The lifecycle continues from the stored times, and so do its callbacks.
        emu_wait(lambda: http.get(f"/calls/{call['callId']}").json()["status"] == "completed")
        emu_wait(lambda: len(second.deliveries(call["callId"])) == 4)
        assert second.deliveries()[0]["event"] == "initiated"
        assert second.deliveries()[0]["attempts"] >= 1


def test_memory_database_starts_empty(emu_connect: Callable[..., httpx.Client]) -> None:
    for _ in range(2):
        with ClawOpsEmulator() as emu:
            http = emu_connect(emu)
            assert http.get("/calls").json()["meta"]["total"] == 0
            http.post("/calls", json=CALL)
