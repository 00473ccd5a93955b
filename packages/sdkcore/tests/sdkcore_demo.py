"""A small API served by the emulator kit, and a tiny SDK on sdkcore that talks to it.

The sdkcore tests drive the runtime through this pair over real loopback HTTP.
"""

from __future__ import annotations

import asyncio
import builtins
import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, TypeVar

import httpx
from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from typing_extensions import Unpack

import sdkcore
from sdkcore import (
    DualOp,
    Mode,
    Op,
    PageFactory,
    Raw,
    RequestOptions,
    Resource,
    StreamFactory,
    as_json,
    as_model,
    dual,
    endpoint,
)
from sdkcore.emulator import (
    EmulatorError,
    decode_cursor,
    encode_cursor,
    install_error_handlers,
    install_faults,
    install_journal,
)

API_KEY = "sk_demo_secret_value_1234"
ITEMS = [{"itemId": f"it_{i:03d}", "displayName": f"Item {i}", "extraField": i} for i in range(57)]


def error_body(status: int, message: str, details: Any) -> dict[str, Any]:
    """The demo API's error shape."""
    return {"error": message}


def _authenticate(request: Request) -> None:
    sent = request.headers.get("authorization")
    if sent != f"Bearer {API_KEY}":
        # Echo the key back, as careless servers do, so redaction can be tested.
        raise EmulatorError(401, f"bad key {sent}")


def create_app() -> FastAPI:
    """The demo API: items, three paging styles, streams, odd bodies, an echo."""
    app = FastAPI(dependencies=[Depends(_authenticate)])
    install_error_handlers(app, error_body)
    install_faults(app, error_body=error_body)
    install_journal(app)
    created: dict[str, dict[str, Any]] = {}

    @app.get("/items/{item_id}")
    async def get_item(item_id: str) -> Any:
        for item in ITEMS:
            if item["itemId"] == item_id:
                return JSONResponse(item, headers={"x-request-id": "req_123"})
        raise EmulatorError(404, f"no item {item_id}", headers={"x-request-id": "req_404"})

    @app.post("/items")
    async def create_item(request: Request) -> Any:
        body = await request.json()
        key = request.headers.get("idempotency-key")
        if key is not None and key in created:
            return created[key]
        item = {"itemId": f"new_{len(created)}", "displayName": body.get("displayName")}
        created[key or f"anon-{len(created)}"] = item
        return item

    @app.get("/echo")
    @app.post("/echo")
    async def echo(request: Request) -> Any:
        if request.query_params.get("go") == "redirect":
            return Response(status_code=307, headers={"location": "/items"})
        return {
            "method": request.method,
            "query": request.url.query,
            "headers": dict(request.headers),
            "body": (await request.body()).decode(),
        }

    @app.get("/numbered")
    async def numbered(page: int = 0, pageSize: int = 10, broken: bool = False) -> Any:
        chunk = ITEMS[page * pageSize : (page + 1) * pageSize]
        if broken:
            chunk = [*chunk, {"displayName": "no id"}]
        return {"data": chunk, "meta": {"total": len(ITEMS), "page": page, "pageSize": pageSize}}

    @app.get("/cursored")
    async def cursored(cursor: str | None = None, limit: int = 10) -> Any:
        start = decode_cursor(cursor)["at"] if cursor else 0
        chunk = ITEMS[start : start + limit]
        more = start + limit < len(ITEMS)
        return {
            "data": chunk,
            "next_cursor": encode_cursor({"at": start + limit}) if more else None,
            "has_more": more,
        }

    @app.get("/offset")
    async def offset(skip: int = 0, limit: int = 10) -> Any:
        return {"data": ITEMS[skip : skip + limit], "count": len(ITEMS)}

    @app.get("/not-json")
    async def not_json() -> Response:
        return Response(
            "<html>hello</html>", media_type="application/json", headers={"x-request-id": "req_bad"}
        )

    @app.get("/wrong-shape")
    async def wrong_shape() -> Any:
        return {"unexpected": True}

    @app.get("/empty")
    async def empty() -> Response:
        return Response(status_code=204)

    @app.get("/status/{code}")
    async def status(code: int) -> Response:
        return JSONResponse({"error": f"status {code}"}, status_code=code)

    @app.get("/events")
    async def events(count: int = 3, frame_delay: float = 0.0) -> StreamingResponse:
        async def frames() -> AsyncIterator[bytes]:
            for i in range(count):
                yield f"event: token\nid: {i}\ndata: {json.dumps({'n': i})}\n\n".encode()
                if frame_delay:
                    await asyncio.sleep(frame_delay)
            yield b"data: [DONE]\n\n"

        return StreamingResponse(frames(), media_type="text/event-stream")

    @app.get("/ndjson")
    async def ndjson(count: int = 3) -> StreamingResponse:
        async def lines() -> AsyncIterator[bytes]:
            for i in range(count):
                yield (json.dumps({"n": i}) + "\n").encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    return app


class DemoError(sdkcore.SDKError):
    """Root of the demo SDK's errors."""


class DemoAPIError(sdkcore.APIError, DemoError):
    """Request error."""


class DemoStatusError(sdkcore.APIStatusError, DemoAPIError):
    """Status error."""


class DemoNotFound(DemoStatusError):
    """404."""


class DemoServerError(DemoStatusError):
    """5xx."""


class DemoRateLimited(sdkcore.RateLimitError, DemoStatusError):
    """429."""


class DemoConnectionError(sdkcore.APIConnectionError, DemoAPIError):
    """Connection error."""


class DemoTimeout(sdkcore.APITimeoutError, DemoConnectionError):
    """Timeout."""


class DemoValidation(sdkcore.APIResponseValidationError, DemoAPIError):
    """Bad body."""


ERROR_MAP = sdkcore.ErrorMap(
    status={404: DemoNotFound},
    server_error=DemoServerError,
    fallback=DemoStatusError,
    rate_limit=DemoRateLimited,
    connection=DemoConnectionError,
    timeout=DemoTimeout,
    validation=DemoValidation,
)

FAST_RETRY = sdkcore.RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.05)

PROFILE = sdkcore.ClientProfile(
    name="demo",
    version="9.9.9",
    error_map=ERROR_MAP,
    retry=FAST_RETRY,
    idempotency_header="Idempotency-Key",
    auto_idempotency=True,
)


class Item(sdkcore.CamelModel):
    """A demo item."""

    item_id: str
    display_name: str | None = None


M = TypeVar("M", bound=Mode)


class Items(Resource[M]):
    """The demo resource."""

    @property
    def with_raw_response(self) -> Items[Raw[M]]:
        """Raw variant."""
        raw: Items[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def get(self, item_id: str, **options: Unpack[RequestOptions]) -> Op[Item]:
        """Fetch an item."""
        path = "/items/" + sdkcore.path_segment(item_id, argument="item_id")
        return Op("GET", path, as_model(Item), options=options)

    @endpoint
    def create(self, display_name: str, **options: Unpack[RequestOptions]) -> Op[Item]:
        """Create an item (auto idempotency key)."""
        body = {"displayName": display_name}
        return Op("POST", "/items", as_model(Item), body=body, options=options)

    @endpoint
    def echo(
        self,
        *,
        method: str = "GET",
        query: Mapping[str, Any] | None = None,
        body: Any = sdkcore.MISSING,
        safe: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[dict[str, Any]]:
        """Echo the request back."""
        return Op(method, "/echo", as_json, query=query, body=body, options=options, safe=safe)

    @endpoint
    def path(self, path: str, **options: Unpack[RequestOptions]) -> Op[Any]:
        """GET any path, returning the decoded JSON."""
        return Op("GET", path, as_json, options=options)

    @endpoint
    def shaped(self, path: str, **options: Unpack[RequestOptions]) -> Op[Item]:
        """GET any path, validating the body as an Item."""
        return Op("GET", path, as_model(Item), options=options)

    @endpoint
    def empty(self, **options: Unpack[RequestOptions]) -> Op[None]:
        """GET the 204 route."""
        return Op("GET", "/empty", sdkcore.as_none, options=options)

    @dual
    def numbered(
        self, page_size: int = 10, **options: Unpack[RequestOptions]
    ) -> DualOp[sdkcore.SyncPage[Item], sdkcore.AsyncPage[Item]]:
        """Page-number listing, validated in one pass from the body's bytes."""
        return DualOp(
            "GET",
            "/numbered",
            _NUMBERED.cast,
            query={"pageSize": page_size},
            options=options,
            factory=_NUMBERED,
        )

    @dual
    def cursored(
        self, limit: int = 10, **options: Unpack[RequestOptions]
    ) -> DualOp[sdkcore.SyncPage[Item], sdkcore.AsyncPage[Item]]:
        """Cursor listing, validated in one pass from the body's bytes."""
        return DualOp(
            "GET",
            "/cursored",
            _CURSORED.cast,
            query={"limit": limit},
            options=options,
            factory=_CURSORED,
        )

    @dual
    def offset(
        self, limit: int = 10, **options: Unpack[RequestOptions]
    ) -> DualOp[sdkcore.SyncPage[Item], sdkcore.AsyncPage[Item]]:
        """skip/limit listing, decoded first and then validated item by item."""
        return DualOp(
            "GET",
            "/offset",
            as_json,
            query={"limit": limit},
            options=options,
            factory=_pages(sdkcore.OffsetPagination(), Item.model_validate),
        )

    @dual
    def events(
        self, count: int = 3, frame_delay: float = 0.0, **options: Unpack[RequestOptions]
    ) -> DualOp[sdkcore.Stream[Any], sdkcore.AsyncStream[Any]]:
        """SSE stream of JSON payloads, ending at [DONE]."""
        factory: StreamFactory[Any] = StreamFactory(
            sdkcore.SSEDecoder,
            lambda event: event.json(),
            until=lambda event: event.data == "[DONE]",
        )
        return DualOp(
            "GET",
            "/events",
            as_json,
            query={"count": count, "frame_delay": frame_delay},
            options=options,
            stream=True,
            factory=factory,
        )

    @dual
    def ndjson(
        self, count: int = 3, **options: Unpack[RequestOptions]
    ) -> DualOp[sdkcore.Stream[Any], sdkcore.AsyncStream[Any]]:
        """NDJSON stream."""
        factory: StreamFactory[Any] = StreamFactory(sdkcore.NDJSONDecoder, lambda value: value)
        return DualOp(
            "GET",
            "/ndjson",
            as_json,
            query={"count": count},
            options=options,
            stream=True,
            factory=factory,
        )


def _pages(
    strategy: sdkcore.PageStrategy, item: Callable[[Any], Item] | type[Item]
) -> PageFactory[sdkcore.SyncPage[Item], sdkcore.AsyncPage[Item]]:
    return PageFactory(strategy, item, sdkcore.SyncPage[Item], sdkcore.AsyncPage[Item])


_NUMBERED = _pages(sdkcore.PageNumberPagination(), Item)
_CURSORED = _pages(sdkcore.CursorPagination(), Item)


class _DemoBase(sdkcore.BaseClient):
    def __init__(self, *, base_url: str, api_key: str = API_KEY, **kwargs: Any) -> None:
        super().__init__(
            profile=PROFILE,
            base_url=base_url,
            auth_headers={"Authorization": f"Bearer {api_key}"},
            secrets=(api_key,),
            **kwargs,
        )


class Demo(_DemoBase, sdkcore.SyncAPIClient):
    """Blocking demo client."""

    @property
    def items(self) -> Items[sdkcore.Sync]:
        """Items."""
        return Items(self)


class AsyncDemo(_DemoBase, sdkcore.AsyncAPIClient):
    """Async demo client."""

    @property
    def items(self) -> Items[sdkcore.Async]:
        """Items."""
        return Items(self)


def journal_of(app: FastAPI) -> Any:
    """The app's request journal."""
    return app.state.journal


def count_requests(app: FastAPI, path: str) -> builtins.int:
    """How many requests the app received for `path`."""
    return sum(1 for entry in journal_of(app).entries if entry.path == path)


def unused_transport() -> httpx.MockTransport:
    """A transport that fails the test if any request reaches it."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request expected, got {request.method} {request.url}")

    return httpx.MockTransport(handler)
