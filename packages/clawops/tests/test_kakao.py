"""`kakao` over real loopback HTTP against the emulator: channels (connect in two steps,
retrieve, disconnect), templates, brand templates, brand images and categories."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from clawops import (
    AsyncClawOps,
    ClawOps,
    ConflictError,
    NotFoundError,
    UnprocessableEntityError,
)
from clawops.emulator import DEMO_KAKAO_TOKEN, ClawOpsEmulator, demo_channel_id

ACCOUNT = "AC_kakao"
OTHER = "AC_kakao_other"
PHONE = "010-2345-6789"
CATEGORY = "00100010001"


@pytest.fixture(scope="module")
def emulator() -> Iterator[ClawOpsEmulator]:
    """An emulator with two accounts, each with its demo channel."""
    with ClawOpsEmulator(account_ids=(ACCOUNT, OTHER)) as emu:
        yield emu


def fresh_search_id() -> str:
    return f"shop{random.randrange(10**9)}"


def connect(client: ClawOps, search_id: str, token: str = DEMO_KAKAO_TOKEN) -> str:
    requested = client.kakao.channels.request_token(search_id="@" + search_id, phone_number=PHONE)
    assert (requested.requested, requested.search_id) == (True, search_id)
    assert requested.phone_number_masked == "010-****-6789"
    channel = client.kakao.channels.connect(
        search_id=search_id, phone_number=PHONE, category_code=CATEGORY, token=token
    )
    return channel.id


def test_demo_channel_and_its_templates(client: ClawOps) -> None:
    channels = client.kakao.channels.list()
    assert [c.id for c in channels] == [demo_channel_id(ACCOUNT)]
    assert channels.data[0].status == "connected"
    templates = client.kakao.templates.list(channel_id=channels.data[0].id, page_size=2)
    assert templates.meta.total == 4
    every = list(templates.auto_paging_iter())
    assert {t.name: t.sendable for t in every} == {
        "Order shipped": True,
        "Verification code": True,
        "Awaiting review": False,
        "Dormant notice": False,
    }
    order = next(t for t in every if t.name == "Order shipped")
    assert order.variables == ["name", "order_id"]
    brand = client.kakao.brand_templates.list(channel_id=channels.data[0].id)
    assert [(t.chat_bubble_type, t.variables) for t in brand] == [("TEXT", ["name"])]


def test_a_raw_kakao_view_has_raw_children(client: ClawOps) -> None:
    raw = client.kakao.with_raw_response
    listed = raw.channels.list()
    assert listed.status_code == 200
    assert listed.parse().data[0].id == demo_channel_id(ACCOUNT)
    assert raw.channel_categories().parse().data
    assert client.kakao.channels.list().data[0].id == demo_channel_id(ACCOUNT)


def test_connect_retrieve_disconnect(client: ClawOps) -> None:
    search_id = fresh_search_id()
    channel_id = connect(client, search_id)
    again = client.kakao.channels.with_raw_response.connect(
        search_id=search_id, phone_number=PHONE, category_code=CATEGORY, token="anything"
    )
    assert again.status_code == 200
    assert again.parse().id == channel_id
    retrieved = client.kakao.channels.retrieve(channel_id)
    assert (retrieved.search_id, retrieved.synced_at is not None) == (search_id, True)
    assert channel_id in [c.id for c in client.kakao.channels.list(status="all")]
    assert client.kakao.templates.list(channel_id=channel_id).meta.total == 0
    gone = client.kakao.channels.disconnect(channel_id)
    assert gone.id == channel_id
    with pytest.raises(NotFoundError):
        client.kakao.channels.retrieve(channel_id)
    with pytest.raises(NotFoundError):
        client.kakao.templates.list(channel_id=channel_id)


def test_wrong_code_is_refused_and_used_up(client: ClawOps) -> None:
    search_id = fresh_search_id()
    with pytest.raises(UnprocessableEntityError) as info:
        connect(client, search_id, token="000000")
    assert info.value.code == "KAKAO_TOKEN_INVALID"
    with pytest.raises(UnprocessableEntityError):
        client.kakao.channels.connect(
            search_id=search_id, phone_number=PHONE, category_code=CATEGORY, token=DEMO_KAKAO_TOKEN
        )


def test_a_channel_of_another_account_conflicts(client: ClawOps) -> None:
    search_id = fresh_search_id()
    connect(client, search_id)
    other = client.accounts(OTHER).kakao.channels
    other.request_token(search_id=search_id, phone_number=PHONE)
    with pytest.raises(ConflictError) as info:
        other.connect(
            search_id=search_id, phone_number=PHONE, category_code=CATEGORY, token=DEMO_KAKAO_TOKEN
        )
    assert info.value.code == "KAKAO_CHANNEL_ALREADY_LINKED"


def test_categories_and_argument_checks(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    categories = client.kakao.channel_categories()
    assert CATEGORY in [c.code for c in categories.data]
    assert categories.meta.cached is False
    emulator.journal.clear()
    with pytest.raises(ValueError, match="status"):
        client.kakao.channels.list(status="gone")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="channel_id"):
        client.kakao.templates.list(channel_id=" ")
    with pytest.raises(ValueError, match="bubble_type"):
        client.kakao.brand_images.upload(file=b"x", filename="a.png", bubble_type="TEXT")
    with pytest.raises(TypeError, match="file"):
        client.kakao.brand_images.upload(file="x", filename="a.png", bubble_type="WIDE")  # type: ignore[arg-type]
    assert emulator.journal.entries == []


def test_brand_images_upload_as_multipart(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    uploaded = client.kakao.brand_images.upload(
        file=b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        filename='wide "banner".png',
        bubble_type="WIDE_ITEM_LIST",
        slot="sub",
    )
    request = emulator.journal.entries[-1]
    assert (request.header("content-type") or "").startswith("multipart/form-data; boundary=")
    assert bytes(range(256)) in request.body
    listed = client.kakao.brand_images.list()
    image = next(i for i in listed if i.id == uploaded.id)
    assert (image.bubble_type, image.slot, image.name) == (
        "WIDE_ITEM_LIST",
        "sub",
        "wide %22banner%22.png",
    )


async def test_async_channels_and_templates(aclient: AsyncClawOps) -> None:
    search_id = fresh_search_id()
    await aclient.kakao.channels.request_token(search_id=search_id, phone_number=PHONE)
    channel = await aclient.kakao.channels.connect(
        search_id=search_id, phone_number=PHONE, category_code=CATEGORY, token=DEMO_KAKAO_TOKEN
    )
    assert (await aclient.kakao.channels.retrieve(channel.id)).id == channel.id
    page = await aclient.kakao.channels.list(page_size=1)
    assert len([c async for c in page.auto_paging_iter()]) == page.meta.total
    templates = await aclient.kakao.templates.list(channel_id=demo_channel_id(ACCOUNT))
    assert templates.meta.total == 4
    brand = await aclient.kakao.brand_templates.list(channel_id=demo_channel_id(ACCOUNT))
    assert brand.meta.total == 1
    image = await aclient.kakao.brand_images.upload(
        file=b"img", filename="a.jpg", bubble_type="IMAGE"
    )
    assert image.id in [i.id for i in await aclient.kakao.brand_images.list(page_size=100)]
    assert (await aclient.kakao.channel_categories()).data
    raw = await aclient.kakao.with_raw_response.channel_categories()
    assert raw.status_code == 200
    assert (await aclient.kakao.channels.disconnect(channel.id)).id == channel.id
