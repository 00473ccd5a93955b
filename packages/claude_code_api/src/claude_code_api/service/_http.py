"""What every wire's router shares: the caller, the query check, idempotency, SSE frames and
routes that answer errors in their wire's own shape."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection

from ._schemas import ChatRequest, ErrorBody
from ._service import Caller, Prepared, Service, ServiceError

__all__ = [
    "IDEMPOTENCY_HEADER",
    "PROJECT_HEADER",
    "Authorized",
    "KeyAuthorized",
    "error_docs",
    "error_response",
    "idempotent",
    "known_query",
    "service_of",
    "sse",
    "stream_docs",
    "streamed",
    "unsupported_field",
    "validation_error",
    "wire_route",
]

IDEMPOTENCY_HEADER = "Idempotency-Key"
PROJECT_HEADER = "X-Project-ID"
# Statuses that prove a request did not run: its idempotency claim is released for a retry.
_NOT_RUN = frozenset({429, 503})
_PENDING_POLL = 0.05
_REPLAYED = {"Idempotent-Replayed": "true"}

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer cc_<40 hex>`")
_api_key = APIKeyHeader(
    name="x-api-key", auto_error=False, description="`x-api-key: cc_<40 hex>` (Anthropic wire)"
)


def error_docs(*codes: int, model: type[BaseModel] = ErrorBody) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route: the common error statuses plus `codes`."""
    return {code: {"model": model} for code in (400, 401, 403, 422, 429, 500, *codes)}


def stream_docs(
    events: str, *codes: int, model: type[BaseModel] = ErrorBody
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route that can also answer Server-Sent `events`."""
    return {
        200: {"content": {"text/event-stream": {}}, "description": events},
        **error_docs(*codes, model=model),
    }


def unsupported_field(error: RequestValidationError, unsupported: frozenset[str]) -> str | None:
    """The first top-level body field of `unsupported` the body was refused for."""
    for problem in error.errors():
        loc = problem["loc"]
        if problem["type"] == "extra_forbidden" and len(loc) == 2 and loc[1] in unsupported:
            return str(loc[1])
    return None


def service_of(app: FastAPI) -> Service:
    """The running app's `Service` (only between startup and shutdown)."""
    service = app.state.service
    assert isinstance(service, Service)
    return service


def error_response(error: ServiceError) -> JSONResponse:
    """The seed surface's error answer: the error's own body, status and headers."""
    return JSONResponse(error.body, status_code=error.status_code, headers=error.headers)


async def _authorized(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    token = credentials.credentials if credentials is not None else None
    return await service_of(request.app).authenticate(token, request.headers.get(PROJECT_HEADER))


async def _key_authorized(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Caller:
    token = api_key or (credentials.credentials if credentials is not None else None)
    return await service_of(request.app).authenticate(token, request.headers.get(PROJECT_HEADER))


Authorized = Annotated[Caller, Depends(_authorized)]
"""The caller of a route taking `Authorization: Bearer`."""
KeyAuthorized = Annotated[Caller, Depends(_key_authorized)]
"""The caller of a route taking `x-api-key` or `Authorization: Bearer`."""


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def known_query(request: HTTPConnection) -> None:
    """Refuse query parameters the route does not take (a misspelt `period` would otherwise
    be ignored silently)."""
    route = request.scope.get("route")
    known = _query_names(route.dependant) if isinstance(route, APIRoute) else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ServiceError(400, f"unknown query parameter(s): {', '.join(map(repr, unknown))}")


def validation_error(error: RequestValidationError, status_code: int = 422) -> ServiceError:
    """A refused body as a `ServiceError`: `detail` is FastAPI's list of problems, the message
    names the first field."""
    problems = jsonable_encoder(error.errors())
    first = problems[0] if problems else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"] if part != "body")
    message = str(first["msg"])
    refusal = ServiceError(status_code, f"{where}: {message}" if where else message)
    refusal.body["detail"] = problems
    return refusal


def wire_route(
    render: Callable[[ServiceError], Response],
    invalid: Callable[[RequestValidationError], ServiceError] = validation_error,
) -> type[APIRoute]:
    """A route class whose refusals (`ServiceError`, a body that does not validate, as
    `invalid` words it) answer in one wire's shape, whatever raised them: dependency, handler
    or body parsing."""

    class WireRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def answer(request: Request) -> Response:
                try:
                    return await handler(request)
                except ServiceError as error:
                    return render(error)
                except RequestValidationError as error:
                    return render(invalid(error))
                except HTTPException as error:  # a body FastAPI could not parse at all
                    return render(
                        ServiceError(
                            error.status_code, error.detail, headers=dict(error.headers or {})
                        )
                    )

            return answer

    return WireRoute


async def idempotent(
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
            if status >= 400:
                # Raised again, so that the route's wire words the stored refusal its own way.
                raise _replayed_error(status, stored)
            return JSONResponse(stored, status_code=status, headers=dict(_REPLAYED))
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


async def streamed(
    service: Service,
    caller: Caller,
    chat: ChatRequest,
    frames: Callable[[Prepared], AsyncIterator[bytes]],
) -> StreamingResponse:
    """A streamed completion: rate limit, checks and budget first (a refusal is still a plain
    error answer), then `frames` of the prepared run as `text/event-stream`."""
    await service.rate_limit(caller)
    prepared = await service.prepare_chat(caller, chat)
    return StreamingResponse(
        frames(prepared), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


def _replayed_error(status_code: int, stored: Any) -> ServiceError:
    body = dict(stored) if isinstance(stored, dict) else {"detail": stored}
    detail = body.pop("detail", "")
    error = ServiceError(status_code, str(detail), headers=dict(_REPLAYED), **body)
    error.body["detail"] = detail
    return error


def sse(event: dict[str, Any], name: str | None = None) -> bytes:
    """One Server-Sent Event frame (with an `event:` line when `name` is given)."""
    data = f"data: {json.dumps(event, separators=(',', ':'))}\n\n"
    return (f"event: {name}\n{data}" if name else data).encode()
