"""The seed's own surface: health, streaming (SSE and WebSocket), batches, tasks, usage,
routing and capabilities (its completions are served by the OpenAI router, on one path for
both clients). Errors are FastAPI style `{"detail": ...}`."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ValidationError

from .._version import __version__
from ._http import Authorized, error_docs, idempotent, service_of, sse, stream_docs, streamed
from ._profiles import capabilities as capabilities_of_profiles
from ._schemas import (
    BatchRequest,
    BatchResponse,
    ChatRequest,
    RouteRequest,
    RouteResponse,
    TaskRequest,
    TaskResponse,
    UsageResponse,
)
from ._service import Prepared, ServiceError

__all__ = ["router"]

router = APIRouter()


@router.get("/", summary="Service information")
async def root() -> dict[str, Any]:
    """Name, version and where the docs are."""
    return {"service": "Claude Code API", "version": __version__, "docs": "/docs"}


@router.get("/health", summary="Health of the service and its components")
async def health(request: Request) -> dict[str, Any]:
    """The database, engine and worker pool, each with its status."""
    service = service_of(request.app)
    database = "ok"
    try:
        await service.store.ping()
    except Exception:  # a health check reports failures instead of raising them
        database = "unavailable"
    engine = await service.engine_health()
    return {
        "status": "healthy" if database == "ok" and engine["status"] == "ok" else "degraded",
        "version": __version__,
        "engine": service.engine.name,
        "services": {
            "database": {
                "status": database,
                "dialect": service.store.engine.dialect.name,
            },
            "engine": engine,
            "worker_pool": {
                "status": "ok",
                "batch_concurrency": service.config.batch_concurrency,
                "active_runs": service.active_runs,
            },
        },
        "uptime_seconds": round(time.time() - service.started_at, 3),
    }


@router.post(
    "/v1/stream",
    responses=stream_docs("token/done events", 402, 502, 503, 504),
    summary="A completion streamed as Server-Sent Events",
)
async def stream_sse(body: ChatRequest, request: Request, caller: Authorized) -> Any:
    """`token` events, then `done` (usage, cost, model) or `error`."""
    service = service_of(request.app)

    async def frames(prepared: Prepared) -> AsyncIterator[bytes]:
        async with contextlib.aclosing(service.stream(prepared)) as events:
            async for event in events:
                yield sse(event)

    return await streamed(service, caller, body, frames)


@router.post(
    "/v1/batch",
    response_model=BatchResponse,
    responses=error_docs(409),
    summary="Several prompts, each result independent",
)
async def batch(body: BatchRequest, request: Request, caller: Authorized) -> Any:
    """Every prompt's outcome in input order."""
    service = service_of(request.app)
    per_prompt = body.timeout or service.config.default_timeout
    timeout = per_prompt * len(body.prompts)
    return await idempotent(request, caller, body, timeout, lambda: service.batch(caller, body))


@router.post(
    "/v1/task",
    response_model=TaskResponse,
    responses=error_docs(402, 409, 502, 503, 504),
    summary="An agentic task in a fresh working directory",
)
async def task(body: TaskRequest, request: Request, caller: Authorized) -> Any:
    """The finished task with its artifacts and execution log."""
    service = service_of(request.app)
    return await idempotent(request, caller, body, body.timeout, lambda: service.task(caller, body))


@router.get(
    "/v1/usage",
    response_model=UsageResponse,
    responses=error_docs(),
    summary="Usage of the project over a period",
)
async def usage(
    request: Request,
    caller: Authorized,
    # Checked by the handler, not by FastAPI, so that a bad period is the spec's 400.
    period: Annotated[str, Query(json_schema_extra={"enum": ["day", "week", "month"]})] = "month",
) -> Any:
    """Tokens, cost and requests of the caller's project, by model."""
    service = service_of(request.app)
    await service.rate_limit(caller)
    return await service.usage(caller, period)


@router.post(
    "/v1/route",
    response_model=RouteResponse,
    responses=error_docs(),
    summary="The model `auto` would pick",
)
async def route(body: RouteRequest, request: Request, caller: Authorized) -> Any:
    """The routing decision for a prompt, with its reason."""
    service = service_of(request.app)
    await service.rate_limit(caller)
    return await service.route(caller, body.prompt, body.context_size)


@router.get(
    "/v1/capabilities", responses=error_docs(), summary="Tools, agents, skills and profiles"
)
async def capabilities(request: Request, caller: Authorized) -> dict[str, Any]:
    """What a task may ask for, and what each profile allows."""
    await service_of(request.app).rate_limit(caller)
    return capabilities_of_profiles()


@router.websocket("/v1/stream")
async def stream_ws(websocket: WebSocket) -> None:
    """Chat and agentic-task messages in, token/done/result/error events out."""
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
