"""Blocking calls on the pool a client makes for itself go straight to httpcore, without an
`httpx.Request`: they must send the same bytes and return the same responses as calls through
`httpx.Client.send`, over real loopback HTTP."""

from __future__ import annotations

import gzip
import json
import pickle
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sdkcore_demo import Demo, DemoConnectionError, DemoNotFound

from sdkcore._transports import _Cookies
from sdkcore._transports._httpcore import HttpcoreSender


def test_own_pool_sends_natively_and_a_given_one_does_not(demo_server: Any) -> None:
    with Demo(base_url=demo_server.url) as own, httpx.Client() as given:
        assert isinstance(own._sender, HttpcoreSender)
        with Demo(base_url=demo_server.url, http_client=given) as other:
            assert other._sender is None


def test_a_proxy_in_the_environment_keeps_calls_on_httpx(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    with Demo(base_url=demo_server.url) as client:
        assert client._sender is None


def test_same_request_and_response_as_through_httpx(demo_server: Any) -> None:
    seen: dict[str, list[Any]] = {}
    with httpx.Client() as given:
        for name, options in (("native", {}), ("httpx", {"http_client": given})):
            with Demo(base_url=demo_server.url, **options) as client:
                raw = client.items.with_raw_response
                echoes = [
                    raw.echo(query={"q": "a b", "n": [1, 2]}, extra_headers={"Accept": "x/y"}),
                    raw.echo(
                        method="POST",
                        body={"k": "ü"},
                        extra_headers={"X-Trace": "t"},
                        idempotency_key="k1",
                    ),
                    # No body: Content-Length: 0, as httpx sends.
                    raw.echo(method="POST", idempotency_key="k2"),
                ]
                response = echoes[0].http_response
                assert response.request.url == response.url
                assert response.raise_for_status() is response
                assert response.elapsed.total_seconds() >= 0
                assert response.headers["content-type"] == "application/json"
                seen[name] = [(e.status_code, e.parse(), str(e.url)) for e in echoes]
    assert seen["native"] == seen["httpx"]
    query_echo, post_echo, empty_post_echo = (row[1] for row in seen["native"])
    assert query_echo["headers"]["accept"] == "x/y"  # replaced, not sent twice
    assert json.loads(post_echo["body"]) == {"k": "ü"}
    assert empty_post_echo["headers"]["content-length"] == "0"


def test_errors_map_and_pickle_as_through_httpx(demo_server: Any) -> None:
    """(Timeouts and cut bodies on this path: test_retries, whose `client` is an own pool.)"""
    with Demo(base_url=demo_server.url) as client, pytest.raises(DemoNotFound) as info:
        client.items.get("missing")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy.response) is httpx.Response
    assert copy.response.headers == info.value.response.headers
    assert copy.request.url == info.value.request.url
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: refused
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        with Demo(base_url=url, max_retries=0) as client, pytest.raises(DemoConnectionError) as err:
            client.items.get("x")
    assert isinstance(err.value.__cause__, httpx.ConnectError)


def test_streams_arrive_as_sent(client: Demo) -> None:
    with client.items.events(3) as events:
        assert list(events) == [{"n": 0}, {"n": 1}, {"n": 2}]


@contextmanager
def gzip_server() -> Iterator[tuple[str, list[bytes]]]:
    """A keep-alive server answering every request with a gzipped item and a cookie."""
    payload = gzip.compress(json.dumps({"itemId": "x", "displayName": "zipped"}).encode())
    heads: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, connection.makefile("rb") as reader:
            while head := _read_head(reader):
                heads.append(head)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Encoding: gzip\r\nSet-Cookie: session=s1; Path=/\r\n"
                    b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    with listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", heads
    thread.join(timeout=5)


def test_the_jar_of_an_own_pool_says_whether_it_holds_cookies_as_httpx_counts_them() -> None:
    # Every call asks (a jar with cookies sends through httpx); the answer is taken from the
    # jar's domain dict while that is empty, and counted as httpx does once it is not.
    jar = _Cookies()
    assert not jar
    jar.set("session", "s1", domain="api.example")
    assert jar
    jar.jar.clear("api.example", "/", "session")  # leaves the domain's (now empty) dicts
    assert not jar
    jar.set("session", "s2", domain="api.example")
    jar.clear()
    assert not jar
    assert len(jar) == 0


def test_cookies_cleared_from_the_jar_are_not_sent_again() -> None:
    with gzip_server() as (url, heads), Demo(base_url=url) as client:
        client.items.get("x")
        client._http.cookies.clear()
        client.items.get("x")
    assert b"cookie:" not in heads[1].lower()


def _read_head(reader: Any) -> bytes:
    head = b""
    while (line := reader.readline()) not in (b"\r\n", b""):
        head += line
    return head


def test_compressed_bodies_are_decoded_and_cookies_kept() -> None:
    with gzip_server() as (url, heads), Demo(base_url=url) as client:
        first = client.items.get("x")
        second = client.items.get("x")
    assert first.display_name == second.display_name == "zipped"
    assert b"cookie: session=s1" not in heads[0].lower()
    assert b"\r\ncookie: session=s1\r\n" in heads[1].lower()
