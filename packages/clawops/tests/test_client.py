"""Client configuration, validation before sending, error mapping and webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import httpx
import pytest
from clawops_sdk_fixtures import RESTRICTED_KEY

import clawops
from clawops import (
    AsyncClawOps,
    ClawOps,
    ClawOpsError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
    WebhookVerificationError,
)
from clawops.emulator import ClawOpsEmulator
from clawops.webhooks import compute_signature, verify_signature


def offline(**kwargs: Any) -> ClawOps:
    """A client whose transport fails the test if a request is attempted."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request {request.method} {request.url}")

    kwargs.setdefault("api_key", "sk_test_offline_key")
    kwargs.setdefault("account_id", "AC1")
    return ClawOps(http_client=httpx.Client(transport=httpx.MockTransport(refuse)), **kwargs)


def test_missing_key_and_account_name_argument_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAWOPS_API_KEY", raising=False)
    monkeypatch.delenv("CLAWOPS_ACCOUNT_ID", raising=False)
    with pytest.raises(ClawOpsError, match=r"api_key.*CLAWOPS_API_KEY"):
        ClawOps(account_id="AC1")
    with pytest.raises(ClawOpsError, match=r"account_id.*CLAWOPS_ACCOUNT_ID"):
        AsyncClawOps(api_key="sk_x")


def test_defaults_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAWOPS_API_KEY", "sk_env_key_value")
    monkeypatch.setenv("CLAWOPS_ACCOUNT_ID", "AC_env")
    monkeypatch.delenv("CLAWOPS_BASE_URL", raising=False)
    client = ClawOps()
    assert client.api_key == "sk_env_key_value"
    assert client.account_id == "AC_env"
    assert str(client.base_url) == "https://api.claw-ops.com"
    assert client.timeout == httpx.Timeout(600.0, connect=5.0)
    assert client.max_retries == 2
    monkeypatch.setenv("CLAWOPS_BASE_URL", "http://localhost:8080/")
    assert str(ClawOps().base_url) == "http://localhost:8080"
    assert str(ClawOps(base_url="http://127.0.0.1:1").base_url) == "http://127.0.0.1:1"
    assert "sk_env_key_value" not in repr(client)
    assert "AC_env" in repr(client)
    client.close()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda c: c.calls.create(to="", from_="070", url="u"), ValueError, "to must be"),
        (lambda c: c.calls.create(to="1", from_=None, url="u"), TypeError, "from_ must be"),
        (lambda c: c.calls.list(page=-1), ValueError, "page must be"),
        (lambda c: c.calls.list(page_size=0), ValueError, "page_size"),
        (lambda c: c.calls.list(page_size=101), ValueError, "page_size"),
        (lambda c: c.calls.list(status="done"), ValueError, "status must be one of"),
        (lambda c: c.calls.get(""), ValueError, "call_id"),
        (lambda c: c.calls.update("CA1", status="paused"), ValueError, "status must be"),
        (lambda c: c.numbers.create(source="carrier"), ValueError, "source"),
        (lambda c: c.numbers.create(source="sip"), ValueError, "number is required"),
        (lambda c: c.numbers.create(source="sip", number="12ab"), ValueError, "digits"),
        (lambda c: c.numbers.update("0701"), ValueError, "webhook_url or webhook_method"),
        (lambda c: c.numbers.update("0701", webhook_method="PUT"), ValueError, "webhook_method"),
        (lambda c: c.numbers.delete(" "), ValueError, "number"),
        (lambda c: c.sip.credentials.get(""), ValueError, "credential_id"),
        (lambda c: c.accounts(""), ValueError, "account_id"),
        (lambda c: c.calls.get("CA1", timeout=-1), ValueError, "timeout"),
        (lambda c: c.calls.get("CA1", extra_headers={"X": "a\nb"}), ValueError, "CR, LF"),
        (lambda c: c.numbers.delete(".."), ValueError, "must not be"),
        (lambda c: c.accounts("..").calls.list(), ValueError, "must not be"),
        (
            lambda c: c.calls.create(to="1", from_="2", url="u", status_callback_events="x"),
            TypeError,
            "status_callback_events",
        ),
        (
            lambda c: c.calls.create(to="1", from_="2", url="u", idempotency_key="k-12345678"),
            TypeError,
            "idempotency_key is not supported",
        ),
    ],
)
def test_bad_arguments_raise_before_sending(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call(offline())


def test_constructor_validation() -> None:
    with pytest.raises(ValueError, match="timeout"):
        offline(timeout=-1)
    with pytest.raises(ValueError, match="max_retries"):
        offline(max_retries=-1)
    with pytest.raises(ValueError, match="base_url"):
        offline(base_url="api.claw-ops.com")
    with pytest.raises(ValueError, match="base_url"):
        offline(base_url="")
    sync_http = httpx.Client()
    with pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        AsyncClawOps(api_key="sk_x", account_id="AC1", http_client=sync_http)  # type: ignore[arg-type]
    sync_http.close()


def test_permission_and_not_found_errors(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    restricted = ClawOps(
        api_key=RESTRICTED_KEY, account_id=emulator.account_id, base_url=emulator.url
    )
    with pytest.raises(PermissionDeniedError) as info:
        restricted.calls.list()
    assert info.value.status_code == 403
    assert info.value.request.url.path.endswith("/calls")
    restricted.close()
    with pytest.raises(NotFoundError):
        client.numbers.update("0709999999", webhook_url="https://x.test")


def test_sip_credential_limit_is_unprocessable(client: ClawOps) -> None:
    created = [client.sip.credentials.create(display_name=f"p{i}") for i in range(10)]
    with pytest.raises(UnprocessableEntityError) as info:
        client.sip.credentials.create()
    assert info.value.message
    for cred in created:
        client.sip.credentials.delete(cred.credential_id)


def test_duplicate_sip_number_conflict(client: ClawOps) -> None:
    client.numbers.create(source="sip", number="3115550100")
    with pytest.raises(ConflictError):
        client.numbers.create(source="sip", number="3115550100")
    client.numbers.delete("3115550100")


def test_with_options_and_raw_response(client: ClawOps) -> None:
    fast = client.with_options(timeout=5.0, max_retries=0)
    assert fast.max_retries == 0
    assert fast.account_id == client.account_id
    raw = fast.numbers.with_raw_response.list()
    assert raw.status_code == 200
    assert isinstance(raw.parse(), list)
    cred = fast.sip.credentials.with_raw_response.create()
    assert cred.parse().password
    fast.sip.credentials.delete(cred.parse().credential_id)


async def test_async_raw_response(aclient: AsyncClawOps) -> None:
    raw = await aclient.calls.with_raw_response.list(page_size=5)
    page = raw.parse()
    assert isinstance(page, clawops.AsyncPage)
    assert page.meta.page_size == 5


def test_webhook_worked_example_from_the_spec() -> None:
    params = {
        "CallSid": "CA123",
        "From": "07052358010",
        "To": "01012345678",
        "CallStatus": "completed",
    }
    expected = "AcTo0YJ8Fw3F2Zpmj7y/tsgNAQ0="
    assert compute_signature("https://my-app.com/webhook", params, "whsec_test_key") == expected
    signed = "https://my-app.com/webhookCallSidCA123CallStatuscompletedFrom07052358010To01012345678"
    independent = base64.b64encode(
        hmac.new(b"whsec_test_key", signed.encode(), hashlib.sha1).digest()
    ).decode()
    assert independent == expected
    assert verify_signature("https://my-app.com/webhook", params, expected, "whsec_test_key")


@pytest.mark.parametrize(
    ("url", "signature", "key"),
    [
        ("https://my-app.com/webhook2", "AcTo0YJ8Fw3F2Zpmj7y/tsgNAQ0=", "whsec_test_key"),
        ("https://my-app.com/webhook", "AcTo0YJ8Fw3F2Zpmj7y/tsgNAQ0=", "whsec_other"),
        ("https://my-app.com/webhook", "", "whsec_test_key"),
        ("https://my-app.com/webhook", None, "whsec_test_key"),
    ],
)
def test_webhook_mismatch_raises(url: str, signature: str | None, key: str) -> None:
    params = {
        "CallSid": "CA123",
        "From": "07052358010",
        "To": "01012345678",
        "CallStatus": "completed",
    }
    with pytest.raises(WebhookVerificationError):
        verify_signature(url, params, signature, key)


def test_webhook_needs_a_signing_key() -> None:
    with pytest.raises(ValueError, match="signing_key"):
        verify_signature("https://x", {}, "sig", "")
