"""Run by the public clawops 0.70.0, unmodified, against our emulator (test_public_compat.py):
every method of messages, kakao, sender_numbers and blocked_recipients, with the refusals the
API answers. Asserts as it goes and prints a JSON object of what each step saw; any failure
exits non-zero.

The environment gives the emulator (CLAWOPS_BASE_URL, CLAWOPS_API_KEY, CLAWOPS_ACCOUNT_ID). It
relies on the emulator's defaults: 07052358010 registered as a sender number, and the demo Kakao
channel (search id "clawops-demo") with its templates; verification codes are always 123456.
"""

from __future__ import annotations

import json
import random
from typing import Any

from clawops_public_common import FROM, wait

import clawops
from clawops import (
    BadRequestError,
    ClawOps,
    ConflictError,
    NotFoundError,
    UnprocessableEntityError,
)

KAKAO_CODE = "123456"


def refused(error: type[Exception], call: Any) -> str | None:
    try:
        call()
    except error as exc:
        return getattr(exc, "code", None)
    raise AssertionError(f"expected {error.__name__}")


def senders(client: ClawOps, seen: dict[str, Any]) -> None:
    listed = client.sender_numbers.list()
    sender = next(s for s in listed.sender_numbers if s.number == FROM)
    assert listed.limit is not None
    assert listed.limit.used >= 1
    seen["sender_numbers.list"] = [sender.number, sender.status]
    client.sender_numbers.delete(sender.id)
    seen["from_not_registered"] = refused(
        BadRequestError, lambda: client.messages.create(to="01012345678", from_=FROM, body="x")
    )
    again = client.sender_numbers.create(number="070-5235-8010")
    seen["sender_numbers.create"] = [again.number, again.status]
    seen["sender_numbers.create_again"] = refused(
        ConflictError, lambda: client.sender_numbers.create(number=FROM)
    )


def texts(client: ClawOps, seen: dict[str, Any]) -> None:
    to = f"010{random.randrange(10**8):08d}"
    sms = client.messages.create(to=to, from_=FROM, body="Hello from the emulator")
    lms = client.messages.create(to=to, from_=FROM, body="long " * 30, subject="News")
    mms = client.messages.create(
        to=to, from_=FROM, body="photo", media_url=["https://example.com/a.jpg"]
    )
    seen["messages.create"] = [sms.type, lms.type, mms.type, mms.num_media, sms.status]
    sent = wait(lambda: (m := client.messages.get(sms.message_id)).status == "sent" and m)
    seen["messages.get"] = [sent.status, sent.from_, sent.direction]
    page = client.messages.list(number=to, page_size=2)
    seen["messages.list"] = [page.meta.total, [m.type for m in page.auto_paging_iter()]]
    seen["messages.list.type"] = [m.type for m in client.messages.list(number=to, type="lms")]
    seen["body_too_long"] = refused(
        BadRequestError,
        lambda: client.messages.create(to=to, from_=FROM, body="x" * 91, type="sms"),
    )
    try:
        client.messages.create(to=to, from_=FROM, body="x", kakao={"channel_id": "a"})  # type: ignore[call-overload]
    except TypeError:
        seen["mixed_arguments"] = "TypeError"


def kakao(client: ClawOps, seen: dict[str, Any]) -> None:
    categories = client.kakao.channel_categories()
    category = categories.data[0].code
    channel = next(c for c in client.kakao.channels.list() if c.search_id == "clawops-demo")
    checked = client.kakao.channels.retrieve(channel.id)
    seen["kakao.channels"] = [channel.status, checked.synced_at is not None]
    templates = {t.name: t for t in client.kakao.templates.list(channel_id=channel.id)}
    seen["kakao.templates.list"] = sorted(n for n, t in templates.items() if t.sendable)
    order = templates["Order shipped"]
    message = client.messages.create(
        to="01012345678",
        from_=FROM,
        kakao={
            "channel_id": channel.id,
            "template_id": order.id,
            "variables": {"name": "Kim", "#{order_id}": "A-1"},
        },
        fallback={"body": "Your order A-1 has shipped."},
    )
    seen["messages.create.kakao"] = [message.type, message.body]
    seen["kakao_variable_missing"] = refused(
        BadRequestError,
        lambda: client.messages.create(
            to="01012345678",
            from_=FROM,
            kakao={"channel_id": channel.id, "template_id": order.id, "variables": {}},
        ),
    )
    review = templates["Awaiting review"]
    seen["kakao_template_not_approved"] = refused(
        UnprocessableEntityError,
        lambda: client.messages.create(
            to="01012345678",
            from_=FROM,
            kakao={"channel_id": channel.id, "template_id": review.id, "variables": {"name": "x"}},
        ),
    )
    brand = client.kakao.brand_templates.list(channel_id=channel.id).data[0]
    templated = client.messages.create(
        to="01012345678",
        from_=FROM,
        brand={"channel_id": channel.id, "template_id": brand.id, "variables": {"name": "Lee"}},
    )
    image = client.kakao.brand_images.upload(
        file=b"\x89PNG\r\n\x1a\n0000", filename="banner.png", bubble_type="WIDE"
    )
    listed = [i.id for i in client.kakao.brand_images.list()]
    free = client.messages.create(
        to="01012345678",
        from_=FROM,
        brand={
            "channel_id": channel.id,
            "free": {"chatBubbleType": "WIDE", "content": "New menu", "imageId": image.id},
        },
    )
    seen["messages.create.brand"] = [templated.type, templated.body, free.body, image.id in listed]
    search_id = f"compat{random.randrange(10**9)}"
    token = client.kakao.channels.request_token(
        search_id="@" + search_id, phone_number="010-2345-6789"
    )
    connected = client.kakao.channels.connect(
        search_id=token.search_id,
        phone_number="01023456789",
        category_code=category,
        token=KAKAO_CODE,
    )
    same = client.kakao.channels.connect(
        search_id=search_id, phone_number="01023456789", category_code=category, token="used"
    )
    gone = client.kakao.channels.disconnect(connected.id)
    seen["kakao.channels.connect"] = [
        token.requested,
        token.phone_number_masked,
        same.id == connected.id == gone.id,
        refused(NotFoundError, lambda: client.kakao.channels.retrieve(connected.id)),
    ]


def blocks(client: ClawOps, seen: dict[str, Any]) -> None:
    number = f"010-{random.randrange(10**4):04d}-{random.randrange(10**4):04d}"
    block = client.blocked_recipients.create(recipient=number, channel="message", note="asked")
    listed = client.blocked_recipients.list(recipient=number)
    fetched = client.blocked_recipients.retrieve(block.id)
    updated = client.blocked_recipients.update(block.id, note="called back")
    seen["recipient_blocked"] = refused(
        UnprocessableEntityError,
        lambda: client.messages.create(to=number, from_=FROM, body="x"),
    )
    released = client.blocked_recipients.release(block.id, note="opted in")
    history = client.blocked_recipients.list(recipient=number, status="released")
    seen["blocked_recipients"] = [
        block.active,
        [b.id for b in listed] == [block.id] == [fetched.id],
        updated.note,
        [released.active, released.unblocked_note],
        [b.id for b in history] == [block.id],
    ]
    seen["after_release"] = client.messages.create(to=number, from_=FROM, body="x").status


def main() -> dict[str, Any]:
    # No retries: the public package retries 409 and 5xx even for creates.
    client = ClawOps(max_retries=0)
    seen: dict[str, Any] = {"version": clawops.__version__}
    for step in (senders, texts, kakao, blocks):
        step(client, seen)
    return seen


EXPECTED: dict[str, Any] = {
    "sender_numbers.list": [FROM, "approved"],
    "from_not_registered": "from_not_registered",
    "sender_numbers.create": [FROM, "approved"],
    "sender_numbers.create_again": "sender_number_already_registered",
    "messages.create": ["sms", "lms", "mms", 1, "queued"],
    "messages.get": ["sent", FROM, "outbound"],
    "messages.list": [3, ["mms", "lms", "sms"]],
    "messages.list.type": ["lms"],
    "body_too_long": "body_too_long",
    "mixed_arguments": "TypeError",
    "kakao.channels": ["connected", True],
    "kakao.templates.list": ["Order shipped", "Verification code"],
    "messages.create.kakao": ["ata", "Hi Kim, your order A-1 has shipped."],
    "kakao_variable_missing": "kakao_variable_missing",
    "kakao_template_not_approved": "kakao_template_not_approved",
    "messages.create.brand": ["bms", "Hi Lee, new arrivals are in this week.", "New menu", True],
    "kakao.channels.connect": [True, "010-****-6789", True, "not_found"],
    "recipient_blocked": "recipient_blocked",
    "blocked_recipients": [True, True, "called back", [False, "opted in"], True],
    "after_release": "queued",
}


if __name__ == "__main__":
    result = main()
    mismatched = {
        key: [result.get(key), wanted]
        for key, wanted in EXPECTED.items()
        if result.get(key) != wanted
    }
    assert not mismatched, mismatched
    print(json.dumps(result))
