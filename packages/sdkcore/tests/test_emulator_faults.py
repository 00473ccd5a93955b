"""Fault injection, driven over real HTTP through `serve`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from sdkcore.emulator import (
    Fault,
    FaultInjector,
    FaultRule,
    Journal,
    ServerHandle,
    connection_for,
    fault_headers,
    install_error_handlers,
    install_faults,
    install_journal,
    parse_fault_header,
    serve,
)

FRAMES = [f"data: frame {index} {'x' * 20}\n\n".encode() for index in range(4)]


def error_body(status: int, message: str, details: Any) -> dict[str, Any]:
    """The test API's error shape."""
    return {"error": {"status": status, "message": message}}


def create_app() -> FastAPI:
    """Items, a counter with side effects and an SSE stream, behind an app middleware."""
    app = FastAPI()
    install_error_handlers(app, error_body)
    install_faults(app)
    install_journal(app)
    counter = {"value": 0}

    # Added after the kit's middleware, like an emulator's auth check: must stay inside it.
    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.headers.get("x-deny"):
            return JSONResponse({"denied": True}, status_code=401)
        response = await call_next(request)
        response.headers["x-guarded"] = "1"
        return response

    @app.get("/items/{item_id}")
    def get_item(item_id: int) -> dict[str, Any]:
        return {"id": item_id, "name": "an item with a reasonably long name"}

    @app.post("/counter")
    def bump() -> dict[str, int]:
        counter["value"] += 1
        return counter

    @app.get("/counter")
    def read_counter() -> dict[str, int]:
        return counter

    @app.get("/events")
    async def events() -> StreamingResponse:
        async def frames() -> AsyncIterator[bytes]:
            for frame in FRAMES:
                yield frame
                await asyncio.sleep(0)

        return StreamingResponse(frames(), media_type="text/event-stream")

    return app


@pytest.fixture(scope="module")
def app() -> FastAPI:
    """One app per module; its fault rules are cleared around each test."""
    return create_app()


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[ServerHandle]:
    """The app served on a free loopback port."""
    with serve(app) as handle:
        yield handle


@pytest.fixture
def faults(app: FastAPI) -> Iterator[FaultInjector]:
    """The app's fault injector, without rules or counters."""
    injector: FaultInjector = app.state.faults
    injector.clear()
    yield injector
    injector.clear()


@pytest.fixture
def client(server: ServerHandle, faults: FaultInjector) -> Iterator[httpx.Client]:
    """A fresh client per test, so a dropped connection cannot leak into the next test."""
    with httpx.Client(base_url=server.url, timeout=5) as http:
        yield http


def fault(spec: str, key: str | None = None) -> dict[str, str]:
    """Request headers selecting the fault ``spec``."""
    headers = {"X-Emulator-Fault": spec}
    if key is not None:
        headers["X-Emulator-Fault-Key"] = key
    return headers


def read_partial(response: httpx.Response) -> bytes:
    """Read a body the server cuts off; return the bytes that arrived before the error."""
    received = bytearray()
    try:
        for chunk in response.iter_raw():
            received += chunk
    except (httpx.RemoteProtocolError, httpx.ReadError):
        return bytes(received)
    pytest.fail("the body arrived complete")


def test_no_fault_passes_through(client: httpx.Client) -> None:
    response = client.get("/items/1")
    assert response.status_code == 200
    assert response.headers["x-guarded"] == "1"


def test_reset_is_a_transport_error(client: httpx.Client) -> None:
    before = client.get("/counter").json()["value"]
    with pytest.raises(httpx.TransportError):
        client.post("/counter", headers=fault("reset"))
    # The app never saw the request, and the server keeps serving.
    assert client.get("/counter").json()["value"] == before


def test_reset_after_processing_loses_only_the_response(client: httpx.Client) -> None:
    before = client.get("/counter").json()["value"]
    with pytest.raises(httpx.TransportError):
        client.post("/counter", headers=fault("reset;processed=1"))
    assert client.get("/counter").json()["value"] == before + 1


def test_truncate_sends_half_the_body(client: httpx.Client) -> None:
    full = client.get("/items/7").content
    with client.stream("GET", "/items/7", headers=fault("truncate")) as response:
        assert response.status_code == 200
        assert response.headers["content-length"] == str(len(full))
        assert read_partial(response) == full[: len(full) // 2]


def test_malformed_json(client: httpx.Client) -> None:
    before = client.get("/counter").json()["value"]
    response = client.post("/counter", headers=fault("malformed_json"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'{"truncated": '
    with pytest.raises(json.JSONDecodeError):
        response.json()
    # The request itself was handled.
    assert client.get("/counter").json()["value"] == before + 1


@pytest.mark.parametrize(
    ("spec", "status"), [("html", 502), ("html=504", 504), ("html;status=503", 503)]
)
def test_html_error_page(client: httpx.Client, spec: str, status: int) -> None:
    response = client.get("/items/1", headers=fault(spec))
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")
    assert str(status) in response.text


def test_status_uses_the_api_error_body(client: httpx.Client) -> None:
    response = client.get("/items/1", headers=fault("status=503"))
    assert response.status_code == 503
    assert response.json() == {"error": {"status": 503, "message": "injected fault"}}
    assert "retry-after" not in response.headers


@pytest.mark.parametrize(
    ("spec", "header", "value"),
    [
        ("status=503;retry_after=2", "retry-after", "2"),
        ("status=429;retry_after=0.5", "retry-after", "0.5"),
        ("status=429;retry_after_ms=1500", "retry-after-ms", "1500"),
        ("html=503;retry_after=3", "retry-after", "3"),
    ],
)
def test_status_retry_after_headers(
    client: httpx.Client, spec: str, header: str, value: str
) -> None:
    response = client.get("/items/1", headers=fault(spec))
    assert response.status_code in (429, 503)
    assert response.headers[header] == value


def test_status_retry_after_as_http_date(client: httpx.Client) -> None:
    response = client.get("/items/1", headers=fault("status=503;retry_after=30;retry_after_date=1"))
    assert response.status_code == 503
    when = parsedate_to_datetime(response.headers["retry-after"])
    assert when.tzinfo is not None
    assert response.headers["retry-after"].endswith(" GMT")


def test_times_with_key_fails_first_attempts_then_succeeds(client: httpx.Client) -> None:
    statuses = [
        client.get("/items/1", headers=fault("status=503;times=2", key="op-1")).status_code
        for _ in range(4)
    ]
    assert statuses == [503, 503, 200, 200]
    # A different key has its own budget, even on another path.
    assert (
        client.get("/items/2", headers=fault("status=503;times=2", key="op-2")).status_code == 503
    )


def test_fault_headers_count_each_call_apart(client: httpx.Client) -> None:
    first, second = fault_headers("status=503;times=1"), fault_headers("status=503;times=1")
    assert first["x-emulator-fault-key"] != second["x-emulator-fault-key"]
    calls = (first, first, second)
    assert [client.get("/items/5", headers=h).status_code for h in calls] == [503, 200, 503]
    assert fault_headers("reset", key="op-9") == {
        "x-emulator-fault": "reset",
        "x-emulator-fault-key": "op-9",
    }
    with pytest.raises(ValueError, match="status must be an integer"):
        fault_headers("status=abc")


def test_times_without_key_counts_per_method_path_and_fault(client: httpx.Client) -> None:
    spec = fault("status=500;times=1")
    assert client.get("/items/3", headers=spec).status_code == 500
    assert client.get("/items/3", headers=spec).status_code == 200
    assert client.get("/items/4", headers=spec).status_code == 500
    assert client.get("/items/4", headers=fault("status=502;times=1")).status_code == 502


def test_times_counters_reset_on_clear(client: httpx.Client, faults: FaultInjector) -> None:
    headers = fault("status=503;times=1", key="op-clear")
    assert client.get("/items/1", headers=headers).status_code == 503
    assert client.get("/items/1", headers=headers).status_code == 200
    faults.clear()
    assert client.get("/items/1", headers=headers).status_code == 503


def test_delay_then_pass_through(client: httpx.Client) -> None:
    response = client.get("/items/1", headers=fault("delay=0.05"))
    assert response.json()["id"] == 1
    with pytest.raises(httpx.ReadTimeout):
        client.get("/items/1", headers=fault("delay=5"), timeout=httpx.Timeout(5, read=0.2))


def test_stall_sends_headers_then_nothing(client: httpx.Client) -> None:
    timeout = httpx.Timeout(5, read=0.3)
    with client.stream("GET", "/events", headers=fault("stall=5"), timeout=timeout) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.ReadTimeout):
            response.read()


def test_cut_stream_yields_a_partial_frame_then_an_error(client: httpx.Client) -> None:
    with client.stream("GET", "/events", headers=fault("cut_stream")) as response:
        assert response.status_code == 200
        assert read_partial(response) == FRAMES[0] + FRAMES[1][: len(FRAMES[1]) // 2]


def test_cut_stream_on_a_plain_response(client: httpx.Client) -> None:
    full = client.get("/items/1").content
    with client.stream("GET", "/items/1", headers=fault("cut_stream")) as response:
        assert read_partial(response) == full[: len(full) // 2]


def test_rule_by_method_and_path_regex(client: httpx.Client, faults: FaultInjector) -> None:
    faults.add(FaultRule(Fault("status", status=500), method="get", path=r"/items/\d+", times=2))
    assert faults.rules[0].path == r"/items/\d+"
    assert client.get("/counter").status_code == 200
    assert client.get("/items/1").status_code == 500
    assert client.post("/items/1").status_code == 405
    assert client.get("/items/2").status_code == 500
    assert client.get("/items/3").status_code == 200


def test_unlimited_rule_and_header_precedence(client: httpx.Client, faults: FaultInjector) -> None:
    faults.add(FaultRule(Fault.parse("html=503"), path="/counter"))
    assert [client.get("/counter").status_code for _ in range(3)] == [503, 503, 503]
    assert client.get("/counter", headers=fault("status=429")).status_code == 429
    faults.clear()
    assert client.get("/counter").status_code == 200


def test_faults_act_before_app_middleware(client: httpx.Client) -> None:
    response = client.get("/items/1", headers={**fault("status=503"), "x-deny": "1"})
    assert response.status_code == 503


def test_journal_records_faulted_and_denied_requests(app: FastAPI, client: httpx.Client) -> None:
    journal: Journal = app.state.journal
    journal.clear()
    with pytest.raises(httpx.TransportError):
        client.get("/items/1", headers=fault("reset"))
    client.get("/items/1", headers={"x-deny": "1"})
    assert [entry.header("x-emulator-fault") for entry in journal.entries] == ["reset", None]
    assert journal.last().header("x-deny") == "1"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bogus", "unknown fault kind 'bogus'"),
        ("", "unknown fault kind ''"),
        ("status", "status needs a code"),
        ("status=abc", "status must be an integer"),
        ("status=200", "within 400-599"),
        ("delay", "delay needs seconds"),
        ("stall=-1", "non-negative"),
        ("delay=nan", "non-negative"),
        ("reset=1", "reset takes no value"),
        ("status=503;retry_after", "expected key=value"),
        ("status=503;frobnicate=1", "unknown parameter 'frobnicate'"),
        ("status=503;retry_after=soon", "retry_after must be a number"),
        ("status=503;retry_after_date=1", "retry_after_date needs retry_after"),
        ("status=503;retry_after=1;retry_after_date=maybe", "retry_after_date must be 1 or 0"),
        ("truncate;times=0", "times must be at least 1"),
        ("truncate;times=x", "times must be an integer"),
        ("status=503;times=1;times=2", "times given twice"),
        ("status=503;status=500", "status given twice"),
        ("reset;status=500", "reset takes no status code"),
        ("reset;retry_after=1", "apply to status and html"),
        ("truncate;processed=1", "processed applies to reset"),
    ],
)
def test_invalid_fault_header_is_400(client: httpx.Client, spec: str, message: str) -> None:
    response = client.get("/items/1", headers=fault(spec))
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["status"] == 400
    assert body["message"].startswith("invalid X-Emulator-Fault header")
    assert message in body["message"]


def test_parse_fault_header() -> None:
    assert parse_fault_header("status=503; retry_after=2 ;times=3") == (
        Fault("status", status=503, retry_after=2.0),
        3,
    )
    assert parse_fault_header("stall=1.5") == (Fault("stall", seconds=1.5), None)
    assert Fault.parse("html").status == 502
    assert Fault.parse("reset;processed=yes") == Fault("reset", processed=True)
    with pytest.raises(ValueError, match="times is not part of a fault"):
        Fault.parse("reset;times=1")


def test_fault_and_rule_validation() -> None:
    with pytest.raises(ValueError, match="takes no status"):
        Fault("reset", status=500)
    with pytest.raises(ValueError, match="takes no duration"):
        Fault("truncate", seconds=1)
    with pytest.raises(ValueError, match="retry_after_ms"):
        Fault("status", status=503, retry_after_ms=-1)
    with pytest.raises(ValueError, match="times must be at least 1"):
        FaultRule(Fault("reset"), times=0)
    with pytest.raises(ValueError, match="unterminated"):
        FaultRule(Fault("reset"), path="/items/(")
    rule = FaultRule(Fault("reset"), method="POST", path="/a/.*")
    assert rule.matches("post", "/a/b")
    assert not rule.matches("GET", "/a/b")
    assert not rule.matches("POST", "/x/a/b")
    assert FaultRule(Fault("reset")).matches("DELETE", "/anything")


async def test_configured_rules_and_default_body_without_the_kit_server() -> None:
    app = FastAPI()
    injector = install_faults(app, [FaultRule(Fault("status", status=429, retry_after=1), times=1)])
    assert app.state.faults is injector

    @app.get("/")
    def root(request: Request) -> dict[str, bool]:
        return {"has_connection": connection_for(request.scope) is not None}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        limited = await http.get("/")
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "1"
        assert limited.json() == {"error": "injected fault"}
        assert (await http.get("/")).json() == {"has_connection": False}
        # Socket-level faults need the kit's server and say so.
        with pytest.raises(RuntimeError, match="needs socket access"):
            await http.get("/", headers=fault("reset"))


def test_installing_after_start_fails(app: FastAPI, server: ServerHandle) -> None:
    with httpx.Client(base_url=server.url) as http:
        http.get("/counter")
    with pytest.raises(RuntimeError, match="after an application has started"):
        install_faults(app)
