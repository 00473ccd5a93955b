"""The OpenAI wire (`base_url=<service>/v1`): Chat Completions, plain and streamed, and the
model list. `/v1/chat/completions` is also the seed client's path: one body serves both.

Everything here translates; the checks, budgets, rate limits, runs and usage are `Service`'s.
Errors carry OpenAI's `error` object beside the seed's `detail`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ._http import (
    Authorized,
    error_docs,
    idempotent,
    service_of,
    sse,
    stream_docs,
    streamed,
    unsupported_field,
    validation_error,
    wire_route,
)
from ._schemas import ChatRequest, Message
from ._schemas_openai import (
    UNSUPPORTED_PARAMETERS,
    ChatCompletion,
    ChatCompletionRequest,
    ModelEntry,
    ModelList,
    OpenAIError,
)
from ._service import Caller, Prepared, Service, ServiceError
from ._wire import (
    StopScanner,
    cut_at_stop,
    model_alias,
    model_entries,
    model_entry,
    output_limited,
    text_of,
)

__all__ = ["openai_error", "router"]

_ERROR_KINDS: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("authentication_error", "invalid_api_key"),
    402: ("insufficient_quota", "budget_exceeded"),
    403: ("permission_error", "permission_denied"),
    404: ("not_found_error", "not_found"),
    409: ("conflict_error", "conflict"),
    413: ("invalid_request_error", "request_too_large"),
    422: ("invalid_request_error", "invalid_value"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}


def _error_object(error: ServiceError) -> dict[str, Any]:
    kind, code = _ERROR_KINDS.get(error.status_code, ("server_error", "server_error"))
    detail = error.body["detail"]
    param = error.body.get("param")
    if isinstance(detail, list) and detail:
        # FastAPI's problem list: the message names the first field, `param` is its top name.
        param = next((str(part) for part in detail[0]["loc"] if part != "body"), None)
    return {
        "message": str(error),
        "type": kind,
        "code": error.body.get("category") or code,
        "param": param,
    }


def openai_error(error: ServiceError) -> JSONResponse:
    """`error` in OpenAI's shape beside the seed's body, so both clients read it."""
    return JSONResponse(
        {**error.body, "error": _error_object(error)},
        status_code=error.status_code,
        headers=error.headers,
    )


def _invalid(error: RequestValidationError) -> ServiceError:
    name = unsupported_field(error, UNSUPPORTED_PARAMETERS)
    if name is not None:
        return ServiceError(400, f"{name} is not supported by this service", param=name)
    return validation_error(error)


router = APIRouter(route_class=wire_route(openai_error, _invalid))
# OpenAI's `developer` role is the system prompt of newer models.
_ROLES: dict[str, Literal["system", "user", "assistant"]] = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
}


def _seed_request(body: ChatCompletionRequest) -> ChatRequest:
    if body.n is not None and body.n > 1:
        raise ServiceError(400, f"n={body.n}: only one choice (n=1) is supported", param="n")
    messages = [Message(role=_ROLES[m.role], content=text_of(m.content)) for m in body.messages]
    return ChatRequest(
        messages=messages,
        model=model_alias(body.model),
        timeout=body.timeout,
        max_tokens=body.max_completion_tokens or body.max_tokens,
        working_directory=body.working_directory,
        allowed_tools=body.allowed_tools,
    )


def _stops(body: ChatCompletionRequest) -> list[str]:
    return [body.stop] if isinstance(body.stop, str) else list(body.stop or [])


def _usage(seed: dict[str, int]) -> dict[str, int]:
    return {
        **seed,
        "prompt_tokens": seed["input_tokens"],
        "completion_tokens": seed["output_tokens"],
    }


async def _completion(
    service: Service, caller: Caller, body: ChatCompletionRequest, chat: ChatRequest
) -> dict[str, Any]:
    seed = await service.complete(caller, chat)
    content, stopped = cut_at_stop(seed["content"], _stops(body))
    limited = stopped is None and output_limited(seed["usage"]["output_tokens"], chat.max_tokens)
    return {
        **seed,
        "content": content,
        "object": "chat.completion",
        "created": int(time.time()),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "length" if limited else "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(seed["usage"]),
    }


@router.post(
    "/v1/chat/completions",
    response_model=ChatCompletion,
    responses=stream_docs("with `stream`: chunks", 402, 409, 502, 503, 504, model=OpenAIError),
    summary="One completion (OpenAI Chat Completions; the seed's completion)",
)
async def chat_completions(
    body: ChatCompletionRequest, request: Request, caller: Authorized
) -> Any:
    """The whole answer, or with `stream` its `chat.completion.chunk` events."""
    service = service_of(request.app)
    chat = _seed_request(body)
    if body.stream:
        return await streamed(
            service, caller, chat, lambda prepared: _chunks(service, prepared, body, chat)
        )
    timeout = body.timeout or service.config.default_timeout
    return await idempotent(
        request, caller, body, timeout, lambda: _completion(service, caller, body, chat)
    )


async def _chunks(
    service: Service, prepared: Prepared, body: ChatCompletionRequest, chat: ChatRequest
) -> AsyncIterator[bytes]:
    base = {
        "id": prepared.id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": prepared.run.model,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return sse({**base, "choices": [choice]})

    yield chunk({"role": "assistant", "content": ""})
    scanner = StopScanner(_stops(body))
    async with contextlib.aclosing(service.stream(prepared)) as events:
        async for event in events:
            if event["type"] == "token":
                text = scanner.feed(event["content"])
                if text:
                    yield chunk({"content": text})
            elif event["type"] == "done":
                tail = scanner.flush()
                if tail:
                    yield chunk({"content": tail})
                limited = scanner.stopped is None and output_limited(
                    event["usage"]["output_tokens"], chat.max_tokens
                )
                yield chunk({}, "length" if limited else "stop")
                if body.stream_options is not None and body.stream_options.include_usage:
                    yield sse({**base, "choices": [], "usage": _usage(event["usage"])})
            elif event["type"] == "error":
                failure = ServiceError(event["status"], str(event["error"]))
                yield sse({"error": _error_object(failure)})
    yield b"data: [DONE]\n\n"


@router.get(
    "/v1/models",
    response_model=ModelList,
    responses=error_docs(model=OpenAIError),
    summary="The models the configured engine serves",
)
async def list_models(request: Request, caller: Authorized) -> Any:
    """Our aliases (`auto`, `haiku`, `sonnet`, `opus`) and the engine's own model ids."""
    service = service_of(request.app)
    await service.rate_limit(caller)
    data = model_entries(service.engine)
    return {
        "object": "list",
        "data": data,
        "has_more": False,
        "first_id": data[0]["id"],
        "last_id": data[-1]["id"],
    }


@router.get(
    "/v1/models/{model_id}",
    response_model=ModelEntry,
    responses=error_docs(404, model=OpenAIError),
    summary="One model",
)
async def get_model(model_id: str, request: Request, caller: Authorized) -> Any:
    """Any model id `POST /v1/chat/completions` accepts; 404 for others."""
    service = service_of(request.app)
    await service.rate_limit(caller)
    if model_alias(model_id) is None:
        raise ServiceError(404, f"The model {model_id!r} does not exist", param="model")
    return model_entry(model_id, service.engine)
