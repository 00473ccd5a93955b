"""``/numbers`` over real HTTP: pool and SIP numbers, webhooks, ownership, quota, release."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from clawops.emulator import ClawOpsEmulator

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def _numbers(http: httpx.Client) -> list[dict[str, Any]]:
    numbers: list[dict[str, Any]] = http.get("/numbers").json()["numbers"]
    return numbers


def test_list_shows_preregistered_numbers(emu_http: httpx.Client) -> None:
    response = emu_http.get("/numbers")
    assert response.status_code == 200
    [number] = response.json()["numbers"]
    assert ISO.fullmatch(number.pop("createdAt"))
    assert response.json()["data"][0] | {"createdAt": None} == number | {"createdAt": None}
    assert {k: v for k, v in number.items() if v is not None} == {
        "number": "07052358010",
        "numberType": "did",
        "source": "pool",
        "routingType": "webhook",
        "webhookMethod": "POST",
    }


def test_pool_numbers_are_handed_out_in_order(emu_http: httpx.Client) -> None:
    first = emu_http.post("/numbers", json={})
    assert first.status_code == 201
    assert first.json() == {"number": "07052350001", "source": "pool"}
    assert emu_http.post("/numbers").json() == {"number": "07052350002", "source": "pool"}
    second = emu_http.post(
        "/numbers", json={"source": "pool", "webhookUrl": "https://my-app.com/in"}
    )
    assert second.json() == {"number": "07052350003", "source": "pool"}
    assert [(n["number"], n["webhookUrl"]) for n in _numbers(emu_http)] == [
        ("07052358010", None),
        ("07052350001", None),
        ("07052350002", None),
        ("07052350003", "https://my-app.com/in"),
    ]


def test_a_pool_number_can_be_asked_for(emu_shared_http: httpx.Client) -> None:
    wanted = emu_shared_http.post("/numbers", json={"number": "07052350042"})
    assert wanted.json() == {"number": "07052350042", "source": "pool"}
    again = emu_shared_http.post("/numbers", json={"number": "07052350042"})
    assert again.status_code == 409
    outside = emu_shared_http.post("/numbers", json={"number": "07011112222"})
    assert outside.status_code == 400
    assert outside.json() == {"error": "Number 07011112222 is not in the pool"}


def test_exhausted_pool_is_503_and_release_refills_it(
    emu_start: Callable[..., ClawOpsEmulator], emu_connect: Callable[..., httpx.Client]
) -> None:
    emu = emu_start(pool=("07052350001",))
    http = emu_connect(emu)
    other = emu_connect(emu, emu.account_ids[1])
    assert http.post("/numbers", json={}).json()["number"] == "07052350001"
    exhausted = other.post("/numbers", json={})
    assert exhausted.status_code == 503
    assert exhausted.json() == {"error": "Number pool exhausted"}
    released = http.delete("/numbers/07052350001")
    assert released.status_code == 204
    assert released.content == b""
    assert other.post("/numbers", json={}).json()["number"] == "07052350001"


def test_sip_numbers(emu_shared_http: httpx.Client) -> None:
    created = emu_shared_http.post("/numbers", json={"source": "sip", "number": "1001"})
    assert created.status_code == 201
    assert created.json() == {"number": "1001", "source": "sip"}
    duplicate = emu_shared_http.post("/numbers", json={"source": "sip", "number": "1001"})
    assert duplicate.status_code == 409
    assert duplicate.json() == {"error": "Number 1001 is already registered"}
    assert _numbers(emu_shared_http)[-1]["source"] == "sip"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"source": "sip"}, "Missing required field: number"),
        ({"source": "sip", "number": "12"}, "Invalid number: expected 3-20 digits"),
        ({"source": "sip", "number": "1" * 21}, "Invalid number: expected 3-20 digits"),
        ({"source": "sip", "number": "10a1"}, "Invalid number: expected 3-20 digits"),
        *(
            (
                {"source": "sip", "number": number},
                "Invalid number: carrier prefixes (010, 070, 02, ...) are refused",
            )
            for number in ("01012345678", "07012345678", "0212345678", "0311234567")
        ),
        ({"source": "carrier"}, 'Invalid source: use "pool" or "sip"'),
        ({"webhookUrl": "not a url"}, "Invalid webhookUrl: expected an absolute http(s) URL"),
    ],
)
def test_create_rejects_bad_input(
    emu_shared_http: httpx.Client, body: dict[str, Any], message: str
) -> None:
    response = emu_shared_http.post("/numbers", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_create_rejects_wrong_types_with_422(emu_shared_http: httpx.Client) -> None:
    response = emu_shared_http.post("/numbers", json={"source": "sip", "number": 1001})
    assert response.status_code == 422
    assert "number" in response.json()["error"]


def test_quota_is_20_numbers(emu_http: httpx.Client) -> None:
    for extension in range(1000, 1019):
        assert emu_http.post("/numbers", json={"source": "sip", "number": str(extension)})
    assert len(_numbers(emu_http)) == 20
    over = emu_http.post("/numbers", json={})
    assert over.status_code == 422
    assert over.json() == {"error": "Number quota exceeded: at most 20 per account"}


def test_update_webhook(emu_http: httpx.Client) -> None:
    url_only = emu_http.put("/numbers/07052358010", json={"webhookUrl": "https://my-app.com/in"})
    assert url_only.status_code == 200
    assert url_only.json() == _numbers(emu_http)[0]
    assert {k: url_only.json()[k] for k in ("number", "source", "webhookUrl", "webhookMethod")} == {
        "number": "07052358010",
        "source": "pool",
        "webhookUrl": "https://my-app.com/in",
        "webhookMethod": "POST",
    }
    method_only = emu_http.put("/numbers/07052358010", json={"webhookMethod": "GET"})
    assert method_only.json()["webhookUrl"] == "https://my-app.com/in"
    assert method_only.json()["webhookMethod"] == "GET"
    assert _numbers(emu_http)[0]["webhookUrl"] == "https://my-app.com/in"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Provide webhookUrl and/or webhookMethod, or a routing field"),
        ({"webhookMethod": "PATCH"}, 'Invalid webhookMethod: use "POST" or "GET"'),
        ({"webhookUrl": "my-app.com"}, "Invalid webhookUrl: expected an absolute http(s) URL"),
    ],
)
def test_update_rejects_bad_input(
    emu_shared_http: httpx.Client, body: dict[str, Any], message: str
) -> None:
    response = emu_shared_http.put("/numbers/07052358010", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_unknown_number_is_404(emu_shared_http: httpx.Client) -> None:
    update = emu_shared_http.put("/numbers/5555", json={"webhookMethod": "GET"})
    assert update.status_code == 404
    assert update.json() == {"error": "Number 5555 not found"}
    assert emu_shared_http.delete("/numbers/5555").status_code == 404


def test_another_accounts_number_is_403(
    emu_shared: ClawOpsEmulator,
    emu_shared_http: httpx.Client,
    emu_connect: Callable[..., httpx.Client],
) -> None:
    other = emu_connect(emu_shared, emu_shared.account_ids[1])
    other.post("/numbers", json={"source": "sip", "number": "2002"})
    update = emu_shared_http.put("/numbers/2002", json={"webhookMethod": "GET"})
    assert update.status_code == 403
    assert update.json() == {"error": "Number 2002 belongs to another account"}
    assert emu_shared_http.delete("/numbers/2002").status_code == 403
    assert other.delete("/numbers/2002").status_code == 204


def test_released_number_can_no_longer_place_calls(
    emu_start: Callable[..., ClawOpsEmulator], emu_connect: Callable[..., httpx.Client]
) -> None:
    http = emu_connect(emu_start(account_ids=None))
    assert http.delete("/numbers/07052358010").status_code == 204
    assert http.delete("/numbers/07052358010").status_code == 404
    assert _numbers(http) == []
    call = {"To": "01012345678", "From": "07052358010", "Url": "https://my-app.com/twiml"}
    response = http.post("/calls", json=call)
    assert response.status_code == 400
    assert response.json() == {"error": "From number not registered"}
