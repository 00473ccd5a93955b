"""Every example of the seed README, as written, against the emulator over real HTTP."""

from __future__ import annotations

import pytest
from clawops_sdk_fixtures import OTHER_ACCOUNT

import clawops
from clawops import (
    AsyncClawOps,
    AuthenticationError,
    BadRequestError,
    ClawOps,
    NotFoundError,
    WebhookVerificationError,
)
from clawops.emulator import ClawOpsEmulator


def test_calls_examples(client: ClawOps) -> None:
    call = client.calls.create(
        to="01012345678",
        from_="07052358010",
        url="https://my-app.com/twiml",
        status_callback="https://my-app.com/status",
        status_callback_event="initiated ringing answered completed",
    )
    assert call.call_id.startswith("CA")
    assert call.status == "queued"
    assert call.to == "01012345678"
    assert call.from_ == "07052358010"

    page = client.calls.list(status="queued", page=0, page_size=20)
    assert isinstance(page, clawops.SyncPage)
    assert all(c.status == "queued" for c in page)
    for listed in page:
        assert listed.call_id

    all_ids = [c.call_id for c in client.calls.list().auto_paging_iter()]
    assert call.call_id in all_ids

    fetched = client.calls.get(call.call_id)
    assert fetched.call_id == call.call_id

    ended = client.calls.update(call.call_id, status="completed")
    assert ended.call_id == call.call_id
    assert ended.status == "completed"
    assert client.calls.get(call.call_id).status == "completed"


def test_numbers_examples(client: ClawOps) -> None:
    number = client.numbers.create(source="pool")
    assert number.phone_number == number.number
    numbers = client.numbers.list()
    assert number.number in [n.number for n in numbers]
    updated = client.numbers.update(number.number, webhook_url="https://my-app.com/webhook")
    assert updated.webhook_url == "https://my-app.com/webhook"
    assert client.numbers.delete(number.number) is None
    assert number.number not in [n.number for n in client.numbers.list()]


def test_sip_credentials_examples(client: ClawOps) -> None:
    cred = client.sip.credentials.create(display_name="Office Phone")
    assert cred.credential_id
    assert cred.sip_username.startswith("usr_")
    assert cred.password
    assert cred.password not in repr(cred)
    creds = client.sip.credentials.list()
    assert cred.credential_id in [c.credential_id for c in creds]
    assert all(c.password is None for c in creds)
    fetched = client.sip.credentials.get(cred.credential_id)
    assert fetched.display_name == "Office Phone"
    assert fetched.password is None
    client.sip.credentials.delete(cred.credential_id)
    with pytest.raises(NotFoundError):
        client.sip.credentials.get(cred.credential_id)


def test_multi_account_example(client: ClawOps) -> None:
    other = client.accounts(OTHER_ACCOUNT)
    other.numbers.create(source="pool")
    assert other.calls.list().meta.total == 0
    assert len(other.numbers.list()) >= 1
    assert repr(other) == f"Account(account_id={OTHER_ACCOUNT!r})"


async def test_async_example(emulator: ClawOpsEmulator) -> None:
    async with AsyncClawOps(
        api_key=emulator.api_key, account_id=emulator.account_id, base_url=emulator.url
    ) as client:
        call = await client.calls.create(
            to="01012345678",
            from_="07052358010",
            url="https://my-app.com/twiml",
        )
        assert call.call_id
        await client.calls.update(call.call_id, status="completed")
        page = await client.calls.list(status="completed")
        ids = [c.call_id async for c in page.auto_paging_iter()]
        assert call.call_id in ids


async def test_async_every_resource(aclient: AsyncClawOps) -> None:
    number = await aclient.numbers.create(source="pool")
    await aclient.numbers.update(number.number, webhook_method="GET")
    assert number.number in [n.number for n in await aclient.numbers.list()]
    await aclient.numbers.delete(number.number)
    cred = await aclient.sip.credentials.create()
    assert (await aclient.sip.credentials.get(cred.credential_id)).sip_username
    assert cred.credential_id in [c.credential_id for c in await aclient.sip.credentials.list()]
    await aclient.sip.credentials.delete(cred.credential_id)
    other = await aclient.accounts(OTHER_ACCOUNT).calls.list()
    assert isinstance(other, clawops.AsyncPage)


def test_webhook_example() -> None:
    client = ClawOps(api_key="sk_x", account_id="AC1a2b3c4d")
    params = {"CallId": "CA123", "CallStatus": "completed"}
    signature = client.webhooks.compute_signature(
        "https://my-app.com/webhook", params, "your_account_signing_key"
    )
    assert client.webhooks.verify(
        url="https://my-app.com/webhook",
        params=params,
        signature=signature,
        signing_key="your_account_signing_key",
    )
    with pytest.raises(WebhookVerificationError):
        client.webhooks.verify(
            url="https://my-app.com/webhook",
            params={**params, "CallStatus": "failed"},
            signature=signature,
            signing_key="your_account_signing_key",
        )
    client.close()


def test_error_handling_example(emulator: ClawOpsEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAWOPS_API_KEY", emulator.api_key)
    monkeypatch.setenv("CLAWOPS_ACCOUNT_ID", emulator.account_id)
    monkeypatch.setenv("CLAWOPS_BASE_URL", emulator.url)
    client = ClawOps()
    with pytest.raises(BadRequestError) as info:
        client.calls.create(to="01012345678", from_="01000000000", url="https://...")
    assert info.value.status_code == 400
    assert isinstance(info.value.body, dict)
    assert "error" in info.value.body
    bad = ClawOps(api_key="sk_wrong_key_123")
    with pytest.raises(AuthenticationError) as auth:
        bad.calls.list()
    assert auth.value.status_code == 401
    with pytest.raises(NotFoundError) as missing:
        client.calls.get("CAabcdef1234567890")
    assert missing.value.status_code == 404
    client.close()
    bad.close()


def test_configuration_examples(emulator: ClawOpsEmulator) -> None:
    kwargs = emulator.client_kwargs()
    assert ClawOps(max_retries=5, **kwargs).max_retries == 5
    assert ClawOps(max_retries=0, **kwargs).max_retries == 0
    client = ClawOps(timeout=30.0, **kwargs)
    assert client.timeout.read == 30.0
    call = client.calls.create(
        to="01012345678", from_="07052358010", url="https://my-app.com/twiml", timeout=10.0
    )
    assert call.call_id
    import httpx

    with httpx.Client() as http:
        custom = ClawOps(http_client=http, **kwargs)
        assert custom.calls.get(call.call_id).call_id == call.call_id
