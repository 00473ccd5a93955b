"""Assignment links: create, list (paged), retrieve, revoke, and the end user's visit."""

from __future__ import annotations

import httpx
import pytest

from clawops import APIConnectionError, AsyncClawOps, ClawOps, ConflictError, NotFoundError
from clawops.emulator import ClawOpsEmulator


def test_link_lifecycle(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    created = client.assignment_links.create(
        webhook_url="https://my-app.com/in", webhook_method="GET", note="for Kim"
    )
    assert created.url == f"{emulator.url}/assign/{created.token}"
    link = client.assignment_links.retrieve(created.link_id)
    assert (link.status, link.note, link.webhook_method) == ("pending", "for Kim", "GET")
    assert link.expires_at == created.expires_at
    assert link.assignment is None
    # The end user opens the link: a number is assigned, with the link's webhook.
    visit = httpx.post(created.url)
    assert visit.status_code == 201
    number = visit.json()["number"]
    consumed = client.assignment_links.retrieve(created.link_id)
    assert consumed.status == "consumed"
    assert consumed.assignment is not None
    assert consumed.assignment.number == number
    owned = {n.number: n for n in client.numbers.list()}[number]
    assert (owned.webhook_url, owned.webhook_method) == ("https://my-app.com/in", "GET")
    with pytest.raises(ConflictError) as caught:
        client.assignment_links.revoke(created.link_id)
    assert caught.value.body == {
        "error": f"Assignment link {created.link_id} is consumed, not pending",
        "code": "NOT_PENDING",
    }
    assert httpx.post(created.url).status_code == 409
    client.numbers.delete(number)


def test_revoke_and_list(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    made = [client.assignment_links.create(note=f"n{i}") for i in range(5)]
    client.assignment_links.revoke(made[0].link_id)
    assert client.assignment_links.retrieve(made[0].link_id).status == "revoked"
    with pytest.raises(ConflictError):
        client.assignment_links.revoke(made[0].link_id)
    page = client.assignment_links.list(status="pending", page_size=2)
    assert page.meta.page_size == 2
    assert page.meta.total >= 4
    everything = list(page.auto_paging_iter())
    mine = [link.link_id for link in everything if link.link_id in {m.link_id for m in made}]
    assert mine == [m.link_id for m in reversed(made[1:])]
    revoked = client.assignment_links.list(status="revoked")
    assert made[0].link_id in [link.link_id for link in revoked]
    with pytest.raises(NotFoundError):
        client.assignment_links.retrieve("al_missing")
    with pytest.raises(NotFoundError):
        client.accounts(emulator.account_ids[1]).assignment_links.retrieve(made[1].link_id)


def test_bad_arguments_raise_before_sending(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    with pytest.raises(ValueError, match="note must be a string of at most 200"):
        client.assignment_links.create(note="x" * 201)
    with pytest.raises(ValueError, match="webhook_method must be one of"):
        client.assignment_links.create(webhook_method="PUT")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="status must be one of"):
        client.assignment_links.list(status="used")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="link_id"):
        client.assignment_links.revoke("..")
    assert emulator.journal.entries == []


def test_create_is_not_retried_after_a_reset(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    before = client.assignment_links.list().meta.total
    # The server creates the link, then the connection drops before the answer.
    with pytest.raises(APIConnectionError):
        client.assignment_links.create(
            note="once", extra_headers={"X-Emulator-Fault": "reset;processed=1;times=1"}
        )
    assert client.assignment_links.list().meta.total == before + 1


async def test_async_links(aclient: AsyncClawOps) -> None:
    created = await aclient.assignment_links.create(note="async")
    link = await aclient.assignment_links.retrieve(created.token)
    assert link.status == "pending"
    page = await aclient.assignment_links.list(page_size=1)
    seen = [item.link_id async for item in page.auto_paging_iter()]
    assert created.token in seen
    await aclient.assignment_links.revoke(created.token)
    assert (await aclient.assignment_links.retrieve(created.token)).status == "revoked"
