"""`messages` over real loopback HTTP against the emulator: text, alimtalk and brand sends,
listing and paging, status progression, and every refusal (before any request, or by the API
with its code)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from typing import Any

import pytest

from clawops import (
    AsyncClawOps,
    BadRequestError,
    ClawOps,
    NotFoundError,
    UnprocessableEntityError,
)
from clawops.emulator import ClawOpsEmulator, demo_channel_id, demo_template_ids

ACCOUNT = "AC_messaging"
FROM = "07052358010"


@pytest.fixture(scope="module")
def emulator() -> Iterator[ClawOpsEmulator]:
    """An emulator whose messages are sent within a tenth of a second."""
    with ClawOpsEmulator(account_id=ACCOUNT, numbers=(FROM,), message_delay=0.02) as emu:
        yield emu


CHANNEL = demo_channel_id(ACCOUNT)
TEMPLATES = demo_template_ids(ACCOUNT)
ORDER = {"channel_id": CHANNEL, "template_id": TEMPLATES["order"]}


def posts(emulator: ClawOpsEmulator) -> int:
    return sum(1 for e in emulator.journal.entries if e.method == "POST")


def test_sms_is_sent_and_moves_on_to_sent(client: ClawOps) -> None:
    message = client.messages.create(to="010-1234-5678", from_=FROM, body="Hello")
    assert message.message_id.startswith("MG")
    assert (message.type, message.status, message.to, message.from_) == (
        "sms",
        "queued",
        "01012345678",
        FROM,
    )
    assert message.direction == "outbound"
    deadline = time.monotonic() + 5
    while (fetched := client.messages.get(message.message_id)).status != "sent":
        assert time.monotonic() < deadline, fetched.status
        time.sleep(0.02)
    assert fetched.date_updated is not None


def test_type_follows_length_and_attachments(client: ClawOps) -> None:
    assert client.messages.create(to="01011112222", from_=FROM, body="x" * 91).type == "lms"
    mms = client.messages.create(
        to="01011112222",
        from_=FROM,
        body="photo",
        subject="Look",
        media_url=["https://example.com/a.jpg"],
    )
    assert (mms.type, mms.num_media, mms.media_url, mms.subject) == (
        "mms",
        1,
        ["https://example.com/a.jpg"],
        "Look",
    )


def test_api_refuses_a_long_sms_with_its_code(client: ClawOps) -> None:
    with pytest.raises(BadRequestError) as info:
        client.messages.create(to="01011112222", from_=FROM, body="가" * 46, type="sms")
    assert info.value.code == "body_too_long"


def test_alimtalk_fills_the_template(client: ClawOps) -> None:
    message = client.messages.create(
        to="01012345678",
        from_=FROM,
        kakao={**ORDER, "variables": {"name": "Kim", "#{order_id}": "A-1"}},
        fallback={"body": "Your order A-1 has shipped."},
    )
    assert message.type == "ata"
    assert message.body == "Hi Kim, your order A-1 has shipped."


def wait_for(client: ClawOps, number: str, count: int) -> list[Any]:
    deadline = time.monotonic() + 5
    while True:
        messages = list(client.messages.list(number=number))
        if len(messages) == count and all(m.status in ("sent", "failed") for m in messages):
            return messages
        assert time.monotonic() < deadline, [(m.type, m.status) for m in messages]
        time.sleep(0.02)


def test_undeliverable_alimtalk_falls_back_to_text(client: ClawOps) -> None:
    number = f"0100000{random.randrange(10**4):04d}"
    kakao = {**ORDER, "variables": {"name": "Kim", "order_id": "A-1"}}
    alimtalk = client.messages.create(
        to=number, from_=FROM, kakao=kakao, fallback={"body": "Order A-1 shipped", "type": "lms"}
    )
    messages = wait_for(client, number, 2)
    assert {(m.type, m.status, m.body) for m in messages} == {
        ("ata", "failed", "Hi Kim, your order A-1 has shipped."),
        ("lms", "sent", "Order A-1 shipped"),
    }
    assert client.messages.get(alimtalk.message_id).status == "failed"
    assert [m.type for m in client.messages.list(number=number, status="failed")] == ["ata"]


def test_fallback_defaults_to_the_template_text_and_can_be_disabled(client: ClawOps) -> None:
    number = f"0100000{random.randrange(10**4):04d}"
    kakao = {**ORDER, "variables": {"name": "Lee", "order_id": "B-2"}}
    client.messages.create(to=number, from_=FROM, kakao=kakao)
    client.messages.create(to=number, from_=FROM, kakao=kakao, fallback={"disabled": True})
    client.messages.create(
        to=number,
        from_=FROM,
        brand={"channel_id": CHANNEL, "template_id": TEMPLATES["news"], "variables": {"name": "L"}},
    )
    messages = wait_for(client, number, 4)
    assert sorted((m.type, m.status) for m in messages) == [
        ("ata", "failed"),
        ("ata", "failed"),
        ("bms", "failed"),
        ("sms", "sent"),
    ]
    text = next(m for m in messages if m.type == "sms")
    assert text.body == "Hi Lee, your order B-2 has shipped."


def test_a_fallback_the_api_refuses_refuses_the_alimtalk(client: ClawOps) -> None:
    with pytest.raises(BadRequestError) as info:
        client.messages.create(
            to="01012345678",
            from_=FROM,
            kakao={**ORDER, "variables": {"name": "K", "order_id": "1"}},
            fallback={"type": "sms", "body": "x" * 91},
        )
    assert info.value.code == "body_too_long"


@pytest.mark.parametrize(
    ("kakao", "error", "code"),
    [
        ({**ORDER, "variables": {"name": "Kim"}}, BadRequestError, "kakao_variable_missing"),
        (
            {**ORDER, "variables": {"name": "K", "order_id": "1", "x": "y"}},
            BadRequestError,
            "kakao_variable_unknown",
        ),
        (
            {"channel_id": CHANNEL, "template_id": TEMPLATES["review"], "variables": {"name": "K"}},
            UnprocessableEntityError,
            "kakao_template_not_approved",
        ),
        (
            {
                "channel_id": CHANNEL,
                "template_id": TEMPLATES["dormant"],
                "variables": {"name": "K"},
            },
            UnprocessableEntityError,
            "kakao_template_dormant",
        ),
        ({**ORDER, "channel_id": "KCnope"}, NotFoundError, "kakao_channel_not_found"),
        ({**ORDER, "template_id": "KTnope"}, NotFoundError, "kakao_template_not_found"),
    ],
)
def test_api_refuses_alimtalk_it_cannot_send(
    client: ClawOps, kakao: Any, error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as info:
        client.messages.create(to="01012345678", from_=FROM, kakao=kakao)
    assert getattr(info.value, "code", None) == code


def test_brand_template_and_free_form(client: ClawOps) -> None:
    templated = client.messages.create(
        to="01012345678",
        from_=FROM,
        brand={
            "channel_id": CHANNEL,
            "template_id": TEMPLATES["news"],
            "variables": {"name": "Lee"},
        },
    )
    assert (templated.type, templated.body) == ("bms", "Hi Lee, new arrivals are in this week.")
    image = client.kakao.brand_images.upload(
        file=b"\x89PNG...", filename="a.png", bubble_type="WIDE"
    )
    free = client.messages.create(
        to="01012345678",
        from_=FROM,
        brand={
            "channel_id": CHANNEL,
            "free": {"chatBubbleType": "WIDE", "content": "New menu", "imageId": image.id},
        },
    )
    assert (free.type, free.body) == ("bms", "New menu")
    with pytest.raises(BadRequestError) as info:
        client.messages.create(
            to="01012345678",
            from_=FROM,
            brand={
                "channel_id": CHANNEL,
                "free": {"chatBubbleType": "WIDE", "content": "x", "imageId": "KInope"},
            },
        )
    assert info.value.code == "kakao_brand_image_not_found"


@pytest.mark.parametrize(
    ("kwargs", "error", "argument"),
    [
        ({}, TypeError, "body="),
        ({"body": "x", "kakao": ORDER}, TypeError, "body"),
        (
            {"kakao": ORDER, "brand": {"channel_id": CHANNEL, "template_id": "t"}},
            TypeError,
            "brand=",
        ),
        ({"kakao": ORDER, "subject": "s"}, TypeError, "subject"),
        ({"kakao": ORDER, "type": "sms"}, TypeError, "type"),
        (
            {"brand": {"channel_id": CHANNEL, "template_id": "t"}, "fallback": {}},
            TypeError,
            "fallback",
        ),
        ({"brand": {"channel_id": CHANNEL}}, TypeError, "template_id"),
        ({"brand": {"channel_id": CHANNEL, "free": {}, "variables": {}}}, TypeError, "variables"),
        ({"body": "x", "fallback": {"body": "y"}}, TypeError, "fallback"),
        ({"body": "x", "type": "ata"}, TypeError, "kakao"),
        ({"body": "x", "type": "fax"}, ValueError, "type"),
        ({"body": "x", "type": "sms", "subject": "s"}, ValueError, "subject"),
        ({"body": "x", "media_url": ["1", "2", "3", "4"]}, ValueError, "media_url"),
        ({"kakao": {"template_id": "t"}}, TypeError, "channel_id"),
        ({"kakao": {**ORDER, "colour": "red"}}, TypeError, "colour"),
        ({"kakao": ORDER, "fallback": {"type": "fax"}}, ValueError, "fallback['type']"),
    ],
)
def test_bad_combinations_raise_before_any_request(
    client: ClawOps,
    emulator: ClawOpsEmulator,
    kwargs: dict[str, Any],
    error: type[Exception],
    argument: str,
) -> None:
    before = posts(emulator)
    with pytest.raises(error, match=argument.replace("[", r"\[").replace("]", r"\]")):
        client.messages.create(to="01012345678", from_=FROM, **kwargs)
    assert posts(emulator) == before


def test_list_filters_and_pages(client: ClawOps) -> None:
    number = "01077778888"
    for index in range(3):
        client.messages.create(to=number, from_=FROM, body=f"page test {index}")
    client.messages.create(
        to=number, from_=FROM, kakao={**ORDER, "variables": {"name": "A", "order_id": "1"}}
    )
    page = client.messages.list(number="010-7777-8888", page_size=2)
    assert page.meta.total == 4
    assert len(page.data) == 2
    walked = list(page.auto_paging_iter())
    assert len(walked) == 4
    assert walked[0].type == "ata"
    kakao_only = client.messages.list(number=number, type="ata")
    assert [m.type for m in kakao_only] == ["ata"]
    with pytest.raises(ValueError, match="status"):
        client.messages.list(status="sending")
    with pytest.raises(ValueError, match="page_size"):
        client.messages.list(page_size=101)


def test_status_filter_sees_the_progression(client: ClawOps) -> None:
    message = client.messages.create(to="01055556666", from_=FROM, body="progress")
    time.sleep(0.1)
    sent = client.messages.list(number="01055556666", status="sent")
    assert [m.message_id for m in sent] == [message.message_id]
    assert client.messages.list(number="01055556666", status="queued").meta.total == 0


def test_a_blocked_recipient_is_refused_until_released(client: ClawOps) -> None:
    block = client.blocked_recipients.create(recipient="010-4444-5555", channel="message")
    with pytest.raises(UnprocessableEntityError) as info:
        client.messages.create(to="01044445555", from_=FROM, body="hi")
    assert info.value.code == "recipient_blocked"
    with pytest.raises(UnprocessableEntityError):
        client.messages.create(
            to="+821044445555",
            from_=FROM,
            kakao={**ORDER, "variables": {"name": "a", "order_id": "1"}},
        )
    client.blocked_recipients.release(block.id)
    assert client.messages.create(to="01044445555", from_=FROM, body="hi").status == "queued"


def test_a_sender_number_must_be_registered(client: ClawOps) -> None:
    registered = next(s for s in client.sender_numbers.list().sender_numbers if s.number == FROM)
    client.sender_numbers.delete(registered.id)
    try:
        with pytest.raises(BadRequestError) as info:
            client.messages.create(to="01012345678", from_=FROM, body="hi")
        assert info.value.code == "from_not_registered"
    finally:
        client.sender_numbers.create(number="070-5235-8010")
    assert client.messages.create(to="01012345678", from_=FROM, body="hi").from_ == FROM


def test_raw_response_and_other_account(client: ClawOps) -> None:
    raw = client.messages.with_raw_response.create(to="01012345678", from_=FROM, body="raw")
    assert raw.status_code == 201
    assert raw.parse().body == "raw"
    with pytest.raises(NotFoundError):
        client.messages.get("MG_missing")


async def test_async_send_list_and_get(aclient: AsyncClawOps) -> None:
    # Runs once per async transport on the same emulator: a recipient of its own each time.
    number = f"010{random.randrange(10**8):08d}"
    sent = await aclient.messages.create(
        to=number,
        from_=FROM,
        kakao={**ORDER, "variables": {"name": "Async", "order_id": "9"}},
    )
    assert sent.body == "Hi Async, your order 9 has shipped."
    fetched = await aclient.messages.get(sent.message_id)
    assert fetched.message_id == sent.message_id
    page = await aclient.messages.list(number=number, page_size=1)
    assert [m.message_id async for m in page.auto_paging_iter()] == [sent.message_id]
    raw = await aclient.messages.with_raw_response.list(type="ata", page_size=1)
    assert raw.parse().meta.page_size == 1


async def test_async_refusals(aclient: AsyncClawOps) -> None:
    with pytest.raises(TypeError, match="fallback"):
        await aclient.messages.create(to="01012345678", from_=FROM, body="x", fallback={})
    with pytest.raises(BadRequestError) as info:
        await aclient.messages.create(to="01012345678", from_="07000000000", body="x")
    assert info.value.code == "from_not_registered"
