"""Error handlers, auth helper, pagination and the request journal, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException, Request
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, field_validator
from starlette.requests import Request as StarletteRequest

from sdkcore.emulator import (
    EmulatorError,
    Journal,
    RecordedRequest,
    ServerHandle,
    bearer_token,
    decode_cursor,
    encode_cursor,
    install_error_handlers,
    install_journal,
    page_window,
    serve,
    serve_banner,
)


def error_body(status: int, message: str, details: Any) -> dict[str, Any]:
    """The test API's error shape."""
    return {"code": status, "message": message, "details": details}


class Widget(BaseModel):
    name: str
    size: int

    @field_validator("size")
    @classmethod
    def positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("size must be positive")
        return value


def create_app() -> FastAPI:
    """An app with error handlers and a journal, and routes exercising both."""
    app = FastAPI()
    install_error_handlers(app, error_body)
    install_journal(app, maxlen=50)

    @app.get("/items/{item_id}")
    def get_item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @app.post("/widgets")
    def create_widget(widget: Widget) -> Widget:
        return widget

    @app.get("/limited")
    def limited() -> None:
        raise EmulatorError(429, "slow down", headers={"Retry-After": "7", "X-Extra": "yes"})

    @app.get("/custom-body")
    def custom_body() -> None:
        raise EmulatorError(409, "ignored", body={"status": "error", "code": "conflict"})

    @app.get("/raw-body")
    def raw_body() -> None:
        raise EmulatorError(502, "ignored", body=b"upstream <b>down</b>")

    @app.get("/detail")
    def detail() -> None:
        raise HTTPException(418, detail={"why": "teapot"}, headers={"X-Tea": "1"})

    @app.get("/empty")
    def empty() -> None:
        raise HTTPException(304)

    @app.get("/crash")
    def crash() -> None:
        raise KeyError("gone")

    @app.get("/whoami")
    def whoami(request: Request) -> dict[str, str | None]:
        return {"token": bearer_token(request)}

    @app.get("/page")
    def page(page: int = 0, size: int = 2) -> dict[str, int]:
        offset, limit = page_window(page, size)
        return {"offset": offset, "limit": limit}

    @app.get("/cursor")
    def cursor(cursor: str) -> dict[str, Any]:
        return decode_cursor(cursor)

    @app.api_route("/echo/{rest:path}", methods=["GET", "POST", "PUT"])
    async def echo(request: Request) -> dict[str, Any]:
        body = await request.body()
        return {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}

    return app


@pytest.fixture(scope="module")
def app() -> FastAPI:
    """One app per module."""
    return create_app()


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[ServerHandle]:
    """The app served on a free loopback port."""
    with serve(app) as handle:
        yield handle


@pytest.fixture
def client(server: ServerHandle) -> Iterator[httpx.Client]:
    """A client bound to the server."""
    with httpx.Client(base_url=server.url, timeout=5) as http:
        yield http


@pytest.fixture
def journal(app: FastAPI) -> Journal:
    """The app's journal, emptied."""
    recorded: Journal = app.state.journal
    recorded.clear()
    return recorded


# -- error handlers -----------------------------------------------------------------------------


def test_unknown_route_is_404(client: httpx.Client) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json() == {"code": 404, "message": "Not Found", "details": None}


def test_wrong_method_is_405_with_allow(client: httpx.Client) -> None:
    response = client.delete("/items/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["message"] == "Method Not Allowed"


def test_path_validation_is_422(client: httpx.Client) -> None:
    response = client.get("/items/abc")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == 422
    assert "path.item_id" in body["message"]
    assert body["details"][0]["loc"] == ["path", "item_id"]


def test_body_validation_details_are_json_safe(client: httpx.Client) -> None:
    response = client.post("/widgets", json={"name": "w", "size": -1})
    assert response.status_code == 422
    [error] = response.json()["details"]
    assert error["loc"] == ["body", "size"]
    assert "size must be positive" in error["msg"]
    # The ValueError in the pydantic context is rendered as text, not dropped.
    assert error["ctx"] == {"error": "size must be positive"}


def test_emulator_error_keeps_headers(client: httpx.Client) -> None:
    response = client.get("/limited")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.headers["x-extra"] == "yes"
    assert response.json() == {"code": 429, "message": "slow down", "details": None}


def test_emulator_error_explicit_body(client: httpx.Client) -> None:
    response = client.get("/custom-body")
    assert response.status_code == 409
    assert response.json() == {"status": "error", "code": "conflict"}
    raw = client.get("/raw-body")
    assert raw.status_code == 502
    assert raw.content == b"upstream <b>down</b>"
    assert raw.headers["content-type"] == "application/json"


def test_http_exception_with_structured_detail(client: httpx.Client) -> None:
    response = client.get("/detail")
    assert response.status_code == 418
    assert response.headers["x-tea"] == "1"
    assert response.json() == {"code": 418, "message": "I'm a Teapot", "details": {"why": "teapot"}}


def test_bodiless_status_has_no_body(client: httpx.Client) -> None:
    response = client.get("/empty")
    assert response.status_code == 304
    assert response.content == b""


def test_unhandled_exception_uses_error_shape(client: httpx.Client) -> None:
    response = client.get("/crash")
    assert response.status_code == 500
    assert response.json()["message"].startswith("internal emulator error: KeyError")


def test_emulator_error_attributes() -> None:
    error = EmulatorError(400, "bad", headers={"A": "b"})
    assert (error.status_code, error.message, error.body, error.headers) == (
        400,
        "bad",
        None,
        {"A": "b"},
    )
    assert str(error) == "bad"
    assert repr(error) == "EmulatorError(400, 'bad')"


# -- bearer_token -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer abc123", "abc123"),
        ("bearer abc123", "abc123"),
        ("BEARER   spaced  ", "spaced"),
        ("Basic dXNlcjpwdw==", None),
        ("Bearer", None),
        ("Bearer   ", None),
        (None, None),
    ],
)
def test_bearer_token(header: str | None, expected: str | None) -> None:
    headers = [] if header is None else [(b"authorization", header.encode())]
    request = StarletteRequest({"type": "http", "method": "GET", "headers": headers})
    assert bearer_token(request) == expected


def test_bearer_token_over_http(client: httpx.Client) -> None:
    response = client.get("/whoami", headers={"Authorization": "Bearer sk_test_1"})
    assert response.json() == {"token": "sk_test_1"}


# -- pagination ---------------------------------------------------------------------------------


def test_page_window() -> None:
    assert page_window(0, 20) == (0, 20)
    assert page_window(3, 20) == (60, 20)
    assert page_window(1, 10, first_page=1) == (0, 10)
    assert page_window(4, 10, first_page=1) == (30, 10)


@pytest.mark.parametrize(("page", "size", "first"), [(-1, 10, 0), (0, 10, 1), (0, 0, 0)])
def test_page_window_rejects_out_of_range(page: int, size: int, first: int) -> None:
    with pytest.raises(EmulatorError) as info:
        page_window(page, size, first_page=first)
    assert info.value.status_code == 400


def test_page_window_errors_reach_the_client(client: httpx.Client) -> None:
    assert client.get("/page", params={"page": 2}).json() == {"offset": 4, "limit": 2}
    response = client.get("/page", params={"size": 0})
    assert response.status_code == 400
    assert "page size" in response.json()["message"]


def test_cursor_round_trip_is_url_safe() -> None:
    data = {"after": "id_~?&/+", "n": 3, "nested": {"x": [1, None]}}
    cursor = encode_cursor(data)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_cursor(cursor) == data
    # Padded input, as some clients re-pad base64, is accepted too.
    assert decode_cursor(cursor + "=" * (-len(cursor) % 4)) == data


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=10,
)


@given(st.dictionaries(st.text(), json_values, max_size=5))
def test_cursor_round_trip_property(data: dict[str, Any]) -> None:
    assert decode_cursor(encode_cursor(data)) == data


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "abc$def",
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_invalid_cursor(cursor: str) -> None:
    with pytest.raises(EmulatorError) as info:
        decode_cursor(cursor)
    assert (info.value.status_code, info.value.message) == (400, "invalid cursor")


def test_invalid_cursor_over_http(client: httpx.Client) -> None:
    response = client.get("/cursor", params={"cursor": "%%%"})
    assert response.status_code == 400
    assert response.json() == {"code": 400, "message": "invalid cursor", "details": None}
    good = client.get("/cursor", params={"cursor": encode_cursor({"k": 1})})
    assert good.json() == {"k": 1}


# -- journal ------------------------------------------------------------------------------------


def test_journal_is_on_app_state(app: FastAPI, journal: Journal) -> None:
    assert isinstance(journal, Journal)
    assert app.state.journal is journal


def test_journal_records_requests_byte_for_byte(client: httpx.Client, journal: Journal) -> None:
    body = b'{"b": 2, "a": "\xc3\xa9"}\n'
    response = client.post(
        "/echo/a%2Fb?z=1&a=x%20y&z=0&flag",
        content=body,
        headers=[
            ("X-Zeta", "1"),
            ("Content-Type", "application/json"),
            ("X-Alpha", "2"),
            ("X-Zeta", "3"),
        ],
    )
    assert response.json() == {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    recorded = journal.last()
    assert recorded.method == "POST"
    assert recorded.path == "/echo/a%2Fb"
    assert recorded.query == "z=1&a=x%20y&z=0&flag"
    assert recorded.body == body
    assert recorded.json() == {"b": 2, "a": "é"}
    custom = [(name, value) for name, value in recorded.headers if name.startswith("x-")]
    assert custom == [("x-zeta", "1"), ("x-alpha", "2"), ("x-zeta", "3")]
    names = [name for name, _ in recorded.headers]
    assert names.index("host") < names.index("x-zeta") < names.index("content-type")
    assert recorded.header("X-ZETA") == "1"
    assert recorded.header("content-length") == str(len(body))
    assert recorded.header("missing") is None


def test_journal_replays_a_chunked_body_to_the_app(client: httpx.Client, journal: Journal) -> None:
    chunks = [bytes([i]) * 65536 for i in range(5)]
    body = b"".join(chunks)
    response = client.put("/echo/big", content=iter(chunks))
    assert response.json() == {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    recorded = journal.last()
    assert recorded.header("transfer-encoding") == "chunked"
    assert recorded.body == body


def test_journal_max_body_records_a_prefix_and_streams_the_rest() -> None:
    app = FastAPI()
    journal = install_journal(app, max_body=100_000)

    @app.put("/sink")
    async def sink(request: Request) -> dict[str, Any]:
        digest, length = hashlib.sha256(), 0
        async for chunk in request.stream():
            digest.update(chunk)
            length += len(chunk)
        return {"length": length, "sha256": digest.hexdigest()}

    chunks = [bytes([i]) * 65536 for i in range(8)]
    body = b"".join(chunks)
    with serve(app) as handle, httpx.Client(base_url=handle.url, timeout=5) as http:
        answer = http.put("/sink", content=iter(chunks)).json()
    assert answer == {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    assert journal.last().body == body[:100_000]


def test_journal_entries_in_order_including_errors(client: httpx.Client, journal: Journal) -> None:
    client.get("/items/1")
    client.get("/no/such/route", params={"q": "1"})
    client.get("/items/abc")
    assert [(entry.path, entry.query) for entry in journal.entries] == [
        ("/items/1", ""),
        ("/no/such/route", "q=1"),
        ("/items/abc", ""),
    ]
    assert len(journal) == 3
    assert [entry.path for entry in journal] == ["/items/1", "/no/such/route", "/items/abc"]
    journal.clear()
    assert journal.entries == []


def test_journal_bounds_and_empty() -> None:
    journal = Journal(maxlen=2)
    with pytest.raises(LookupError):
        journal.last()
    for index in range(3):
        journal.record(RecordedRequest("GET", f"/{index}", "", (), b""))
    assert [entry.path for entry in journal.entries] == ["/1", "/2"]
    assert journal.last().path == "/2"


def test_recorded_request_is_frozen() -> None:
    recorded = RecordedRequest("GET", "/", "", (("a", "b"),), b"{}")
    with pytest.raises(AttributeError):
        recorded.path = "/x"  # type: ignore[misc]
    assert json.loads(recorded.body) == recorded.json() == {}


# -- banner -------------------------------------------------------------------------------------


def test_serve_banner() -> None:
    text = serve_banner(
        "clawops", "http://127.0.0.1:8000", {"database": "/tmp/x.db", "api key": "sk_test"}
    )
    assert text == (
        "clawops emulator listening on http://127.0.0.1:8000\n"
        "  database: /tmp/x.db\n"
        "  api key:  sk_test\n"
        "Press Ctrl-C to stop."
    )
    assert (
        serve_banner("x", "http://h", {})
        == "x emulator listening on http://h\nPress Ctrl-C to stop."
    )
    assert serve_banner("x", "http://h", {}, ["export X_URL=http://h"]) == (
        "x emulator listening on http://h\nPress Ctrl-C to stop.\n"
        "\nPoint the SDK here:\nexport X_URL=http://h"
    )
