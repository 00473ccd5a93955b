"""Every example of the seed reference, against the emulator over real HTTP, sync and async.

The seed's ``...`` placeholders (``{"messages": [...]}``, ``parameters={...}``, ``handle``)
are filled in with concrete values; everything else is as written.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from unitysvc_fixtures import CHAT

from unitysvc import (
    APIError,
    AsyncClient,
    AsyncStreamingResponse,
    Client,
    Enrollment,
    Group,
    NotFoundError,
    Service,
    ServiceListPage,
    StreamingResponse,
    UnitysvcSDKError,
)


def test_groups_example(client: Client) -> None:
    llm = client.groups.get("llm")  # by name
    page = llm.services()  # active-record nav
    resp = llm.dispatch(json={"messages": CHAT})
    assert isinstance(llm, Group)
    assert isinstance(page, ServiceListPage)
    assert {s.name for s in page.data} == {"chat-small", "chat-large"}
    assert resp.status_code == 200
    assert resp.json()["choices"][0]["message"]["content"].endswith("hello from the tests")
    same = client.groups.services("llm")
    assert [s.id for s in same.data] == [s.id for s in page.data]


async def test_groups_example_async(aclient: AsyncClient) -> None:
    llm = await aclient.groups.get("llm")
    page = await llm.services()
    resp = await llm.dispatch(json={"messages": CHAT})
    assert {s.name for s in page.data} == {"chat-small", "chat-large"}
    assert resp.status_code == 200


def _service_id(client: Client, name: str = "chat-small") -> str:
    return next(s.id for s in client.groups.services("llm").data if s.name == name)


def test_services_example(client: Client) -> None:
    service_id = _service_id(client)
    svc = client.services.get(service_id)
    ifaces = svc.interfaces()  # active-record nav
    resp = svc.dispatch(json={"messages": CHAT})
    assert isinstance(svc, Service)
    assert svc.name == "chat-small"
    assert [i.name for i in ifaces] == ["default"]
    assert resp.status_code == 200
    assert client.services.dispatch(service_id, json={"messages": CHAT}).status_code == 200


async def test_services_example_async(aclient: AsyncClient, client: Client) -> None:
    service_id = _service_id(client)
    svc = await aclient.services.get(service_id)
    ifaces = await svc.interfaces()
    resp = await svc.dispatch(json={"messages": CHAT})
    assert ifaces[0].base_url
    assert resp.status_code == 200


def test_enrollments_example(client: Client) -> None:
    svc = client.services.get(_service_id(client, "chat-large"))
    enr = client.enrollments.create(
        service_id=svc.id,
        parameters={"endpoint": "https://my-host", "api_key": "sk-live-123"},
    )
    assert isinstance(enr, Enrollment)
    assert enr.status == "pending"
    # Poll for activation:
    while enr.status == "pending":
        time.sleep(0.05)
        enr = enr.refresh()
    assert enr.status == "active"
    assert enr.parameters == {"endpoint": "https://my-host", "api_key": "****"}
    assert enr.cancel().status == "cancelled"

    enr = svc.enroll(parameters={"endpoint": "https://my-host"})
    assert enr.status == "pending"
    assert enr.service_id == svc.id
    client.enrollments.cancel(enr.id)


async def test_enrollments_example_async(aclient: AsyncClient, client: Client) -> None:
    svc = await aclient.services.get(_service_id(client, "chat-large"))
    enr = await aclient.enrollments.create(service_id=svc.id, parameters={"model": "large"})
    while enr.status == "pending":
        await asyncio.sleep(0.05)
        enr = await enr.refresh()
    assert enr.status == "active"
    await enr.cancel()


def handle(seen: list[Any], parsed: Any) -> None:
    seen.append(parsed)


def test_groups_stream_example(client: Client) -> None:
    name = "llm"
    seen: list[Any] = []
    with client.groups.stream(name, json={"messages": CHAT, "stream": True}) as r:
        assert isinstance(r, StreamingResponse)
        for event in r.iter_events():
            if event.kind == "done":
                break
            handle(seen, event.parsed)
    words = "".join(chunk["choices"][0]["delta"]["content"] for chunk in seen)
    assert words.strip().endswith("hello from the tests")


def test_services_stream_example(client: Client) -> None:
    svc_id = _service_id(client)
    seen: list[Any] = []
    with client.services.stream(svc_id, json={"messages": CHAT, "stream": True}) as r:
        print(r.status_code)
        assert r.status_code == 200
        for event in r.iter_events():
            if event.kind == "done":
                break
            handle(seen, event.parsed)
    assert seen
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in seen)


async def test_stream_examples_async(aclient: AsyncClient, client: Client) -> None:
    svc_id = _service_id(client)
    seen: list[Any] = []
    async with await aclient.services.stream(svc_id, json={"messages": CHAT, "stream": True}) as r:
        assert isinstance(r, AsyncStreamingResponse)
        async for event in r.iter_events():
            if event.kind == "done":
                break
            handle(seen, event.parsed)
    async with await aclient.groups.stream("llm", json={"messages": CHAT, "stream": True}) as r:
        kinds = [event.kind async for event in r.iter_events()]
    assert seen
    assert kinds[-1] == "done"
    assert set(kinds[:-1]) == {"sse"}


def test_exceptions_example(client: Client) -> None:
    caught = []
    for call in (client.secrets.list, lambda: client.secrets.get("NOT_THERE")):
        try:
            call()
            caught.append("ok")
        except NotFoundError:
            caught.append("not found")
        except UnitysvcSDKError:
            caught.append("other")
    assert caught == ["ok", "not found"]
    with pytest.raises(APIError) as info:
        client.secrets.get("NOT_THERE")
    assert info.value.status_code == 404
    assert info.value.detail == {"detail": "secret not found"}
    assert info.value.response_body == b'{"detail":"secret not found"}'
    assert str(info.value) == "API request failed with status 404"


def test_wrapper_examples(client: Client) -> None:
    body = {"messages": CHAT}
    svc = client.services.get(_service_id(client))
    first = svc.cached(ttl="1h").logged().dispatch(json=body)
    second = svc.cached(ttl="1h").logged().dispatch(json=body)
    assert first.status_code == second.status_code == 200
    assert (first.headers["x-unitysvc-cache"], second.headers["x-unitysvc-cache"]) == (
        "miss",
        "hit",
    )
    assert first.json() == second.json()
    grp = client.groups.get("llm")
    assert grp.cached(ttl="1h").dispatch(json=body).status_code == 200


async def test_wrapper_examples_async(aclient: AsyncClient) -> None:
    grp = await aclient.groups.get("llm")
    resp = await grp.cached(ttl="5m").logged(complete=True).dispatch(json={"messages": CHAT})
    assert resp.status_code == 200


def test_resolve_example(client: Client) -> None:
    result = client.resolve(path="g/llm", routing_key={"model": "large"})
    assert [c.service_name for c in result.candidates] == ["chat-large"]
    assert result.selected is not None
    assert result.selected.service_name == "chat-large"
    assert result.routing_strategy == "weighted"


async def test_resolve_example_async(aclient: AsyncClient) -> None:
    result = await aclient.resolve(path="g/llm", strategy="by_price")
    assert result.selected is not None
    assert result.selected.service_name == "chat-small"
    assert len(result.candidates) == 2
