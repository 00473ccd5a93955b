"""The SDK's requests, checked byte for byte against the wire format in specs/clawops.md."""

from __future__ import annotations

from typing import Any

import pytest

from clawops import ClawOps
from clawops.emulator import ClawOpsEmulator

PREFIX = "/v1/accounts/AC1a2b3c4d"


def last(emulator: ClawOpsEmulator) -> Any:
    return emulator.journal.last()


def test_headers_on_every_request(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    client.numbers.list()
    headers = dict(last(emulator).headers)
    assert headers["authorization"] == f"Bearer {emulator.api_key}"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert headers["user-agent"] == "clawops-python/0.1.0"


def test_calls_create_body_is_pascal_case_and_omits_none(
    client: ClawOps, emulator: ClawOpsEmulator
) -> None:
    client.calls.create(to="01012345678", from_="07052358010", url="https://my-app.com/twiml")
    sent = last(emulator)
    assert (sent.method, sent.path, sent.query) == ("POST", f"{PREFIX}/calls", "")
    assert sent.body == (
        b'{"To":"01012345678","From":"07052358010","Url":"https://my-app.com/twiml"}'
    )
    client.calls.create(
        to="sip:usr_abc@sip.claw-ops.com",
        from_="07052358010",
        url="https://my-app.com/twiml",
        status_callback="https://my-app.com/status",
        status_callback_event="completed",
    )
    assert last(emulator).body == (
        b'{"To":"sip:usr_abc@sip.claw-ops.com","From":"07052358010",'
        b'"Url":"https://my-app.com/twiml","StatusCallback":"https://my-app.com/status",'
        b'"StatusCallbackEvent":"completed"}'
    )


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({}, ""),
        ({"status": "completed"}, "status=completed"),
        ({"page": 0, "page_size": 20}, "page=0&pageSize=20"),
        ({"status": "queued", "page": 2, "page_size": 100}, "status=queued&page=2&pageSize=100"),
    ],
)
def test_calls_list_query(
    client: ClawOps, emulator: ClawOpsEmulator, kwargs: dict[str, Any], query: str
) -> None:
    client.calls.list(**kwargs)
    sent = last(emulator)
    assert (sent.method, sent.path, sent.query, sent.body) == ("GET", f"{PREFIX}/calls", query, b"")


def test_calls_get_and_update(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    call = client.calls.create(to="01012345678", from_="07052358010", url="https://x.test/t")
    client.calls.get(call.call_id)
    assert (last(emulator).method, last(emulator).path) == ("GET", f"{PREFIX}/calls/{call.call_id}")
    client.calls.update(call.call_id, status="completed")
    sent = last(emulator)
    assert (sent.method, sent.path, sent.body) == (
        "POST",
        f"{PREFIX}/calls/{call.call_id}",
        b'{"Status":"completed"}',
    )


def test_numbers_wire(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    number = client.numbers.create(source="pool", webhook_url="https://my-app.com/in")
    sent = last(emulator)
    assert (sent.method, sent.path) == ("POST", f"{PREFIX}/numbers")
    assert sent.body == b'{"source":"pool","webhookUrl":"https://my-app.com/in"}'
    client.numbers.update(number.number, webhook_url="https://a.test/h", webhook_method="GET")
    sent = last(emulator)
    assert (sent.method, sent.path) == ("PUT", f"{PREFIX}/numbers/{number.number}")
    assert sent.body == b'{"webhookUrl":"https://a.test/h","webhookMethod":"GET"}'
    client.numbers.delete(number.number)
    sent = last(emulator)
    assert (sent.method, sent.path, sent.body) == (
        "DELETE",
        f"{PREFIX}/numbers/{number.number}",
        b"",
    )


def test_sip_wire(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    cred = client.sip.credentials.create()
    assert last(emulator).body == b"{}"
    client.sip.credentials.delete(cred.credential_id)
    client.sip.credentials.create(display_name="Desk")
    sent = last(emulator)
    assert (sent.method, sent.path, sent.body) == (
        "POST",
        f"{PREFIX}/sip/credentials",
        b'{"displayName":"Desk"}',
    )
    for c in client.sip.credentials.list():
        client.sip.credentials.delete(c.credential_id)


def test_other_account_paths(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    client.accounts("AC_other_account_id").sip.credentials.list()
    assert last(emulator).path == "/v1/accounts/AC_other_account_id/sip/credentials"


def test_responses_map_camel_case_and_keep_unknown_fields(client: ClawOps) -> None:
    call = client.calls.create(to="01012345678", from_="07052358010", url="https://x.test/t")
    raw = client.calls.with_raw_response.get(call.call_id)
    wire = raw.json()
    parsed = raw.parse()
    assert parsed.call_id == wire["callId"]
    assert parsed.account_id == wire["accountId"]
    assert parsed.from_ == wire["from"]
    assert parsed.to_dict()["callId"] == wire["callId"]
    assert parsed.date_created is not None
    page = client.calls.list(page_size=1)
    assert page.meta.page_size == 1
    assert page.meta.page == 0
    assert page.meta.total >= 1
