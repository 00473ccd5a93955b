"""Numbers on the 0.70.0 wire: routing types, the list under both keys, update and delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clawops import AsyncClawOps, BadRequestError, ClawOps, NotFoundError
from clawops.emulator import ClawOpsEmulator


def test_list_reads_either_wire(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    numbers = client.numbers.list()
    wire = client.numbers.with_raw_response.list().json()
    assert wire["data"] == wire["numbers"]
    assert [n.number for n in numbers] == [n["number"] for n in wire["data"]]
    assert numbers[0].routing_type == "webhook"
    assert numbers[0].number_type == "did"


def test_route_to_each_target(client: ClawOps) -> None:
    number = client.numbers.create(webhook_method="GET", webhook_headers={"X-App": "1"})
    other = client.numbers.create()
    try:
        endpoint = client.sip_endpoints.list()[0]
        cred = client.sip.credentials.create(display_name="Desk")
        routes: list[tuple[dict[str, Any], str, str]] = [
            (
                {"routing_type": "sip", "sip_endpoint_id": endpoint.id},
                "sip_endpoint_id",
                endpoint.id,
            ),
            (
                {"routing_type": "softphone", "sip_credential_id": cred.id},
                "sip_credential_id",
                cred.id,
            ),
            ({"routing_type": "forward", "forward_to": other.number}, "forward_to", other.number),
            ({"routing_type": "agent", "agent_id": "ag_1"}, "agent_id", "ag_1"),
            ({"routing_type": "callflow", "call_flow_id": "cf_1"}, "call_flow_id", "cf_1"),
        ]
        for kwargs, field, value in routes:
            updated = client.numbers.update(number.number, **kwargs)
            assert updated.routing_type == kwargs["routing_type"]
            assert getattr(updated, field) == value
            ids = ("agent_id", "call_flow_id", "forward_to", "sip_endpoint_id", "sip_credential_id")
            assert [getattr(updated, f) for f in ids if f != field] == [None] * 4
        back = client.numbers.update(
            number.number, routing_type="webhook", webhook_url="https://my-app.com/in"
        )
        assert (back.routing_type, back.call_flow_id, back.webhook_url) == (
            "webhook",
            None,
            "https://my-app.com/in",
        )
        assert back.webhook_method == "GET"
        assert back.webhook_headers == {"X-App": "1"}
        listed = {n.number: n for n in client.numbers.list()}[number.number]
        assert listed == back
        client.sip.credentials.delete(cred.id)
    finally:
        client.numbers.delete(number.number)
        client.numbers.delete(other.number)
    with pytest.raises(NotFoundError):
        client.numbers.update(number.number, dictionary_id="d1")


def test_server_refuses_targets_of_no_one(client: ClawOps) -> None:
    with pytest.raises(BadRequestError, match="sipEndpointId"):
        client.numbers.update("07052358010", routing_type="sip", sip_endpoint_id="SE_nope")
    with pytest.raises(BadRequestError, match="forwardTo"):
        client.numbers.update("07052358010", routing_type="forward", forward_to="07052358010")
    with pytest.raises(BadRequestError, match="statusCallbackEvents"):
        client.numbers.update("07052358010", status_callback_events="hung-up")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"routing_type": "pbx"}, "routing_type must be one of"),
        ({"routing_type": "agent"}, "agent_id is required when routing_type='agent'"),
        ({"routing_type": "sip"}, "sip_endpoint_id is required"),
        ({"webhook_headers": {"Auth": "x"}}, "webhook_headers names must all start with 'X-'"),
        ({"webhook_method": "PUT"}, "webhook_method must be one of"),
        ({}, "give webhook_url or webhook_method"),
    ],
)
def test_bad_update_raises_before_sending(
    client: ClawOps, emulator: ClawOpsEmulator, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        client.numbers.update("07052358010", **kwargs)
    assert emulator.journal.entries == []


async def test_async_routing(aclient: AsyncClawOps) -> None:
    [endpoint] = await aclient.sip_endpoints.list()
    updated = await aclient.numbers.update(
        "07052358010",
        routing_type="sip",
        sip_endpoint_id=endpoint.id,
        status_callback="https://my-app.com/status",
        status_callback_events="completed",
    )
    assert (updated.routing_type, updated.sip_endpoint_id) == ("sip", endpoint.id)
    assert updated.status_callback_events == "completed"
    numbers = await aclient.numbers.list()
    assert numbers[0].sip_endpoint_id == endpoint.id
    reset = await aclient.numbers.update("07052358010", routing_type="webhook")
    assert reset.sip_endpoint_id is None


def test_routing_and_links_survive_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "state.sqlite3")
    with ClawOpsEmulator(db=db) as emu, ClawOps(**emu.client_kwargs()) as c:
        [endpoint] = c.sip_endpoints.list()
        c.numbers.update("07052358010", routing_type="sip", sip_endpoint_id=endpoint.id)
        link = c.assignment_links.create(note="kept")
    with ClawOpsEmulator(db=db) as emu, ClawOps(**emu.client_kwargs()) as c:
        assert c.sip_endpoints.list() == [endpoint]
        [number] = c.numbers.list()
        assert (number.routing_type, number.sip_endpoint_id) == ("sip", endpoint.id)
        assert c.assignment_links.retrieve(link.token).note == "kept"
