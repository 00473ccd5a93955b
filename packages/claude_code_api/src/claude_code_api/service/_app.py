"""The FastAPI app: routes, the idempotency layer, SSE and WebSocket streams, error bodies."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError
from starlette.requests import HTTPConnection

from sdkcore.emulator import install_body_limit, install_faults

from .._version import __version__
from ._config import ServiceConfig
from ._database import database_url, migrate, open_engine
from ._pricing import usd_to_nanos
from ._schemas import (
    BatchRequest,
    BatchResponse,
    ChatRequest,
    ChatResponse,
    ErrorBody,
    RouteRequest,
    RouteResponse,
    TaskRequest,
    TaskResponse,
    UsageResponse,
)
from ._service import Caller, Service, ServiceError
from ._store import Store
from .engines import build_engine

__all__ = ["IDEMPOTENCY_HEADER", "PROJECT_HEADER", "create_app", "service_of"]

logger = logging.getLogger("claude_code_api.service")

IDEMPOTENCY_HEADER = "Idempotency-Key"
PROJECT_HEADER = "X-Project-ID"
# Statuses that prove a request did not run: its idempotency claim is released for a retry.
_NOT_RUN = frozenset({429, 503})
_PENDING_POLL = 0.05

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer cc_<40 hex>`")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in (400, 401, 403, 422, 429, 500, *codes)}


def service_of(app: FastAPI) -> Service:
    """The running app's `Service` (only between startup and shutdown)."""
    service = app.state.service
    assert isinstance(service, Service)
    return service


def _error_response(error: ServiceError) -> JSONResponse:
    return JSONResponse(error.body, status_code=error.status_code, headers=error.headers)


async def _authorized(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    token = credentials.credentials if credentials is not None else None
    return await service_of(request.app).authenticate(token, request.headers.get(PROJECT_HEADER))


Authorized = Annotated[Caller, Depends(_authorized)]


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def _known_query(request: HTTPConnection) -> None:
    """Refuse query parameters the route does not take (a misspelt `period` would otherwise
    be ignored silently)."""
    route = request.scope.get("route")
    known = _query_names(route.dependant) if isinstance(route, APIRoute) else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ServiceError(400, f"unknown query parameter(s): {', '.join(map(repr, unknown))}")


async def _idempotent(
    request: Request,
    caller: Caller,
    body: BaseModel,
    timeout: float,
    compute: Callable[[], Awaitable[dict[str, Any]]],
) -> JSONResponse:
    """Run `compute` at most once per `Idempotency-Key` (per API key); a retry gets the
    stored answer, a concurrent duplicate waits for it. Rate limiting counts runs only."""
    service = service_of(request.app)
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if not key:
        await service.rate_limit(caller)
        return JSONResponse(await compute())
    if len(key) > 255:
        raise ServiceError(400, f"{IDEMPOTENCY_HEADER} longer than 255 characters")
    fingerprint = hashlib.sha256(
        json.dumps(
            [request.url.path, caller.project_id, body.model_dump(mode="json")], sort_keys=True
        ).encode()
    ).hexdigest()
    store = service.store
    deadline = time.monotonic() + timeout + 30
    while True:
        state, status, stored = await store.claim(caller.key.id, key, fingerprint, time.time())
        if state == "done":
            assert status is not None
            return JSONResponse(stored, status_code=status, headers={"Idempotent-Replayed": "true"})
        if state == "mismatch":
            raise ServiceError(422, f"{IDEMPOTENCY_HEADER} was already used for another request")
        if state == "new":
            break
        if time.monotonic() > deadline:
            raise ServiceError(409, f"a request with this {IDEMPOTENCY_HEADER} is still running")
        await asyncio.sleep(_PENDING_POLL)
    try:
        await service.rate_limit(caller)
        payload = await compute()
        await store.complete_claim(caller.key.id, key, 200, payload)
        return JSONResponse(payload)
    except ServiceError as error:
        if error.status_code in _NOT_RUN:
            await store.release_claim(caller.key.id, key)
        else:
            await store.complete_claim(caller.key.id, key, error.status_code, error.body)
        raise
    except BaseException:
        await store.release_claim(caller.key.id, key)
        raise


def _sse(event: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(event, separators=(',', ':'))}\n\n".encode()


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """The service's ASGI app; the database is migrated and the engine built at startup."""
    config = config or ServiceConfig()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = open_engine(database_url(config.db))
        try:
            await migrate(engine)
            model_engine = build_engine(config.engine, **dict(config.engine_options))
            try:
                default_budget = (
                    None
                    if config.default_budget_usd is None
                    else usd_to_nanos(config.default_budget_usd)
                )
                service = Service(
                    config, Store(engine, default_budget_nanos=default_budget), model_engine
                )
                app.state.service = service
                try:
                    yield
                finally:
                    service.close()
            finally:
                await model_engine.aclose()
        finally:
            await engine.dispose()

    app = FastAPI(
        title="Claude Code API",
        version=__version__,
        description="Completions, agentic tasks, streaming, batches and usage over one engine.",
        lifespan=lifespan,
        dependencies=[Depends(_known_query)],
    )

    install_body_limit(app, config.max_body_size)
    if config.fault_injection:
        install_faults(app)

    @app.exception_handler(ServiceError)
    async def on_service_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ServiceError)
        return _error_response(exc)

    @app.exception_handler(Exception)
    async def on_unhandled(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return JSONResponse({"detail": "Internal server error"}, status_code=500)

    @app.get("/", summary="Service information")
    async def root() -> dict[str, Any]:
        return {"service": "Claude Code API", "version": __version__, "docs": "/docs"}

    @app.get("/health", summary="Health of the service and its components")
    async def health(request: Request) -> dict[str, Any]:
        service = service_of(request.app)
        database = "ok"
        try:
            await service.store.ping()
        except Exception:  # a health check reports failures instead of raising them
            database = "unavailable"
        return {
            "status": "healthy" if database == "ok" else "degraded",
            "version": __version__,
            "engine": service.engine.name,
            "services": {
                "database": {
                    "status": database,
                    "dialect": service.store.engine.dialect.name,
                },
                "engine": {"status": "ok", "name": service.engine.name},
                "worker_pool": {
                    "status": "ok",
                    "batch_concurrency": config.batch_concurrency,
                    "active_runs": service.active_runs,
                },
            },
            "uptime_seconds": round(time.time() - service.started_at, 3),
        }

    @app.post(
        "/v1/chat/completions",
        response_model=ChatResponse,
        responses=_errors(402, 409, 502, 503, 504),
        summary="One completion",
    )
    async def chat_completions(body: ChatRequest, request: Request, caller: Authorized) -> Any:
        service = service_of(request.app)
        timeout = body.timeout or config.default_timeout
        return await _idempotent(
            request, caller, body, timeout, lambda: service.complete(caller, body)
        )

    @app.post(
        "/v1/stream",
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "token/done events"},
            **_errors(402, 502, 503, 504),
        },
        summary="A completion streamed as Server-Sent Events",
    )
    async def stream_sse(body: ChatRequest, request: Request, caller: Authorized) -> Any:
        service = service_of(request.app)
        await service.rate_limit(caller)
        prepared = await service.prepare_chat(caller, body)

        async def frames() -> AsyncIterator[bytes]:
            async with contextlib.aclosing(service.stream(prepared)) as events:
                async for event in events:
                    yield _sse(event)

        return StreamingResponse(
            frames(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    @app.post(
        "/v1/batch",
        response_model=BatchResponse,
        responses=_errors(409),
        summary="Several prompts, each result independent",
    )
    async def batch(body: BatchRequest, request: Request, caller: Authorized) -> Any:
        service = service_of(request.app)
        per_prompt = body.timeout or config.default_timeout
        timeout = per_prompt * len(body.prompts)
        return await _idempotent(
            request, caller, body, timeout, lambda: service.batch(caller, body)
        )

    @app.post(
        "/v1/task",
        response_model=TaskResponse,
        responses=_errors(402, 409, 502, 503, 504),
        summary="An agentic task in a fresh working directory",
    )
    async def task(body: TaskRequest, request: Request, caller: Authorized) -> Any:
        service = service_of(request.app)
        return await _idempotent(
            request, caller, body, body.timeout, lambda: service.task(caller, body)
        )

    @app.get(
        "/v1/usage",
        response_model=UsageResponse,
        responses=_errors(),
        summary="Usage of the project over a period",
    )
    async def usage(
        request: Request,
        caller: Authorized,
        # Checked by the handler, not by FastAPI, so that a bad period is the spec's 400.
        period: Annotated[
            str, Query(json_schema_extra={"enum": ["day", "week", "month"]})
        ] = "month",
    ) -> Any:
        service = service_of(request.app)
        await service.rate_limit(caller)
        return await service.usage(caller, period)

    @app.post(
        "/v1/route",
        response_model=RouteResponse,
        responses=_errors(),
        summary="The model `auto` would pick",
    )
    async def route(body: RouteRequest, request: Request, caller: Authorized) -> Any:
        service = service_of(request.app)
        await service.rate_limit(caller)
        return await service.route(caller, body.prompt, body.context_size)

    @app.get("/v1/capabilities", responses=_errors(), summary="Tools, agents, skills and profiles")
    async def capabilities(request: Request, caller: Authorized) -> dict[str, Any]:
        await service_of(request.app).rate_limit(caller)
        return Service.capabilities()

    @app.websocket("/v1/stream")
    async def stream_ws(websocket: WebSocket) -> None:
        await websocket.accept()
        header = websocket.headers.get("authorization", "")
        header_token = header[7:].strip() if header.lower().startswith("bearer ") else None
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                try:
                    message = json.loads(await websocket.receive_text())
                except ValueError:
                    await websocket.send_json(
                        {"type": "error", "error": "malformed JSON", "status": 400}
                    )
                    continue
                try:
                    await _ws_message(websocket, message, header_token)
                except ServiceError as error:
                    await websocket.send_json(
                        {
                            "type": "error",
                            "error": error.body["detail"],
                            "status": error.status_code,
                            **{k: v for k, v in error.body.items() if k != "detail"},
                        }
                    )

    return app


async def _ws_message(websocket: WebSocket, message: Any, header_token: str | None) -> None:
    service = service_of(websocket.app)
    if not isinstance(message, dict):
        raise ServiceError(400, "a message must be a JSON object")
    kind = message.pop("type", None)
    token = message.pop("api_key", None) or header_token
    project = message.pop("project_id", None)
    caller = await service.authenticate(token, project)
    if kind not in ("chat", "agentic_task"):
        raise ServiceError(400, f"unknown message type {kind!r} (chat, agentic_task)")
    await service.rate_limit(caller)
    try:
        request: BaseModel = (ChatRequest if kind == "chat" else TaskRequest).model_validate(
            message
        )
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ServiceError(422, problems) from None
    if isinstance(request, TaskRequest):
        await websocket.send_json({"type": "thinking"})
        await websocket.send_json({"type": "result", **(await service.task(caller, request))})
        return
    assert isinstance(request, ChatRequest)
    prepared = await service.prepare_chat(caller, request)
    async with contextlib.aclosing(service.stream(prepared)) as events:
        async for event in events:
            await websocket.send_json(event)
