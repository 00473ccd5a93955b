"""``/sip/credentials`` over real HTTP: the password is shown once and stored only hashed."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from clawops.emulator import ClawOpsEmulator, app_state
from clawops.emulator._sip import verify_password

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_create_returns_the_password_once(
    emu_server: ClawOpsEmulator, emu_http: httpx.Client
) -> None:
    response = emu_http.post("/sip/credentials", json={"displayName": "Office Phone"})
    assert response.status_code == 201
    created = response.json()
    assert re.fullmatch(r"clu[a-z0-9]{12}", created["id"])
    assert re.fullmatch(r"usr_[A-Za-z0-9]{12}", created["username"])
    assert re.fullmatch(r"[0-9a-f]{32}", created["password"])
    assert ISO.fullmatch(created["createdAt"])
    assert {key: created[key] for key in ("displayName", "sipServer", "sipPort", "transport")} == {
        "displayName": "Office Phone",
        "sipServer": "sip.claw-ops.com",
        "sipPort": 5060,
        "transport": "udp",
    }
    summary = {key: created[key] for key in ("id", "username", "displayName", "createdAt")}
    assert emu_http.get(f"/sip/credentials/{created['id']}").json() == summary
    assert emu_http.get("/sip/credentials").json() == {"credentials": [summary]}
    [stored] = app_state(emu_server.app).db.query("SELECT * FROM sip_credentials")
    assert created["password"] not in str(stored)
    assert verify_password(stored["password_hash"], created["password"])
    assert not verify_password(stored["password_hash"], "wrong")


def test_create_with_empty_or_no_body(emu_shared_http: httpx.Client) -> None:
    for response in (
        emu_shared_http.post("/sip/credentials", json={}),
        emu_shared_http.post("/sip/credentials"),
    ):
        assert response.status_code == 201
        assert response.json()["displayName"] is None
        emu_shared_http.delete(f"/sip/credentials/{response.json()['id']}")


def test_display_name_must_be_a_string(emu_shared_http: httpx.Client) -> None:
    response = emu_shared_http.post("/sip/credentials", json={"displayName": 7})
    assert response.status_code == 422
    assert "displayName" in response.json()["error"]


def test_limit_is_10_per_account(emu_http: httpx.Client) -> None:
    for _ in range(10):
        assert emu_http.post("/sip/credentials", json={}).status_code == 201
    over = emu_http.post("/sip/credentials", json={})
    assert over.status_code == 422
    assert over.json() == {"error": "SIP credential limit reached: at most 10 per account"}
    assert len(emu_http.get("/sip/credentials").json()["credentials"]) == 10


def test_delete_and_unknown_ids(emu_http: httpx.Client) -> None:
    cred_id = emu_http.post("/sip/credentials", json={}).json()["id"]
    deleted = emu_http.delete(f"/sip/credentials/{cred_id}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    for response in (
        emu_http.get(f"/sip/credentials/{cred_id}"),
        emu_http.delete(f"/sip/credentials/{cred_id}"),
    ):
        assert response.status_code == 404
        assert response.json() == {"error": f"SIP credential {cred_id} not found"}
    assert emu_http.get("/sip/credentials").json() == {"credentials": []}


def test_other_accounts_credentials_are_invisible(
    emu_shared: ClawOpsEmulator,
    emu_shared_http: httpx.Client,
    emu_connect: Callable[..., httpx.Client],
) -> None:
    cred_id = emu_shared_http.post("/sip/credentials", json={}).json()["id"]
    other = emu_connect(emu_shared, emu_shared.account_ids[1])
    assert other.get(f"/sip/credentials/{cred_id}").status_code == 404
    assert other.delete(f"/sip/credentials/{cred_id}").status_code == 404
    assert other.get("/sip/credentials").json() == {"credentials": []}
