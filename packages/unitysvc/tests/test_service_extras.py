"""A service's access plan, documents and collection membership, and cycle usage, through
the SDK over real loopback HTTP (sync, async and through Service records)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from unitysvc_fixtures import CHAT

from unitysvc import AsyncClient, Client, NotFoundError, ValidationError
from unitysvc.emulator import catalogue_id


def test_access_plan(client: Client) -> None:
    small = client.services.get(catalogue_id("chat-small"))
    plan = small.access_plan()
    assert plan.enrollment_mode == "optional"
    assert [i.base_url for i in plan.interfaces] == [f"{client.api_base_url}/p/{small.id}"]
    assert plan.channels[0].price == "0.50"
    assert [e.base_url for e in plan.routing_endpoints] == [f"{client.api_base_url}/g/llm"]
    assert plan.routing_endpoints[0].routing_key == {"model": "small"}
    byok = client.services.access_plan(catalogue_id("byok-echo"))
    assert byok.enrollment_mode == "required"
    assert byok.interfaces == []
    assert [p.name for p in byok.parameters] == ["region"]
    assert byok.channels[0].required_secrets == [{"name": "UPSTREAM_API_KEY"}]
    with pytest.raises(NotFoundError):
        client.services.access_plan(str(uuid.uuid4()))


def test_documents_list_filter_and_get(client: Client) -> None:
    small = catalogue_id("chat-small")
    listed = client.services.documents(small)
    assert listed.available_interfaces == ["canonical"]
    assert {d.category for d in listed.documents} == {"getting_started", "code_example"}
    assert all(d.content is None for d in listed.documents)
    code = client.services.documents(small, mime_type="python", include_content=True)
    (example,) = code.documents
    assert f"{client.api_base_url}/p/{small}" in (example.content or "")
    one = client.services.document(small, example.id)
    assert one.documents[0].content == example.content
    with pytest.raises(NotFoundError):
        client.services.document(small, uuid.uuid4())
    assert client.services.documents(small, category="tutorial").documents == []
    with pytest.raises(NotFoundError):
        client.services.documents(small, interface="latest")


def test_group_membership_round_trip(client: Client) -> None:
    large = client.services.get(catalogue_id("chat-large"))
    mine = client.groups.create(name="membership-test")
    before = large.group_membership()
    assert before.eligible
    favorites = next(g for g in before.groups if g.is_default)
    assert (favorites.id, favorites.member) == (None, False)
    assert not next(g for g in before.groups if g.id == mine.id).member
    after = large.set_group_membership([mine.id], include_default=True)
    default = next(g for g in after.groups if g.is_default)
    assert {g.name for g in after.groups if g.member} == {"membership-test", default.name}
    assert default.id is not None
    assert default.display_name == "Favorites"
    assert all(g.id is not None for g in after.groups)
    assert large.id in client.groups.get("membership-test").service_ids
    cleared = client.services.set_group_membership(large.id, [])
    assert not any(g.member for g in cleared.groups)
    with pytest.raises(ValidationError):
        client.services.set_group_membership(large.id, [str(uuid.uuid4())])
    with pytest.raises(TypeError):
        client.services.set_group_membership(large.id, "not-a-list")  # type: ignore[arg-type]


def test_cycle_usage_counts_dispatches(client: Client) -> None:
    client.request_logs.start()
    small = catalogue_id("chat-small")
    before = client.usage.cycle()
    client.services.dispatch(small, json={"messages": CHAT})
    client.services.dispatch(small, json={"messages": CHAT})
    after = client.usage.cycle()
    row = next(s for s in after.services if s.service_id == small)
    previous = next((s.request_count for s in before.services if s.service_id == small), 0)
    assert row.request_count == previous + 2
    assert row.success_count == row.request_count
    assert row.customer_charge == f"{row.request_count * 0.5:.2f}"
    assert after.cycle_start == date.today().replace(day=1)
    assert after.days_total >= 28
    assert client.usage.cycle(date(2020, 1, 15)).services == []
    with pytest.raises(TypeError):
        client.usage.cycle("2020-01-01")  # type: ignore[arg-type]


async def test_async_face(aclient: AsyncClient) -> None:
    svc = await aclient.services.get(catalogue_id("chat-small"))
    plan = await svc.access_plan()
    assert plan.enrollment_mode == "optional"
    docs = await svc.documents(category="getting_started", include_content=True)
    assert docs.documents[0].content is not None
    membership = await svc.group_membership()
    assert membership.service_id == svc.id
    usage = await aclient.usage.cycle()
    assert usage.currency == "USD"
