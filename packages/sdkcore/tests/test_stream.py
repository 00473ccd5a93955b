"""Streamed responses over real HTTP: SSE and NDJSON, cut streams, stalls."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sdkcore_demo import AsyncDemo, Demo, DemoConnectionError, DemoServerError, DemoTimeout

import sdkcore


def test_sse_stream_yields_payloads_until_done(client: Demo) -> None:
    with client.items.events(4) as stream:
        assert isinstance(stream, sdkcore.Stream)
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert list(stream) == [{"n": 0}, {"n": 1}, {"n": 2}, {"n": 3}]


async def test_async_sse_stream(aclient: AsyncDemo) -> None:
    stream = await aclient.items.events(3)
    async with stream:
        assert [event async for event in stream] == [{"n": 0}, {"n": 1}, {"n": 2}]


async def test_async_ndjson_stream(aclient: AsyncDemo) -> None:
    stream = await aclient.items.ndjson(5)
    assert [value["n"] async for value in stream] == [0, 1, 2, 3, 4]


def test_sync_ndjson_stream(client: Demo) -> None:
    assert [value["n"] for value in client.items.ndjson(2)] == [0, 1]


def test_stream_cut_mid_frame_raises_connection_error(client: Demo) -> None:
    stream = client.items.events(50, extra_headers={"X-Emulator-Fault": "cut_stream"})
    received: list[Any] = []

    def consume() -> None:
        for event in stream:
            received.append(event)

    with pytest.raises(DemoConnectionError):
        consume()
    assert len(received) < 50


async def test_async_stream_cut_mid_frame_raises(aclient: AsyncDemo) -> None:
    stream = await aclient.items.events(50, extra_headers={"X-Emulator-Fault": "cut_stream"})
    with pytest.raises(DemoConnectionError):
        async for _ in stream:
            pass


def test_stalled_stream_times_out(client: Demo) -> None:
    stream = client.items.events(
        3, timeout=0.3, max_retries=0, extra_headers={"X-Emulator-Fault": "stall=3"}
    )
    with pytest.raises(DemoTimeout):
        list(stream)


def test_stream_error_status_is_read_and_raised(client: Demo) -> None:
    headers = {"X-Emulator-Fault": "status=500", "X-Emulator-Fault-Key": uuid.uuid4().hex}
    with pytest.raises(DemoServerError) as info:
        client.items.events(2, max_retries=1, extra_headers=headers)
    assert info.value.body == {"error": "injected fault"} or info.value.body is not None


def test_stream_retried_before_first_byte(client: Demo) -> None:
    headers = {"X-Emulator-Fault": "status=503;times=1", "X-Emulator-Fault-Key": uuid.uuid4().hex}
    assert list(client.items.events(2, extra_headers=headers)) == [{"n": 0}, {"n": 1}]


def test_closing_a_stream_early_releases_it(client: Demo) -> None:
    stream = client.items.events(100, frame_delay=0.01)
    iterator = iter(stream)
    assert next(iterator) == {"n": 0}
    stream.close()
    assert stream.response.is_closed
