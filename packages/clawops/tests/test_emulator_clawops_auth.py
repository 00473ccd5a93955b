"""Authentication, account access, unknown routes, the journal and fault injection."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from clawops.emulator import ClawOpsEmulator, app_state
from sdkcore.emulator import Fault, FaultRule

ROUTES = [
    ("POST", "/calls"),
    ("GET", "/calls"),
    ("GET", "/calls/CA0"),
    ("POST", "/calls/CA0"),
    ("POST", "/numbers"),
    ("GET", "/numbers"),
    ("PUT", "/numbers/1001"),
    ("DELETE", "/numbers/1001"),
    ("POST", "/sip/credentials"),
    ("GET", "/sip/credentials"),
    ("GET", "/sip/credentials/clu0"),
    ("DELETE", "/sip/credentials/clu0"),
]


def _account_url(emu: ClawOpsEmulator, account_id: str, path: str) -> str:
    return f"{emu.url}/v1/accounts/{account_id}{path}"


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (None, "Missing API key"),
        ("Bearer", "Missing API key"),
        ("Basic c2tfdGVzdF9lbXVsYXRvcjo=", "Missing API key"),
        ("Bearer sk_test_wrong", "Invalid API key"),
    ],
)
def test_every_route_needs_a_valid_key(
    emu_shared: ClawOpsEmulator,
    method: str,
    path: str,
    authorization: str | None,
    message: str,
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    url = _account_url(emu_shared, emu_shared.account_id, path)
    response = httpx.request(method, url, headers=headers, json={})
    assert response.status_code == 401
    assert response.json() == {"error": message}


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_restricted_key_gets_403_on_other_accounts(
    emu_shared: ClawOpsEmulator, emu_restricted_key: str, method: str, path: str
) -> None:
    url = _account_url(emu_shared, emu_shared.account_id, path)
    headers = {"Authorization": f"Bearer {emu_restricted_key}"}
    response = httpx.request(method, url, headers=headers, json={})
    assert response.status_code == 403
    assert response.json() == {
        "error": f"API key does not have access to account {emu_shared.account_id}"
    }


def test_restricted_key_works_on_its_account(
    emu_shared: ClawOpsEmulator,
    emu_restricted_key: str,
    emu_connect: Callable[..., httpx.Client],
) -> None:
    other = emu_shared.account_ids[1]
    http = emu_connect(emu_shared, other, emu_restricted_key)
    assert http.get("/calls").status_code == 200
    assert http.get("/numbers").json()["numbers"][0]["number"] == "07052358010"


def test_unknown_account_is_403(emu_shared: ClawOpsEmulator) -> None:
    url = _account_url(emu_shared, "AC_does_not_exist", "/calls")
    response = httpx.get(url, headers={"Authorization": f"Bearer {emu_shared.api_key}"})
    assert response.status_code == 403


def test_unknown_routes_and_methods_use_the_error_shape(
    emu_shared: ClawOpsEmulator, emu_shared_http: httpx.Client
) -> None:
    missing = httpx.get(f"{emu_shared.url}/v2/nothing")
    assert missing.status_code == 404
    assert missing.json() == {"error": "Not Found"}
    wrong_method = emu_shared_http.patch("/calls")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"error": "Method Not Allowed"}


def test_journal_records_requests(
    emu_shared: ClawOpsEmulator, emu_shared_http: httpx.Client
) -> None:
    emu_shared.journal.clear()
    emu_shared_http.post("/numbers", json={"source": "pool"})
    entry = emu_shared.journal.last()
    assert (entry.method, entry.path) == ("POST", f"/v1/accounts/{emu_shared.account_id}/numbers")
    assert entry.json() == {"source": "pool"}
    assert entry.header("authorization") == f"Bearer {emu_shared.api_key}"


def test_fault_header_answers_in_the_clawops_error_shape(emu_shared_http: httpx.Client) -> None:
    response = emu_shared_http.get("/calls", headers={"X-Emulator-Fault": "status=503"})
    assert response.status_code == 503
    assert response.json() == {"error": "injected fault"}


def test_fault_rules(emu_server: ClawOpsEmulator, emu_http: httpx.Client) -> None:
    emu_server.faults.add(FaultRule(Fault("status", status=500), method="POST", times=1))
    failed = emu_http.post("/numbers", json={})
    assert failed.status_code == 500
    assert failed.json() == {"error": "injected fault"}
    assert len(emu_http.get("/numbers").json()["numbers"]) == 1
    assert emu_http.post("/numbers", json={}).status_code == 201


def test_client_kwargs_point_at_the_running_server(emu_shared: ClawOpsEmulator) -> None:
    assert emu_shared.client_kwargs() == {
        "api_key": "sk_test_emulator",
        "account_id": "AC_test_emulator",
        "base_url": emu_shared.url,
    }
    assert emu_shared.url.startswith("http://127.0.0.1:")


def test_url_needs_a_running_server() -> None:
    emu = ClawOpsEmulator()
    with pytest.raises(RuntimeError, match="not running"):
        _ = emu.url
    app_state(emu.app).db.close()
