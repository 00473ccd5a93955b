"""The `anthropic` engine: the Messages API, streamed, through the `anthropic` package.

Needs the extra `claude_code_api[anthropic]`. It answers prompts with text only: the tools,
agents and skills of Claude Code run in the `claude` CLI (engine `claude-cli`), so a request
asking for them is refused rather than answered without them. The client never retries
(`max_retries=0` by default): the service's retry policy decides, from the failure's category
and `retry_after`.
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import AsyncIterator, Awaitable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from ._base import (
    EngineEvent,
    EngineFailure,
    EngineRequest,
    FailureCategory,
    FinalResult,
    ModelAlias,
    TextDelta,
    Usage,
)
from ._limits import Deadline, cap_cost
from ._pricing import PRICES, cost_usd
from ._statuses import STATUS_CATEGORIES

try:
    import anthropic
    from anthropic import AsyncStream
    from anthropic.types import (
        RawContentBlockDeltaEvent,
        RawMessageDeltaEvent,
        RawMessageStartEvent,
        RawMessageStopEvent,
        RawMessageStreamEvent,
    )
    from anthropic.types import TextDelta as APITextDelta
except ImportError as exc:  # pragma: no cover - the extra is installed wherever tests run
    raise ImportError(
        "the anthropic engine needs the anthropic package: pip install 'claude_code_api[anthropic]'"
    ) from exc


def _transport_errors() -> tuple[type[Exception], ...]:
    """The errors of the HTTP library under the client (httpx; its fork httpx2 in anthropic
    2.x), which a broken stream raises as they are, unwrapped."""
    errors: list[type[Exception]] = []
    for name in ("httpx", "httpx2"):
        try:
            errors.append(importlib.import_module(name).TransportError)
        except (ImportError, AttributeError):
            continue
    return tuple(errors)


_TRANSPORT_ERRORS = _transport_errors()
_T = TypeVar("_T")

DEFAULT_MODELS: Mapping[str, str] = {
    "haiku": "claude-haiku-5-5",
    "sonnet": "claude-sonnet-5-5",
    "opus": "claude-opus-5-5",
}
"""Model alias -> Messages API model id, unless the engine is given others."""

_ERROR_TYPES: Mapping[str, FailureCategory] = {
    "rate_limit_error": "rate_limited",
    "overloaded_error": "overloaded",
    "invalid_request_error": "bad_request",
    "request_too_large": "bad_request",
    "timeout_error": "timeout",
}
"""The API's `error.type` values that are not a plain upstream failure."""


class AnthropicEngine:
    """Answers each request with one streamed Messages API call.

    `api_key` defaults to `ANTHROPIC_API_KEY`, `base_url` to the client's own default (or
    `ANTHROPIC_BASE_URL`); `models` overrides some of `DEFAULT_MODELS`; `max_tokens` is used
    when a request sets none; `max_retries` is the client's retry count.
    """

    name = "anthropic"

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        models: Mapping[str, str] | None = None,
        *,
        max_tokens: int = 4096,
        max_retries: int = 0,
    ) -> None:
        key = api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise ValueError(
                "api_key: no Anthropic API key (pass api_key or set ANTHROPIC_API_KEY)"
            )
        unknown = sorted(set(models or {}) - set(PRICES))
        if unknown:
            raise ValueError(f"models: unknown alias {unknown[0]!r} (known: haiku, sonnet, opus)")
        if max_tokens <= 0:
            raise ValueError(f"max_tokens: must be positive, got {max_tokens}")
        if max_retries < 0:
            raise ValueError(f"max_retries: must not be negative, got {max_retries}")
        self.models: dict[str, str] = {**DEFAULT_MODELS, **(models or {})}
        self.max_tokens = max_tokens
        self._client = anthropic.AsyncAnthropic(
            api_key=key, base_url=base_url, max_retries=max_retries
        )

    def __repr__(self) -> str:
        base_url = str(self._client.base_url)
        return f"{type(self).__name__}(base_url={base_url!r}, models={self.models!r})"

    async def run(self, request: EngineRequest) -> AsyncIterator[EngineEvent]:
        """Stream the answer to `request`; see `Engine.run`."""
        refused = _unsupported(request)
        if refused:
            yield refused
            return
        deadline = Deadline(request.timeout)
        stream = await _guarded(
            deadline,
            self._client.messages.create(
                model=self.models[request.model],
                max_tokens=self._max_tokens(request),
                messages=[{"role": "user", "content": request.prompt}],
                stream=True,
                timeout=request.timeout,
            ),
        )
        if isinstance(stream, EngineFailure):
            yield stream
            return
        answer = _Answer(request.model, self.models[request.model])
        try:
            while not answer.stopped:
                api_event = await _guarded(deadline, _next_event(stream))
                if api_event is None:
                    api_event = EngineFailure(
                        "upstream", "the Anthropic API stream ended before message_stop"
                    )
                if isinstance(api_event, EngineFailure):
                    yield api_event
                    return
                delta = answer.take(api_event)
                if delta:
                    yield TextDelta(delta)
        finally:
            await stream.close()
        for event in cap_cost(request, [answer.usage(), FinalResult(answer.text, answer.model)]):
            yield event

    def _max_tokens(self, request: EngineRequest) -> int:
        """The request's `max_tokens` (else the engine's), lowered so that the answer alone
        cannot cost more than `max_cost`; the input's share is checked on the final usage."""
        limit = request.max_tokens or self.max_tokens
        if request.max_cost is None:
            return limit
        affordable = request.max_cost * 1_000_000 / PRICES[request.model].output_per_million
        return max(1, min(limit, int(affordable)))

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.close()


async def _guarded(deadline: Deadline, awaitable: Awaitable[_T]) -> _T | EngineFailure:
    """The awaitable's result, or the failure that the deadline or the API made of it."""
    try:
        return await deadline.wait(awaitable)
    except TimeoutError:
        return deadline.failure("the Anthropic API")
    except anthropic.AnthropicError as exc:
        return failure_from(exc)
    except _TRANSPORT_ERRORS as exc:
        return EngineFailure(
            "upstream", f"the Anthropic API connection broke: {type(exc).__name__}: {exc}"
        )


async def _next_event(stream: AsyncStream[RawMessageStreamEvent]) -> RawMessageStreamEvent | None:
    """The stream's next event; None at its end."""
    try:
        return await stream.__anext__()
    except StopAsyncIteration:
        return None


class _Answer:
    """What the stream's events have said so far."""

    def __init__(self, alias: ModelAlias, model: str) -> None:
        self.alias: ModelAlias = alias
        self.model = model
        self.parts: list[str] = []
        self.input_tokens = 0
        self.output_tokens = 0
        self.stopped = False

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def take(self, event: RawMessageStreamEvent) -> str | None:
        """Record one stream event; the text it adds, if any."""
        if isinstance(event, RawMessageStartEvent):
            self.model = event.message.model or self.model
            self._count(event.message.usage)
        elif isinstance(event, RawContentBlockDeltaEvent):
            if isinstance(event.delta, APITextDelta) and event.delta.text:
                self.parts.append(event.delta.text)
                return event.delta.text
        elif isinstance(event, RawMessageDeltaEvent):
            self._count(event.usage)
        elif isinstance(event, RawMessageStopEvent):
            self.stopped = True
        return None

    def usage(self) -> Usage:
        return Usage(
            self.input_tokens,
            self.output_tokens,
            cost_usd(self.alias, self.input_tokens, self.output_tokens),
        )

    def _count(self, usage: Any) -> None:
        # message_start carries the input count; message_delta the final (cumulative) output
        # count and, in newer API versions, the input count again.
        input_tokens = sum(
            getattr(usage, name, None) or 0
            for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        )
        self.input_tokens = max(self.input_tokens, input_tokens)
        self.output_tokens = max(self.output_tokens, getattr(usage, "output_tokens", None) or 0)


def _unsupported(request: EngineRequest) -> EngineFailure | None:
    asked = [
        f"{kind} {', '.join(names)}"
        for kind, names in (
            ("tools", request.allowed_tools),
            ("agents", request.allowed_agents),
            ("skills", request.allowed_skills),
        )
        if names
    ]
    if not asked:
        return None
    return EngineFailure(
        "bad_request",
        f"the anthropic engine answers with text only and cannot use {'; '.join(asked)} "
        "(run the service with the claude-cli engine for tools, agents and skills)",
    )


def failure_from(exc: anthropic.AnthropicError) -> EngineFailure:
    """The engine failure for an error of the `anthropic` client."""
    if isinstance(exc, anthropic.APITimeoutError):
        return EngineFailure("timeout", "the Anthropic API did not answer in time")
    if isinstance(exc, anthropic.APIConnectionError):
        return EngineFailure("upstream", f"cannot reach the Anthropic API: {exc}")
    if not isinstance(exc, anthropic.APIStatusError):
        return EngineFailure("upstream", f"Anthropic client error: {exc}")
    error_type, message = _error_body(exc.body)
    # An error inside a 200 stream has only its body to tell what it is.
    category = _ERROR_TYPES.get(error_type or "") or STATUS_CATEGORIES.get(
        exc.status_code, "upstream"
    )
    label = f"{exc.status_code} {error_type}" if error_type else str(exc.status_code)
    return EngineFailure(
        category,
        f"the Anthropic API answered {label}: {message or exc.message}",
        retry_after=retry_after(exc.response.headers.get("retry-after")),
    )


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, seconds)


def _error_body(body: object) -> tuple[str | None, str | None]:
    """`(error.type, error.message)` of the API's `{"type": "error", "error": {...}}` body."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None
    kind, message = error.get("type"), error.get("message")
    return (kind if isinstance(kind, str) else None, message if isinstance(message, str) else None)
