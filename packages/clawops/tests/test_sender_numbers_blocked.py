"""`sender_numbers` and `blocked_recipients` over real loopback HTTP against the emulator."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from clawops import (
    AsyncClawOps,
    BadRequestError,
    ClawOps,
    ConflictError,
    NotFoundError,
    UnprocessableEntityError,
)
from clawops.emulator import ClawOpsEmulator

ACCOUNT = "AC_senders"
FROM = "07052358010"


@pytest.fixture(scope="module")
def emulator() -> Iterator[ClawOpsEmulator]:
    """An emulator whose account holds one number, registered as a sender."""
    with ClawOpsEmulator(account_id=ACCOUNT, numbers=(FROM,)) as emu:
        yield emu


def phone() -> str:
    return f"010-{random.randrange(10**4):04d}-{random.randrange(10**4):04d}"


def test_configured_number_is_a_sender(client: ClawOps) -> None:
    listed = client.sender_numbers.list()
    sender = next(s for s in listed.sender_numbers if s.number == FROM)
    assert (sender.type, sender.status, sender.verification_method) == (
        "070",
        "approved",
        "own_provisioned",
    )
    assert listed.limit is not None
    assert listed.limit.used == len(listed.sender_numbers)
    assert listed.grace == []


def test_register_a_bought_number_then_delete_it(client: ClawOps) -> None:
    bought = client.numbers.create(source="pool")
    # On the 0.70.0 wire a bought number may be registered at once (`sms_sender`): start
    # from an unregistered one either way.
    for sender in client.sender_numbers.list().sender_numbers:
        if sender.number == bought.number:
            client.sender_numbers.delete(sender.id)
    with pytest.raises(BadRequestError) as refused:
        client.messages.create(to="01012345678", from_=bought.number, body="hi")
    assert refused.value.code == "from_not_registered"
    sender = client.sender_numbers.create(number=bought.number)
    assert (sender.number, sender.status) == (bought.number, "approved")
    assert client.messages.create(to="01012345678", from_=bought.number, body="hi").type == "sms"
    with pytest.raises(ConflictError) as twice:
        client.sender_numbers.create(number=bought.number)
    assert twice.value.code == "sender_number_already_registered"
    client.sender_numbers.delete(sender.id)
    with pytest.raises(NotFoundError) as gone:
        client.sender_numbers.delete(sender.id)
    assert gone.value.code == "sender_number_not_found"


def test_only_numbers_of_the_account_register(client: ClawOps) -> None:
    with pytest.raises(NotFoundError) as info:
        client.sender_numbers.create(number="070-9999-9999")
    assert info.value.code == "sender_number_not_account_number"
    with pytest.raises(ValueError, match="number"):
        client.sender_numbers.create(number="")


def test_block_is_idempotent_and_released_entries_stay(client: ClawOps) -> None:
    number = phone()
    block = client.blocked_recipients.create(
        recipient=number, channel="message", source="console", source_ref="MG1", note="asked"
    )
    assert (block.recipient, block.active, block.source, block.note) == (
        number.replace("-", ""),
        True,
        "console",
        "asked",
    )
    assert client.blocked_recipients.create(recipient=number, channel="message").id == block.id
    call_block = client.blocked_recipients.create(recipient=number, channel="call")
    assert call_block.id != block.id
    found = client.blocked_recipients.list(recipient=number)
    assert {b.id for b in found} == {block.id, call_block.id}
    assert [b.id for b in client.blocked_recipients.list(recipient=number, channel="call")] == [
        call_block.id
    ]
    updated = client.blocked_recipients.update(block.id, note="called back")
    assert updated.note == "called back"
    assert client.blocked_recipients.update(block.id, note=None).note is None
    released = client.blocked_recipients.release(block.id, note="opted in")
    assert (released.active, released.unblocked_note) == (False, "opted in")
    again = client.blocked_recipients.release(block.id)
    assert again.unblocked_at == released.unblocked_at
    assert client.blocked_recipients.retrieve(block.id).active is False
    assert block.id not in [b.id for b in client.blocked_recipients.list(recipient=number)]
    history = client.blocked_recipients.list(recipient=number, status="released")
    assert [b.id for b in history] == [block.id]
    assert client.blocked_recipients.list(recipient=number, status="all").meta.total == 2


def test_a_call_to_a_blocked_number_is_refused(client: ClawOps) -> None:
    number = phone()
    block = client.blocked_recipients.create(recipient=number, channel="call")
    call = {"to": number.replace("-", ""), "from_": FROM, "url": "https://my-app.com/twiml"}
    with pytest.raises(UnprocessableEntityError) as info:
        client.calls.create(**call)
    assert info.value.code == "recipient_blocked"
    client.blocked_recipients.release(block.id)
    assert client.calls.create(**call).status == "queued"


def test_email_recipients_and_refusals(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    block = client.blocked_recipients.create(recipient="Kim@Example.COM", channel="email")
    assert block.recipient == "kim@example.com"
    with pytest.raises(BadRequestError) as info:
        client.blocked_recipients.create(recipient="not-a-phone", channel="message")
    assert info.value.code == "VALIDATION"
    with pytest.raises(NotFoundError):
        client.blocked_recipients.retrieve("BR_missing")
    emulator.journal.clear()
    with pytest.raises(ValueError, match="channel"):
        client.blocked_recipients.create(recipient="01012345678", channel="fax")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="note"):
        client.blocked_recipients.update(block.id, note="x" * 501)
    with pytest.raises(ValueError, match="status"):
        client.blocked_recipients.list(status="gone")  # type: ignore[arg-type]
    assert emulator.journal.entries == []


async def test_async_sender_numbers_and_blocks(aclient: AsyncClawOps) -> None:
    listed = await aclient.sender_numbers.list()
    assert FROM in [s.number for s in listed.sender_numbers]
    raw = await aclient.sender_numbers.with_raw_response.list()
    assert raw.status_code == 200
    number = phone()
    block = await aclient.blocked_recipients.create(recipient=number, channel="message")
    assert (await aclient.blocked_recipients.retrieve(block.id)).id == block.id
    assert (await aclient.blocked_recipients.update(block.id, note="n")).note == "n"
    page = await aclient.blocked_recipients.list(recipient=number)
    assert [b.id async for b in page.auto_paging_iter()] == [block.id]
    assert (await aclient.blocked_recipients.release(block.id)).active is False
