"""Page-number, cursor and offset paging on both faces, fetched lazily."""

from __future__ import annotations

from typing import Any

import pytest
from sdkcore_demo import ITEMS, AsyncDemo, Demo

import sdkcore

ALL_IDS = [item["itemId"] for item in ITEMS]


@pytest.mark.parametrize("listing", ["numbered", "cursored", "offset"])
def test_sync_auto_paging_visits_every_item_once(client: Demo, listing: str) -> None:
    first = getattr(client.items, listing)(10)
    assert isinstance(first, sdkcore.SyncPage)
    assert len(first) == 10
    assert first.has_next_page()
    assert [item.item_id for item in first.auto_paging_iter()] == ALL_IDS


@pytest.mark.parametrize("listing", ["numbered", "cursored", "offset"])
async def test_async_auto_paging_visits_every_item_once(aclient: AsyncDemo, listing: str) -> None:
    first = await getattr(aclient.items, listing)(20)
    assert isinstance(first, sdkcore.AsyncPage)
    assert [item.item_id async for item in first.auto_paging_iter()] == ALL_IDS
    assert [item.item_id for item in first] == ALL_IDS[:20]


def test_pages_are_fetched_lazily(client: Demo, journal: Any) -> None:
    iterator = client.items.numbered(10).auto_paging_iter()
    for _ in range(10):
        next(iterator)
    assert sum(1 for e in journal.entries if e.path == "/numbered") == 1
    next(iterator)
    assert sum(1 for e in journal.entries if e.path == "/numbered") == 2


def test_next_page_repeats_the_query_with_the_next_page(client: Demo, journal: Any) -> None:
    first = client.items.numbered(25)
    second = first.next_page()
    assert journal.last().query == "pageSize=25&page=1"
    third = second.next_page()
    assert [i.item_id for i in third] == ALL_IDS[50:]
    assert not third.has_next_page()
    with pytest.raises(RuntimeError, match="No next page"):
        third.next_page()
    assert third.envelope["meta"]["page"] == 2
    # Validated from the body's bytes, the page still shows the body as the server sent it.
    assert third.envelope["data"][0] == next(i for i in ITEMS if i["itemId"] == ALL_IDS[50])
    assert "has_next=False" in repr(third)


async def test_async_next_page_and_iter_pages(aclient: AsyncDemo) -> None:
    first = await aclient.items.cursored(30)
    pages = [page async for page in first.iter_pages()]
    assert [len(page) for page in pages] == [30, 27]
    with pytest.raises(RuntimeError):
        await pages[-1].next_page()


def test_page_strategies_without_network() -> None:
    numbered = sdkcore.PageNumberPagination()
    envelope = {"data": [1], "meta": {"total": 1, "page": 0, "pageSize": 20}}
    assert numbered.next_query({}, envelope) is None
    empty = {"data": [], "meta": {"total": 50, "page": 9, "pageSize": 20}}
    assert numbered.next_query({}, empty) is None
    cursor = sdkcore.CursorPagination()
    assert cursor.next_query({}, {"data": [1], "next_cursor": "c", "has_more": False}) is None
    assert cursor.next_query({}, {"data": [1], "next_cursor": "c"}) == {"cursor": "c"}
    offset = sdkcore.OffsetPagination()
    assert offset.next_query({"skip": 0, "limit": 2}, {"data": [1, 2], "count": 2}) is None
    assert offset.next_query({"limit": 2}, {"data": [1, 2]}) == {"skip": 2, "limit": 2}


def test_raw_response_of_a_page(client: Demo) -> None:
    raw = client.items.with_raw_response.numbered(5)
    page = raw.parse()
    assert isinstance(page, sdkcore.SyncPage)
    assert len(page.data) == 5


def test_paging_key_in_extra_query_does_not_pin_every_page(client: Demo) -> None:
    first = client.items.numbered(10, extra_query={"page": 4})
    assert [item.item_id for item in first] == ALL_IDS[40:50]
    assert [item.item_id for item in first.auto_paging_iter()] == ALL_IDS[40:]


def test_server_ignoring_the_page_ends_paging() -> None:
    strategy = sdkcore.PageNumberPagination()
    stuck = {"data": [1], "meta": {"total": 50, "page": 0, "pageSize": 1}}
    assert strategy.next_query({"page": 3}, stuck) is None
    assert strategy.next_query({"page": 0}, stuck) == {"page": 1, "pageSize": 1}


def test_one_pass_page_rejects_a_bad_item_with_the_decoded_body(client: Demo) -> None:
    with pytest.raises(sdkcore.APIResponseValidationError, match="expected schema") as info:
        client.items.numbered(10, extra_query={"broken": "1"})
    assert isinstance(info.value.body, dict)


def test_page_cast_needs_a_model_item_and_an_items_path() -> None:
    factory = sdkcore.PageFactory(
        sdkcore.PageNumberPagination(), lambda raw: raw, sdkcore.SyncPage, sdkcore.AsyncPage
    )
    with pytest.raises(TypeError, match="model class"):
        _ = factory.cast
