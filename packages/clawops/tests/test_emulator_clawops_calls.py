"""``/calls`` over real HTTP: create, inspect, list and page, lifecycle, hang-up, validation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from clawops.emulator import ClawOpsEmulator

FROM = "07052358010"
CALL = {"To": "01012345678", "From": FROM, "Url": "https://my-app.com/twiml"}
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
ORDER = ["queued", "ringing", "in-progress", "completed"]


def _place(http: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = http.post("/calls", json={**CALL, **fields})
    assert response.status_code == 201, response.text
    call: dict[str, Any] = response.json()
    return call


def _status_of(http: httpx.Client, call_id: str) -> str:
    status: str = http.get(f"/calls/{call_id}").json()["status"]
    return status


def test_create_returns_a_queued_outbound_call(
    emu_start: Callable[..., ClawOpsEmulator], emu_connect: Callable[..., httpx.Client]
) -> None:
    # Even with no delays at all, the response shows the call as it was placed.
    emu = emu_start(ring_after=0.0, answer_after=0.0, call_duration=0.0)
    call = _place(emu_connect(emu))
    assert re.fullmatch(r"CA[0-9a-f]{32}", call.pop("callId"))
    assert ISO.fullmatch(call.pop("dateCreated"))
    assert call == {
        "status": "queued",
        "to": "01012345678",
        "from": FROM,
        "direction": "outbound",
        "duration": None,
        "accountId": emu.account_id,
        "dateUpdated": None,
        "recordingUrl": None,
    }


def test_get_returns_the_call(emu_shared_http: httpx.Client) -> None:
    call = _place(emu_shared_http, To="sip:alice@example.com")
    fetched = emu_shared_http.get(f"/calls/{call['callId']}")
    assert fetched.status_code == 200
    assert fetched.json()["callId"] == call["callId"]
    assert fetched.json()["to"] == "sip:alice@example.com"


def test_unknown_call_and_other_accounts_call_are_404(
    emu_server: ClawOpsEmulator, emu_http: httpx.Client, emu_connect: Callable[..., httpx.Client]
) -> None:
    call = _place(emu_http)
    other = emu_connect(emu_server, emu_server.account_ids[1])
    for client, call_id in ((emu_http, "CA" + "0" * 32), (other, call["callId"])):
        response = client.get(f"/calls/{call_id}")
        assert response.status_code == 404
        assert response.json() == {"error": f"Call {call_id} not found"}
        assert client.post(f"/calls/{call_id}", json={"Status": "completed"}).status_code == 404


def test_lifecycle_advances_to_completed(
    emu_start: Callable[..., ClawOpsEmulator],
    emu_connect: Callable[..., httpx.Client],
    emu_wait: Callable[..., Any],
) -> None:
    http = emu_connect(emu_start(ring_after=0.05, answer_after=0.05, call_duration=0.2))
    call_id = _place(http)["callId"]
    seen = ["queued"]

    def completed() -> bool:
        status = _status_of(http, call_id)
        if status != seen[-1]:
            seen.append(status)
        return status == "completed"

    emu_wait(completed)
    assert seen == [status for status in ORDER if status in seen]
    done = http.get(f"/calls/{call_id}").json()
    assert isinstance(done["duration"], int)
    assert done["duration"] >= 0
    assert ISO.fullmatch(done["dateUpdated"])


def test_hang_up_ends_an_answered_call(
    emu_shared_http: httpx.Client, emu_wait: Callable[..., Any]
) -> None:
    call_id = _place(emu_shared_http)["callId"]
    emu_wait(lambda: _status_of(emu_shared_http, call_id) == "in-progress")
    ended = emu_shared_http.post(f"/calls/{call_id}", json={"Status": "completed"})
    assert ended.status_code == 200
    assert ended.json() == {"callId": call_id, "status": "completed"}
    call = emu_shared_http.get(f"/calls/{call_id}").json()
    assert call["status"] == "completed"
    assert call["duration"] >= 0
    assert call["dateUpdated"] is not None


def test_hang_up_is_idempotent(emu_shared_http: httpx.Client) -> None:
    call_id = _place(emu_shared_http)["callId"]
    first = emu_shared_http.post(f"/calls/{call_id}", json={"Status": "completed"}).json()
    again = emu_shared_http.post(f"/calls/{call_id}", json={"Status": "completed"})
    assert again.status_code == 200
    assert again.json() == first == {"callId": call_id, "status": "completed"}


def test_hang_up_before_ringing_has_no_duration(
    emu_start: Callable[..., ClawOpsEmulator], emu_connect: Callable[..., httpx.Client]
) -> None:
    http = emu_connect(emu_start(ring_after=30.0))
    call_id = _place(http)["callId"]
    http.post(f"/calls/{call_id}", json={"Status": "completed"})
    assert http.get(f"/calls/{call_id}").json()["duration"] == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"Status": "canceled"}, 'Unsupported Status "canceled": only "completed" is allowed'),
        ({}, "Missing required field: Status"),
    ],
)
def test_update_rejects_bad_status(
    emu_shared_http: httpx.Client, body: dict[str, Any], message: str
) -> None:
    call_id = _place(emu_shared_http)["callId"]
    response = emu_shared_http.post(f"/calls/{call_id}", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"To": None}, "Missing required field: To"),
        ({"From": None}, "Missing required field: From"),
        ({"Url": None}, "Missing required field: Url"),
        ({"Url": ""}, "Missing required field: Url"),
        ({"To": "01"}, "Invalid To: expected 3-20 digits or a sip: URI"),
        ({"To": "010-1234-5678"}, "Invalid To: expected 3-20 digits or a sip: URI"),
        ({"To": "1" * 21}, "Invalid To: expected 3-20 digits or a sip: URI"),
        ({"To": "sip:nobody"}, "Invalid To: expected 3-20 digits or a sip: URI"),
        ({"From": "07099999999"}, "From number not registered"),
        ({"Url": "ftp://my-app.com/twiml"}, "Invalid Url: expected an absolute http(s) URL"),
        # urlsplit raises on an unbalanced IPv6 bracket: found by schemathesis as a 500.
        ({"Url": "http://["}, "Invalid Url: expected an absolute http(s) URL"),
        ({"StatusCallback": "/status"}, "Invalid StatusCallback: expected an absolute http(s) URL"),
        (
            {"StatusCallbackEvent": "initiated hangup"},
            "Invalid StatusCallbackEvent: use initiated, ringing, answered, completed",
        ),
    ],
)
def test_create_rejects_bad_fields_with_400(
    emu_shared_http: httpx.Client, fields: dict[str, Any], message: str
) -> None:
    body = {key: value for key, value in {**CALL, **fields}.items() if value is not None}
    response = emu_shared_http.post("/calls", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_create_without_body_is_400(emu_shared_http: httpx.Client) -> None:
    response = emu_shared_http.post("/calls")
    assert response.status_code == 400
    assert response.json() == {"error": "Missing required field: To"}


@pytest.mark.parametrize(
    "content", [b'{"To": 1012345678}', b"{not json", b"[]", b'{"To": ["010"]}']
)
def test_create_rejects_malformed_json_with_422(
    emu_shared_http: httpx.Client, content: bytes
) -> None:
    response = emu_shared_http.post(
        "/calls", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert list(response.json()) == ["error"]
    assert response.json()["error"].startswith("Request validation failed")


def test_calls_from_a_bought_number(emu_shared_http: httpx.Client) -> None:
    bought = emu_shared_http.post("/numbers", json={}).json()["number"]
    assert _place(emu_shared_http, From=bought)["from"] == bought


def test_sip_call_to_unknown_user_fails(
    emu_server: ClawOpsEmulator, emu_http: httpx.Client, emu_wait: Callable[..., Any]
) -> None:
    unknown = _place(emu_http, To="sip:usr_nobodyhere1@sip.claw-ops.com")["callId"]
    username = emu_http.post("/sip/credentials", json={}).json()["username"]
    known = _place(emu_http, To=f"sip:{username}@sip.claw-ops.com")["callId"]
    emu_wait(lambda: _status_of(emu_http, unknown) == "failed")
    emu_wait(lambda: _status_of(emu_http, known) == "in-progress")
    assert emu_http.get(f"/calls/{unknown}").json()["duration"] == 0


def test_list_is_newest_first_and_filters_by_status(
    emu_http: httpx.Client, emu_wait: Callable[..., Any]
) -> None:
    ids = [_place(emu_http)["callId"] for _ in range(3)]
    emu_http.post(f"/calls/{ids[1]}", json={"Status": "completed"})
    emu_wait(lambda: _status_of(emu_http, ids[2]) == "in-progress")
    listed = emu_http.get("/calls").json()
    assert [call["callId"] for call in listed["data"]] == ids[::-1]
    assert listed["meta"] == {"total": 3, "page": 0, "pageSize": 20}
    completed = emu_http.get("/calls", params={"status": "completed"}).json()
    assert [call["callId"] for call in completed["data"]] == [ids[1]]
    assert completed["meta"]["total"] == 1
    in_progress = emu_http.get("/calls", params={"status": "in-progress"}).json()
    assert [call["callId"] for call in in_progress["data"]] == [ids[2], ids[0]]
    assert emu_http.get("/calls", params={"status": "failed"}).json()["data"] == []


def test_list_only_shows_the_accounts_calls(
    emu_server: ClawOpsEmulator, emu_http: httpx.Client, emu_connect: Callable[..., httpx.Client]
) -> None:
    _place(emu_http)
    other = emu_connect(emu_server, emu_server.account_ids[1])
    assert other.get("/calls").json() == {
        "data": [],
        "meta": {"total": 0, "page": 0, "pageSize": 20},
    }


def test_paging(emu_http: httpx.Client) -> None:
    ids = [_place(emu_http)["callId"] for _ in range(5)][::-1]

    def page(**params: Any) -> tuple[list[str], dict[str, Any]]:
        response = emu_http.get("/calls", params=params)
        assert response.status_code == 200
        body = response.json()
        return [call["callId"] for call in body["data"]], body["meta"]

    assert page(page=0, pageSize=2) == (ids[:2], {"total": 5, "page": 0, "pageSize": 2})
    assert page(page=1, pageSize=2) == (ids[2:4], {"total": 5, "page": 1, "pageSize": 2})
    assert page(page=2, pageSize=2) == (ids[4:], {"total": 5, "page": 2, "pageSize": 2})
    assert page(page=9, pageSize=2) == ([], {"total": 5, "page": 9, "pageSize": 2})
    assert page(pageSize=100) == (ids, {"total": 5, "page": 0, "pageSize": 100})
    assert page(pageSize=1, page=4) == (ids[4:], {"total": 5, "page": 4, "pageSize": 1})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"pageSize": 101}, "Invalid pageSize: must be between 1 and 100"),
        ({"pageSize": 0}, "Invalid pageSize: must be between 1 and 100"),
        ({"pageSize": "ten"}, "Invalid pageSize: expected an integer"),
        ({"page": -1}, "Invalid page: must be 0 or more"),
        ({"page": "1.5"}, "Invalid page: expected an integer"),
        ({"page": ""}, "Invalid page: expected an integer"),
        (
            {"status": "busy"},
            "Invalid status: use one of queued, ringing, in-progress, completed, failed",
        ),
    ],
)
def test_list_rejects_bad_query_with_400(
    emu_shared_http: httpx.Client, params: dict[str, Any], message: str
) -> None:
    response = emu_shared_http.get("/calls", params=params)
    assert response.status_code == 400
    assert response.json() == {"error": message}
