"""The Anthropic wire (the anthropic SDK's `base_url=<service>`): Messages, plain and
streamed, and token counting; the key comes as `x-api-key` or `Authorization: Bearer`.

Everything here translates; the checks, budgets, rate limits, runs and usage are `Service`'s.
Errors are Anthropic's `{"type": "error", "error": {"type", "message"}}`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ._http import (
    KeyAuthorized,
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
from ._pricing import estimate_tokens
from ._schemas import ChatRequest, Message
from ._schemas_anthropic import (
    UNSUPPORTED_FIELDS,
    AnthropicError,
    CountTokensRequest,
    MessageResponse,
    MessagesRequest,
    TokenCount,
)
from ._service import Caller, Prepared, Service, ServiceError, prompt_of
from ._wire import StopScanner, cut_at_stop, model_alias, output_limited, text_of

__all__ = ["anthropic_error", "router"]

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    409: "invalid_request_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    503: "overloaded_error",
    504: "timeout_error",
}


def _error_object(status_code: int, message: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": _ERROR_TYPES.get(status_code, "api_error"), "message": message},
    }


def anthropic_error(error: ServiceError) -> JSONResponse:
    """An error in Anthropic's shape, with the service's headers (`Retry-After`...)."""
    return JSONResponse(
        _error_object(error.status_code, str(error)),
        status_code=error.status_code,
        headers=error.headers,
    )


def _invalid(error: RequestValidationError) -> ServiceError:
    name = unsupported_field(error, UNSUPPORTED_FIELDS)
    if name is not None:
        return ServiceError(400, f"{name}: not supported by this service")
    # The Messages API answers every malformed request with 400 invalid_request_error.
    return validation_error(error, 400)


router = APIRouter(route_class=wire_route(anthropic_error, _invalid))


def _seed_request(body: CountTokensRequest, max_tokens: int | None = None) -> ChatRequest:
    messages = [Message(role=m.role, content=text_of(m.content)) for m in body.messages]
    if body.system is not None:
        messages.insert(0, Message(role="system", content=text_of(body.system)))
    return ChatRequest(messages=messages, model=model_alias(body.model), max_tokens=max_tokens)


def _stop_reason(stopped: str | None, output_tokens: int, max_tokens: int) -> str:
    if stopped is not None:
        return "stop_sequence"
    return "max_tokens" if output_limited(output_tokens, max_tokens) else "end_turn"


def _message_id(seed_id: str) -> str:
    return "msg_" + seed_id.partition("_")[2]


async def _message(
    service: Service, caller: Caller, body: MessagesRequest, chat: ChatRequest
) -> dict[str, Any]:
    seed = await service.complete(caller, chat)
    text, stopped = cut_at_stop(seed["content"], body.stop_sequences or [])
    usage = seed["usage"]
    return {
        "id": _message_id(seed["id"]),
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": text}],
        "model": body.model,
        "stop_reason": _stop_reason(stopped, usage["output_tokens"], body.max_tokens),
        "stop_sequence": stopped,
        "usage": {"input_tokens": usage["input_tokens"], "output_tokens": usage["output_tokens"]},
    }


@router.post(
    "/v1/messages",
    response_model=MessageResponse,
    responses=stream_docs("with `stream`: events", 402, 409, 502, 503, 504, model=AnthropicError),
    summary="One message (Anthropic Messages)",
)
async def create_message(body: MessagesRequest, request: Request, caller: KeyAuthorized) -> Any:
    """The assistant's message, or with `stream` the Messages event sequence."""
    service = service_of(request.app)
    chat = _seed_request(body, body.max_tokens)
    if body.stream:
        return await streamed(
            service, caller, chat, lambda prepared: _events(service, prepared, body, chat)
        )
    timeout = service.config.default_timeout
    return await idempotent(
        request, caller, body, timeout, lambda: _message(service, caller, body, chat)
    )


async def _events(
    service: Service, prepared: Prepared, body: MessagesRequest, chat: ChatRequest
) -> AsyncIterator[bytes]:
    start: dict[str, Any] = {
        "id": _message_id(prepared.id),
        "type": "message",
        "role": "assistant",
        "content": [],
        "model": body.model,
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": estimate_tokens(prompt_of(chat.messages)), "output_tokens": 0},
    }
    yield sse({"type": "message_start", "message": start}, "message_start")
    block = {
        "type": "content_block_start",
        "index": 0,
        "content_block": {"type": "text", "text": ""},
    }
    yield sse(block, "content_block_start")

    def delta(text: str) -> bytes:
        event = {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": text},
        }
        return sse(event, "content_block_delta")

    scanner = StopScanner(body.stop_sequences or [])
    async with contextlib.aclosing(service.stream(prepared)) as events:
        async for event in events:
            if event["type"] == "token":
                text = scanner.feed(event["content"])
                if text:
                    yield delta(text)
            elif event["type"] == "done":
                tail = scanner.flush()
                if tail:
                    yield delta(tail)
                yield sse({"type": "content_block_stop", "index": 0}, "content_block_stop")
                usage = event["usage"]
                reason = _stop_reason(scanner.stopped, usage["output_tokens"], body.max_tokens)
                message_delta = {
                    "type": "message_delta",
                    "delta": {"stop_reason": reason, "stop_sequence": scanner.stopped},
                    "usage": {
                        "input_tokens": usage["input_tokens"],
                        "output_tokens": usage["output_tokens"],
                    },
                }
                yield sse(message_delta, "message_delta")
                yield sse({"type": "message_stop"}, "message_stop")
            elif event["type"] == "error":
                yield sse(_error_object(event["status"], str(event["error"])), "error")


@router.post(
    "/v1/messages/count_tokens",
    response_model=TokenCount,
    responses=error_docs(model=AnthropicError),
    summary="The prompt's tokens (Anthropic token counting)",
)
async def count_tokens(body: CountTokensRequest, request: Request, caller: KeyAuthorized) -> Any:
    """The estimate the service's budgets use for this prompt."""
    service = service_of(request.app)
    await service.rate_limit(caller)
    return {"input_tokens": estimate_tokens(prompt_of(_seed_request(body).messages))}
