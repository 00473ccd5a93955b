"""The async transports: how one is chosen, and the same behaviour on aiohttp's pool and on
httpx's own, over real loopback HTTP (the demo app, or a bare socket server where the bytes on
the wire are the point)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from sdkcore_demo import PROFILE, AsyncDemo, DemoConnectionError, DemoTimeout

import sdkcore
from sdkcore._transports import AutoTransport, own_async_client
from sdkcore.emulator import fault_headers

TRANSPORTS = ["native", "aiohttp", "httpx"]
"""``native``: the pool the client makes for itself, whose calls reach aiohttp without an
`httpx.Request`; ``aiohttp``/``httpx``: a pool given as `http_client` (every call through
`httpx.AsyncClient.send`)."""


def chosen(client: sdkcore.AsyncAPIClient) -> str | None:
    """Which transport the client's own httpx client picked."""
    transport = client._http._transport
    assert isinstance(transport, AutoTransport)
    return transport.chosen


@asynccontextmanager
async def demo_on(
    transport: str, url: str, limits: httpx.Limits = PROFILE.limits, **options: Any
) -> AsyncIterator[AsyncDemo]:
    """A demo client forced onto `transport`."""
    if transport == "native":
        client = AsyncDemo(base_url=url, **options)
        if limits != PROFILE.limits:  # as a profile with these limits would make it
            await client._http.aclose()
            client._profile = dataclasses.replace(PROFILE, limits=limits)
            client._http, client._sender = own_async_client(timeout=client.timeout, limits=limits)
        async with client:
            yield client
        return
    async with (
        sdkcore.async_http_client(transport=transport, limits=limits) as http,  # type: ignore[arg-type]
        AsyncDemo(base_url=url, http_client=http, **options) as client,
    ):
        yield client


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    """Each transport in turn."""
    name: str = request.param
    return name


@pytest.fixture(params=TRANSPORTS[1:])
def pool(request: pytest.FixtureRequest) -> str:
    """Each pool `async_http_client` can make, used as a plain `httpx.AsyncClient`."""
    name: str = request.param
    return name


# -- choosing -------------------------------------------------------------------------------


def test_importing_sdkcore_or_making_a_client_does_not_import_aiohttp() -> None:
    code = (
        "import sys, sdkcore, clawops\n"
        "from sdkcore_demo import AsyncDemo\n"
        "AsyncDemo(base_url='http://127.0.0.1:9')\n"
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent)


async def test_default_is_aiohttp_on_asyncio(demo_server: Any) -> None:
    async with AsyncDemo(base_url=demo_server.url) as client:
        assert chosen(client) is None  # nothing chosen before the first request
        assert (await client.items.get("it_001")).item_id == "it_001"
        assert chosen(client) == "aiohttp"


async def test_without_aiohttp_falls_back_to_httpx(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A None entry in sys.modules makes the import raise ImportError, as if not installed.
    monkeypatch.setitem(sys.modules, "sdkcore._transports._aiohttp", None)
    async with AsyncDemo(base_url=demo_server.url) as client:
        assert (await client.items.get("it_001")).item_id == "it_001"
        assert chosen(client) == "httpx"
    async with sdkcore.async_http_client(transport="aiohttp") as http:
        with pytest.raises(RuntimeError, match=r"sdkcore\[aiohttp\]"):
            await http.get(f"{demo_server.url}/items/it_001")


def test_trio_uses_httpx_pool(demo_server: Any) -> None:
    pytest.importorskip("trio")

    async def main() -> str | None:
        async with AsyncDemo(base_url=demo_server.url) as client:
            assert (await client.items.get("it_002")).item_id == "it_002"
            return chosen(client)

    assert anyio.run(main, backend="trio") == "httpx"


async def test_explicit_http_client_wins(demo_server: Any) -> None:
    async with httpx.AsyncClient() as http:
        async with AsyncDemo(base_url=demo_server.url, http_client=http) as client:
            assert client._http is http
            assert (await client.items.get("it_001")).item_id == "it_001"
        assert not http.is_closed  # the caller's client: the SDK leaves it open


async def test_unknown_transport_is_refused() -> None:
    with pytest.raises(ValueError, match="transport must be"):
        sdkcore.async_http_client(transport="curl")  # type: ignore[arg-type]


# -- the same behaviour on both --------------------------------------------------------------


async def test_per_request_read_timeout(transport: str, demo_server: Any) -> None:
    async with demo_on(transport, demo_server.url) as client:
        with pytest.raises(DemoTimeout):
            await client.items.get(
                "it_001", timeout=0.2, max_retries=0, extra_headers=fault_headers("delay=2")
            )
        slow = client.with_options(timeout=0.2)
        with pytest.raises(DemoTimeout):
            await slow.items.get("it_001", max_retries=0, extra_headers=fault_headers("delay=2"))
        # A longer per-request timeout overrides the client's short one.
        item = await slow.items.get("it_001", timeout=5, extra_headers=fault_headers("delay=0.4"))
        assert item.item_id == "it_001"


async def test_stalled_stream_times_out(transport: str, demo_server: Any) -> None:
    async with demo_on(transport, demo_server.url) as client:
        stream = await client.items.events(
            3, timeout=0.3, max_retries=0, extra_headers=fault_headers("stall=3")
        )
        with pytest.raises(DemoTimeout):
            async for _ in stream:
                pass


async def test_pool_timeout_and_early_close_releases(transport: str, demo_server: Any) -> None:
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with demo_on(transport, demo_server.url, limits=one) as client:
        stream = await client.items.events(100, frame_delay=0.01)
        iterator = stream.__aiter__()
        assert await iterator.__anext__() == {"n": 0}
        # The only connection is busy: waiting for it ends at the pool timeout.
        with pytest.raises(DemoTimeout):
            await client.items.get("it_001", timeout=httpx.Timeout(5, pool=0.2), max_retries=0)
        await stream.close()
        assert (await client.items.get("it_001", timeout=2)).item_id == "it_001"


async def test_reset_on_unsafe_post_is_not_retried(
    transport: str, demo_server: Any, journal: Any
) -> None:
    async with demo_on(transport, demo_server.url) as client:
        with pytest.raises(DemoConnectionError) as info:
            await client.items.echo(
                method="POST", body={}, safe=False, extra_headers=fault_headers("reset;times=1")
            )
        assert not isinstance(info.value, DemoTimeout)
        item = await client.items.get("it_003", extra_headers=fault_headers("reset;times=1"))
        assert item.item_id == "it_003"
    assert [e.path for e in journal.entries] == ["/echo", "/items/it_003", "/items/it_003"]


async def test_truncated_body_is_a_connection_error(transport: str, demo_server: Any) -> None:
    async with demo_on(transport, demo_server.url) as client:
        with pytest.raises(DemoConnectionError) as info:
            await client.items.get("it_001", max_retries=0, extra_headers=fault_headers("truncate"))
        assert not isinstance(info.value, DemoTimeout)


async def test_connection_refused_and_dns_failure(transport: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        async with demo_on(transport, f"http://127.0.0.1:{port}", max_retries=1) as client:
            with pytest.raises(DemoConnectionError) as info:
                await client.items.get("x")
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    async with demo_on(
        transport, "http://sdkcore-test.invalid", max_retries=0, allow_insecure_http=True
    ) as client:
        with pytest.raises(DemoConnectionError) as info:
            await client.items.get("x")
    assert isinstance(info.value.__cause__, httpx.ConnectError)


# -- bytes on the wire: a bare HTTP/1.1 server -------------------------------------------------


@dataclass
class Wire:
    """What a bare server received: request heads and bodies, connections opened, the most
    connections open at once."""

    heads: list[bytes] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    connections: int = 0
    open_now: int = 0
    most_open: int = 0


async def _read_body(reader: asyncio.StreamReader, head: bytes) -> bytes:
    lines = head.lower().split(b"\r\n")
    for line in lines:
        if line.startswith(b"content-length:"):
            return await reader.readexactly(int(line.split(b":")[1]))
    if b"transfer-encoding: chunked" not in lines:
        return b""
    body = b""
    while size := int((await reader.readline()).strip(), 16):
        body += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return body


Answer = Callable[[bytes, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def serving(answer: Answer, wire: Wire | None = None) -> AsyncIterator[str]:
    """A keep-alive HTTP/1.1 server on loopback that has `answer` write the response to each
    request head, counting connections in `wire` when given; yields its URL."""
    counts = Wire() if wire is None else wire

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        counts.connections += 1
        counts.open_now += 1
        counts.most_open = max(counts.most_open, counts.open_now)
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                await answer(head, reader, writer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            counts.open_now -= 1
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


@asynccontextmanager
async def bare_server(delay: float = 0.0) -> AsyncIterator[tuple[str, Wire]]:
    """A keep-alive HTTP/1.1 server answering every request with ``ok`` after `delay` (and a
    session cookie for ``/login``; a HEAD gets the same head without the body)."""
    wire = Wire()

    async def answer(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        wire.heads.append(head)
        wire.bodies.append(await _read_body(reader, head))
        await asyncio.sleep(delay)
        cookie = b"Set-Cookie: session=s1; Path=/\r\n" if b" /login " in head else b""
        body = b"" if head.startswith(b"HEAD ") else b"ok"
        writer.write(b"HTTP/1.1 200 OK\r\n" + cookie + b"Content-Length: 2\r\n\r\n" + body)

    async with serving(answer, wire) as url:
        yield url, wire


async def test_headers_bodies_cookies_and_keep_alive_on_the_wire(pool: str) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"part one, "
        yield b"part two"

    async with (
        bare_server() as (url, wire),
        sdkcore.async_http_client(transport=pool) as http,  # type: ignore[arg-type]
    ):
        headers = [("X-Multi", "a"), ("X-Multi", "b"), ("X-CamelCase", "Yes")]
        assert (await http.post(url + "/a%2Fb?q=1", content=b"exact", headers=headers)).text == "ok"
        assert (await http.post(url + "/stream", content=chunks())).text == "ok"
        await http.get(url + "/login")
        await http.get(url + "/after")
    first = wire.heads[0].decode()
    assert first.startswith("POST /a%2Fb?q=1 HTTP/1.1\r\n")
    assert "X-Multi: a\r\n" in first
    assert "X-Multi: b\r\n" in first
    assert "X-CamelCase: Yes\r\n" in first
    assert wire.bodies[:2] == [b"exact", b"part one, part two"]
    assert b"\r\ncookie: session=s1\r\n" in wire.heads[3].lower()  # the jar kept the cookie
    assert wire.connections == 1  # every request reused the first one's connection


async def test_head_credentials_in_the_url_and_other_schemes(pool: str) -> None:
    async with (
        bare_server() as (url, wire),
        sdkcore.async_http_client(transport=pool, timeout=5) as http,  # type: ignore[arg-type]
    ):
        head = await http.head(url + "/head")
        assert (head.status_code, head.content) == (200, b"")
        # The response after a HEAD on the same connection is framed from its own head.
        assert (await http.get(url.replace("//", "//u:p@") + "/auth")).text == "ok"
        with pytest.raises(httpx.UnsupportedProtocol):
            await http.get("ftp://127.0.0.1/file")
    assert b"\r\nauthorization: basic dtpw\r\n" in wire.heads[1].lower()  # base64 of u:p
    assert wire.connections == 1


async def test_max_connections_caps_connections(pool: str) -> None:
    two = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    async with (
        bare_server(delay=0.05) as (url, wire),
        sdkcore.async_http_client(transport=pool, limits=two) as http,  # type: ignore[arg-type]
    ):
        responses = await asyncio.gather(*(http.get(f"{url}/{i}") for i in range(8)))
    assert [r.text for r in responses] == ["ok"] * 8
    assert wire.most_open == 2


async def test_hang_up_on_a_reused_connection_is_retried_at_once(
    transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The server reads each kept-alive connection's second request, then hangs up without
    answering (as a server closing an idle connection just as the client reuses it): the
    first retry goes out at once, not after the backoff, and counts as a retry."""
    wire = Wire()
    answered: set[asyncio.StreamWriter] = set()

    async def once_per_connection(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        wire.heads.append(b" ".join(head.split(b" ")[:2]))
        await _read_body(reader, head)
        if writer in answered:
            writer.transport.abort()
            return
        answered.add(writer)
        body = b'{"itemId": "a"}'
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))

    caplog.set_level(logging.DEBUG, logger="demo")
    async with (
        serving(once_per_connection, wire) as url,
        demo_on(transport, url, max_retries=2) as client,
    ):
        assert (await client.items.get("a")).item_id == "a"
        raw = await client.items.with_raw_response.get("a")
        created = await client.items.with_raw_response.create("b")
    assert (raw.parse().item_id, raw.retries_taken) == ("a", 1)
    assert (created.parse().item_id, created.retries_taken) == ("a", 1)
    assert wire.heads == [b"GET /items/a"] * 3 + [b"POST /items"] * 2
    assert wire.connections == 3
    retried = [r.getMessage() for r in caplog.records if "retrying in" in r.getMessage()]
    assert len(retried) == 2
    assert all(message.endswith("retrying in 0.00 s") for message in retried)


async def _trickle(head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer ``/<gap>/<n>``: the head at once, then a body of `n` bytes one at a time, each
    `gap` seconds after the last."""
    gap, n = head.split(b" ")[1].strip(b"/").split(b"/")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: " + n + b"\r\n\r\n")
    for _ in range(int(n)):
        await writer.drain()
        await asyncio.sleep(float(gap))
        writer.write(b"x")


async def test_read_timeout_bounds_each_wait_not_the_whole_body(pool: str) -> None:
    """httpx's read timeout on both pools: a body trickling in for longer than the timeout
    arrives whole while no gap reaches it, on a new connection or a reused one; a gap that
    reaches it fails the read, also when a reused connection's last timeout was longer."""
    async with (
        serving(_trickle) as url,
        sdkcore.async_http_client(transport=pool, timeout=httpx.Timeout(5, read=0.3)) as http,
    ):
        # The connection's first timer waits 30 s; the next request's 0.3 s must still hold.
        assert (await http.get(f"{url}/0.01/2", timeout=30)).content == b"xx"
        started = asyncio.get_running_loop().time()
        with pytest.raises(httpx.ReadTimeout):
            await http.get(f"{url}/3/2")
        assert asyncio.get_running_loop().time() - started < 2.5
        for _ in range(2):
            assert (await http.get(f"{url}/0.1/6")).content == b"x" * 6
        async with http.stream("GET", f"{url}/0.1/4") as response:
            assert await response.aread() == b"xxxx"
        async with http.stream("GET", f"{url}/3/2", timeout=httpx.Timeout(5, read=0.2)) as slow:
            with pytest.raises(httpx.ReadTimeout):
                await slow.aread()


async def _large(head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer with 8 MiB at once: more than the client buffers before it stops reading."""
    size = 8 * 1024 * 1024
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: " + str(size).encode() + b"\r\n\r\n")
    writer.write(b"x" * size)


async def test_a_slow_reader_is_not_a_read_timeout(pool: str) -> None:
    """The read timeout times the server, not the caller: a stream whose reader dawdles for
    longer than the timeout between chunks (so the pool stops reading the socket) completes."""
    timeout = httpx.Timeout(5, read=0.3)
    async with (
        serving(_large) as url,
        sdkcore.async_http_client(transport=pool, timeout=timeout) as http,  # type: ignore[arg-type]
        http.stream("GET", url) as response,
    ):
        received = 0
        async for chunk in response.aiter_raw():
            if not received:
                await asyncio.sleep(0.8)
            received += len(chunk)
    assert received == 8 * 1024 * 1024


async def test_client_pool_limits_come_from_the_profile() -> None:
    async with AsyncDemo(base_url="http://127.0.0.1:9") as client:
        transport = client._http._transport
        assert isinstance(transport, AutoTransport)
        assert transport._limits == PROFILE.limits


async def test_native_calls_send_and_return_what_httpx_send_does(demo_server: Any) -> None:
    """The same calls through the client's own pool and through `httpx.AsyncClient.send` on
    the same aiohttp transport: the same bytes reach the server, the same responses come back,
    and the responses made without an `httpx.Request` still give one (and the rest of httpx's
    response API) on demand."""
    seen: dict[str, list[Any]] = {}
    for transport in ("native", "aiohttp"):
        async with demo_on(transport, demo_server.url) as client:
            raw = client.items.with_raw_response
            created = await raw.create("Widget ü", extra_headers={"X-Trace": "t1"})
            echoed = await raw.echo(query={"q": "a b", "flag": True, "n": [1, 2]})
            response = created.http_response
            assert response.request.method == "POST"
            assert response.request.headers["x-trace"] == "t1"
            assert response.url == response.request.url
            assert response.raise_for_status() is response
            assert response.elapsed.total_seconds() >= 0
            assert response.headers["content-type"] == "application/json"
            assert response.is_closed
            assert response.is_stream_consumed
            seen[transport] = [
                (r.status_code, r.http_response.request.url, r.parse()) for r in (created, echoed)
            ]
    native, through_httpx = seen["native"], seen["aiohttp"]
    assert [row[:2] for row in native] == [row[:2] for row in through_httpx]
    assert native[1][2] == through_httpx[1][2]  # what the server received: the same request
    assert native[1][2]["query"] == "q=a+b&flag=true&n=1&n=2"
    assert native[0][2].display_name == through_httpx[0][2].display_name == "Widget ü"


async def test_native_calls_decompress_and_keep_cookies() -> None:
    """A compressed body is decoded as httpx decodes it; a Set-Cookie is kept and sent back, as
    the client's cookie jar does on the httpx path."""
    import gzip
    import json as json_module

    payload = gzip.compress(json_module.dumps({"itemId": "x", "displayName": "zipped"}).encode())
    heads: list[bytes] = []

    async def zipped(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        heads.append(head)
        await _read_body(reader, head)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Encoding: gzip\r\nSet-Cookie: session=s1; Path=/\r\n"
            b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload
        )

    async with serving(zipped) as url, demo_on("native", url) as client:
        first = await client.items.get("x")
        second = await client.items.get("x")
    assert first.display_name == second.display_name == "zipped"
    assert chosen(client) == "aiohttp"
    assert b"cookie: session=s1" not in heads[0].lower()
    assert b"\r\ncookie: session=s1\r\n" in heads[1].lower()


async def test_native_responses_pickle_inside_errors(demo_server: Any) -> None:
    import pickle

    from sdkcore_demo import DemoNotFound

    async with demo_on("native", demo_server.url) as client:
        with pytest.raises(DemoNotFound) as info:
            await client.items.get("missing")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy.response) is httpx.Response
    assert copy.response.status_code == 404
    assert copy.response.headers == info.value.response.headers
    assert copy.request.url == info.value.request.url
    assert copy.response.elapsed == info.value.response.elapsed


async def test_pool_slots_are_never_lost() -> None:
    """Waiters that time out or are cancelled while slots are handed over leave every slot
    usable: afterwards all of them can be held at once, and one more still waits."""
    from sdkcore._transports._aiohttp import _Slots

    slots = _Slots(3)
    assert all(slots.take() for _ in range(3))

    async def waiter(patience: float) -> bool:
        try:
            await slots.wait(patience)
        except httpx.PoolTimeout:
            return False
        await asyncio.sleep(0)
        slots.release()
        return True

    # Patience 0 always times out and 30 s always outlasts the releases below, however slow
    # the machine: both outcomes happen on every run; 0.01 and 0.02 race the releases.
    patience = (0.0, 0.01, 0.02, 30.0)
    tasks = [asyncio.ensure_future(waiter(patience[i % 4])) for i in range(12)]
    await asyncio.sleep(0.015)
    tasks[-1].cancel()
    for _ in range(3):
        slots.release()
        await asyncio.sleep(0.005)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert any(result is True for result in results)
    assert any(result is False for result in results)
    held = 0
    while slots.take():
        held += 1
    for _ in range(3 - held):
        await slots.wait(0.1)  # the rest are handed over at once
    with pytest.raises(httpx.PoolTimeout):
        await slots.wait(0.01)
