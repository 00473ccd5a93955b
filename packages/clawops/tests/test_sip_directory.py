"""SIP credentials and endpoints on the 0.70.0 wire (list, get) beside the seed's names."""

from __future__ import annotations

import pytest

from clawops import AsyncClawOps, ClawOps, NotFoundError
from clawops.emulator import ClawOpsEmulator


def test_sip_credentials_both_names(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    made = [client.sip.credentials.create(display_name=f"Desk {i}") for i in range(3)]
    try:
        listed = client.sip_credentials.list()
        assert [c.id for c in listed] == [c.id for c in made]
        first = listed[0]
        assert (first.name, first.username, first.status, first.enabled) == (
            "Desk 0",
            made[0].username,
            "active",
            True,
        )
        assert first.password is None
        assert first.account_id == emulator.account_id
        assert first.date_created is not None
        page = client.sip_credentials.list(page=1, page_size=2)
        assert [c.id for c in page] == [made[2].id]
        assert emulator.journal.last().query == "page=1&pageSize=2"
        assert client.sip_credentials.list(status="disabled") == []
        got = client.sip_credentials.get(made[1].id)
        assert got.id == client.sip.credentials.get(made[1].id).id
        # 0.70.0's argument name works as a keyword.
        assert client.sip_credentials.get(credential_id=made[1].id) == got
        assert got.realm == "sip.claw-ops.com"
    finally:
        for cred in made:
            client.sip.credentials.delete(cred.id)
    with pytest.raises(NotFoundError):
        client.sip_credentials.get(made[0].id)


def test_sip_endpoints(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    [endpoint] = client.sip_endpoints.list(status="active")
    assert endpoint.id.startswith("SE")
    assert endpoint.status == "active"
    assert endpoint.routes
    assert client.sip_endpoints.get(endpoint.id) == endpoint
    assert client.sip_endpoints.get(endpoint_id=endpoint.id) == endpoint
    other = client.accounts(emulator.account_ids[1]).sip_endpoints.list()
    assert [e.id for e in other] != [endpoint.id]
    with pytest.raises(NotFoundError):
        client.sip_endpoints.get(other[0].id)


def test_bad_arguments_raise_before_sending(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    with pytest.raises(ValueError, match="status must be one of"):
        client.sip_credentials.list(status="deleted")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="page_size must be an int from 1 to 100"):
        client.sip_endpoints.list(page_size=0)
    with pytest.raises(ValueError, match="endpoint_id"):
        client.sip_endpoints.get("")
    with pytest.raises(ValueError, match="credential_id"):
        client.sip_credentials.get("")
    assert emulator.journal.entries == []


async def test_async_sip_directory(aclient: AsyncClawOps) -> None:
    cred = await aclient.sip.credentials.create()
    try:
        assert [c.id for c in await aclient.sip_credentials.list()] == [cred.id]
        assert (await aclient.sip_credentials.get(cred.id)).username == cred.username
    finally:
        await aclient.sip.credentials.delete(cred.id)
    [endpoint] = await aclient.sip_endpoints.list()
    assert (await aclient.sip_endpoints.get(endpoint.id)).name == endpoint.name
