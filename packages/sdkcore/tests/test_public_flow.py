"""The flow drivers and stream drivers exported at the package root, for SDKs whose methods
make more than one request (a lookup, then the call) and still have one source for both faces."""

from __future__ import annotations

import httpx

import sdkcore


def _transport() -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/lookup":
            return httpx.Response(200, json={"next": "/target"})
        return httpx.Response(418, text="teapot")

    return httpx.MockTransport(answer)


def _two_requests(http: httpx.Client | httpx.AsyncClient) -> sdkcore.Flow[tuple[int, str]]:
    first: httpx.Response = yield sdkcore.Send(http.build_request("GET", "http://x/lookup"), False)
    target = first.json()["next"]
    second: httpx.Response = yield sdkcore.Send(
        http.build_request("POST", "http://x" + target), False
    )
    return second.status_code, second.text


def test_run_sync_drives_a_flow() -> None:
    with httpx.Client(transport=_transport()) as http:
        assert sdkcore.run_sync(_two_requests(http), http) == (418, "teapot")


async def test_run_async_drives_the_same_flow() -> None:
    async with httpx.AsyncClient(transport=_transport()) as http:
        assert await sdkcore.run_async(_two_requests(http), http) == (418, "teapot")


def test_iter_decoded_exports() -> None:
    lines = list(sdkcore.iter_decoded([b"a\r", b"\nb\n"], sdkcore.LineDecoder()))
    assert lines == ["a", "b"]


async def test_aiter_decoded_export() -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b"x\ny"
        yield b"\n"

    assert [line async for line in sdkcore.aiter_decoded(chunks(), sdkcore.LineDecoder())] == [
        "x",
        "y",
    ]
