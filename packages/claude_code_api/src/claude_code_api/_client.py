"""`ClaudeClient` and `AsyncClaudeClient`: every method written once (sdkcore `Op`s), run by
the blocking or the async face."""

from __future__ import annotations

import math
from collections.abc import AsyncGenerator, Generator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import httpx
from typing_extensions import TypedDict, Unpack

import sdkcore
from sdkcore import (
    Async,
    AsyncAPIClient,
    BaseClient,
    DualOp,
    NotGiven,
    Op,
    RequestOptions,
    Resource,
    SSEDecoder,
    StreamFactory,
    Sync,
    SyncAPIClient,
    TimeoutTypes,
    as_model,
    dual,
    endpoint,
)

from ._exceptions import ERROR_MAP, APIConnectionError, ClaudeAPIError
from ._models import (
    BatchResponse,
    Health,
    Response,
    RouteDecision,
    TaskResult,
    UsageStats,
)
from ._stream_events import chunk_of, decode_event, stream_ended
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MODELS",
    "PROJECT_HEADER",
    "AsyncClaudeClient",
    "CallOptions",
    "ClaudeClient",
]

DEFAULT_BASE_URL = "http://localhost:8006"
DEFAULT_TIMEOUT = 300.0
DEFAULT_MAX_RETRIES = 2
MODELS = ("auto", "haiku", "sonnet", "opus")
PROJECT_HEADER = "X-Project-ID"
PERIODS = ("day", "week", "month")
_SSE = {"Accept": "text/event-stream"}
# The service answers a timeout itself (504 with the partial result); the client waits a little
# longer than the service so that answer arrives instead of a client-side timeout.
_TIMEOUT_GRACE = 10.0

PROFILE = sdkcore.ClientProfile(
    name="claude_code_api",
    version=__version__,
    error_map=ERROR_MAP,
    retry=sdkcore.RetryPolicy(
        max_retries=DEFAULT_MAX_RETRIES,
        initial_delay=0.5,
        max_delay=8.0,
        retry_statuses=frozenset({408, 429, 500, 502, 503}),
    ),
    default_timeout=httpx.Timeout(DEFAULT_TIMEOUT, connect=5.0),
    idempotency_header="Idempotency-Key",
    auto_idempotency=True,
    base_headers={"Accept": "application/json"},
)

M = TypeVar("M", bound=sdkcore.Mode)
ModelT = TypeVar("ModelT", bound=sdkcore.BaseModel)
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


def _text(value: Any, argument: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{argument} must be a non-empty string")
    return value


def _model(value: Any) -> str | None:
    """The wire value of `model`: omitted for "auto" (the service routes)."""
    if value not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {value!r}")
    return None if value == "auto" else str(value)


def _seconds(value: Any, argument: str, upper: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise TypeError(f"{argument} must be a number of seconds, got {value!r}")
    if not 1 <= value <= upper:
        raise ValueError(f"{argument} must be between 1 and {upper:g} seconds, got {value!r}")
    return float(value)


def _names(value: Sequence[str] | None, argument: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(item, str) and item for item in value):
        raise TypeError(f"{argument} must be a list of non-empty names, got {value!r}")
    return list(value)


class CallOptions(TypedDict, total=False):
    """Per-call options of every method (the seed's `timeout` argument is the service's
    timeout, so the HTTP timeout follows it instead of being an option).

    Keys:
        max_retries: Retries for this call only.
        extra_headers: Headers added to (or replacing) the client's.
        extra_query: Query parameters added to the request.
        extra_body: JSON fields merged into the request body.
        idempotency_key: Your own key instead of the generated one (the service runs a
            request at most once per key).
    """

    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    idempotency_key: str


def _project_options(
    options: CallOptions | RequestOptions, project_id: str | None, timeout: float | None = None
) -> RequestOptions:
    """Per-call options: the project override header and a timeout outlasting the service's."""
    merged = RequestOptions(**options)
    if project_id is not None:
        headers = {
            **merged.get("extra_headers", {}),
            PROJECT_HEADER: _text(project_id, "project_id"),
        }
        merged["extra_headers"] = headers
    if timeout is not None and "timeout" not in merged:
        merged["timeout"] = httpx.Timeout(timeout + _TIMEOUT_GRACE, connect=5.0)
    return merged


def _post(
    path: str,
    model: type[ModelT],
    body: dict[str, Any],
    options: CallOptions,
    project_id: str | None,
    timeout: float | None,
) -> Op[ModelT]:
    """A POST whose answer is `model`, billed to `project_id`, waiting out `timeout`."""
    return Op(
        "POST",
        path,
        as_model(model),
        body=body,
        options=_project_options(options, project_id, timeout),
    )


class _Methods(Resource[M]):
    """The service's operations; the client classes are resources of themselves."""

    def _run(self, op: Op[Any]) -> Any:
        return self._execute(op, raw=False)  # type: ignore[attr-defined]

    @endpoint
    def complete(
        self,
        /,
        prompt: str,
        model: str = "auto",
        timeout: float | None = None,
        project_id: str | None = None,
        *,
        max_tokens: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Op[Response]:
        """A completion of `prompt`.

        Args:
            prompt: Input text.
            model: "haiku", "sonnet", "opus", or "auto" (the service picks, see `route`).
            timeout: Seconds the service may take (1-300, service default 30).
            project_id: Bill another project (the key must be allowed to act for it).
            max_tokens: Cap on the answer's tokens.

        Retried safely: every attempt carries the same idempotency key, so the service runs
        the completion at most once.
        """
        body = sdkcore.strip_not_given(
            {
                "messages": [{"role": "user", "content": _text(prompt, "prompt")}],
                "model": _model(model),
                "timeout": _seconds(timeout, "timeout", 300),
                "max_tokens": max_tokens,
            }
        )
        if max_tokens is not None and (
            isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1
        ):
            raise ValueError(f"max_tokens must be a positive int, got {max_tokens!r}")
        return _post(
            "/v1/chat/completions", Response, body, options, project_id, body.get("timeout")
        )

    @endpoint
    def agentic_task(
        self,
        /,
        description: str,
        allow_tools: Sequence[str] | None = None,
        allow_agents: Sequence[str] | None = None,
        allow_skills: Sequence[str] | None = None,
        timeout: float = 300,
        max_cost: float | None = None,
        working_directory: str | None = None,
        project_id: str | None = None,
        *,
        model: str = "auto",
        **options: Unpack[CallOptions],
    ) -> Op[TaskResult]:
        """Run an agentic task with tools, agents and skills; returns a `TaskResult`.

        Args:
            description: What to do.
            allow_tools: Tools the task may use (e.g. ["Read", "Grep"]); within the key's profile.
            allow_agents: Agents the task may call.
            allow_skills: Skills the task may use.
            timeout: Seconds before the service stops the task (raises `TaskTimeoutError`).
            max_cost: USD the task may spend; over it, it is stopped (`BudgetExceededError`).
            working_directory: A directory on the service host (inside one it allows) whose
                files are copied into the task's fresh working directory.
            project_id: Bill another project (the key must be allowed to act for it).
            model: As for `complete`.
        """
        seconds = _seconds(timeout, "timeout", 3600)
        if max_cost is not None and (
            isinstance(max_cost, bool) or not isinstance(max_cost, (int, float)) or not max_cost > 0
        ):
            raise ValueError(f"max_cost must be a positive number of USD, got {max_cost!r}")
        body = sdkcore.strip_not_given(
            {
                "description": _text(description, "description"),
                "allow_tools": _names(allow_tools, "allow_tools"),
                "allow_agents": _names(allow_agents, "allow_agents"),
                "allow_skills": _names(allow_skills, "allow_skills"),
                "timeout": seconds,
                "max_cost": max_cost,
                "working_directory": None
                if working_directory is None
                else _text(working_directory, "working_directory"),
                "model": _model(model),
            }
        )
        return _post("/v1/task", TaskResult, body, options, project_id, seconds)

    @endpoint
    def batch(
        self,
        /,
        prompts: Sequence[str],
        model: str = "auto",
        parallel: bool = True,
        timeout: float | None = None,
        project_id: str | None = None,
        **options: Unpack[CallOptions],
    ) -> Op[BatchResponse]:
        """Run several prompts; one failing prompt never fails the batch.

        Args:
            prompts: The prompts (1 to 100); results keep their order, ids "0", "1", ...
            model: As for `complete`, for every prompt.
            parallel: Run them concurrently on the service's bounded pool (else one by one).
            timeout: Seconds per prompt (1-300).
        """
        if isinstance(prompts, str) or not isinstance(prompts, Sequence) or not prompts:
            raise TypeError("prompts must be a non-empty list of strings")
        items = [
            {"id": str(index), "prompt": _text(prompt, f"prompts[{index}]")}
            for index, prompt in enumerate(prompts)
        ]
        if not isinstance(parallel, bool):
            raise TypeError(f"parallel must be a bool, got {parallel!r}")
        seconds = _seconds(timeout, "timeout", 300)
        body = sdkcore.strip_not_given(
            {"prompts": items, "model": _model(model), "parallel": parallel, "timeout": seconds}
        )
        # The whole batch may take as long as every prompt run one after the other.
        total = None if parallel else (seconds or 30.0) * len(items)
        return _post("/v1/batch", BatchResponse, body, options, project_id, total)

    @endpoint
    def get_usage(
        self,
        /,
        period: str = "month",
        project_id: str | None = None,
        **options: Unpack[CallOptions],
    ) -> Op[UsageStats]:
        """Usage of the key's project (or `project_id`) this `period`: "day", "week", "month"."""
        if period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
        return Op(
            "GET",
            "/v1/usage",
            as_model(UsageStats),
            query={"period": period},
            options=_project_options(options, project_id),
        )

    @endpoint
    def health(self, /, **options: Unpack[CallOptions]) -> Op[Health]:
        """The service's health: `status`, `services` (database, engine, pool)."""
        return Op("GET", "/health", as_model(Health), options=_project_options(options, None))

    @endpoint
    def route(
        self,
        /,
        prompt: str,
        context_size: int = 0,
        **options: Unpack[CallOptions],
    ) -> Op[RouteDecision]:
        """The model `auto` would pick for `prompt`, with the reasoning (nothing is run)."""
        if isinstance(context_size, bool) or not isinstance(context_size, int) or context_size < 0:
            raise ValueError(f"context_size must be an int >= 0, got {context_size!r}")
        return Op(
            "POST",
            "/v1/route",
            as_model(RouteDecision),
            body={"prompt": _text(prompt, "prompt"), "context_size": context_size},
            options=_project_options(options, None),
            safe=True,
        )

    @dual
    def _stream_events(
        self,
        /,
        prompt: str,
        model: str,
        timeout: float | None,
        project_id: str | None,
        options: CallOptions,
    ) -> DualOp[sdkcore.Stream[dict[str, Any]], sdkcore.AsyncStream[dict[str, Any]]]:
        body = sdkcore.strip_not_given(
            {
                "messages": [{"role": "user", "content": _text(prompt, "prompt")}],
                "model": _model(model),
                "timeout": _seconds(timeout, "timeout", 300),
            }
        )
        return DualOp(
            "POST",
            "/v1/stream",
            sdkcore.as_json,
            body=body,
            options=_project_options(
                {
                    **options,
                    "extra_headers": {
                        **options.get("extra_headers", {}),
                        "Accept": "text/event-stream",
                    },
                },
                project_id,
                body.get("timeout"),
            ),
            stream=True,
            factory=StreamFactory(SSEDecoder, decode_event),
        )


class _ClaudeBase(BaseClient, _Methods[M], Generic[M, H]):
    """Configuration both faces share."""

    api_key: str
    project_id: str | None

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        api_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = sdkcore.NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        project_id: str | None = None,
        *,
        default_headers: Mapping[str, str] | None = None,
        http_client: H | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        """Create a client.

        Args:
            base_url: Service root; default `CLAUDE_API_URL`, else http://localhost:8006.
            api_key: `cc_...` key; default `CLAUDE_API_KEY`.
            timeout: Seconds (or `httpx.Timeout`) per request; default `CLAUDE_TIMEOUT`, else 300.
            max_retries: Retries of connection errors, 429 and 5xx (default 2, 0 disables).
            project_id: Project billed by default (the key's own when None).
            default_headers: Headers sent with every request.
            http_client: Your own `httpx.Client` / `httpx.AsyncClient`.
            allow_insecure_http: Accept a plain `http://` base_url to a host that is not
                loopback (a self-hosted service on a network you trust, e.g.
                `http://claude-api:8006` in docker compose); without it such a URL is refused
                so the key never travels in clear text.

        Raises:
            ClaudeAPIError: no api_key and no `CLAUDE_API_KEY`.
            ValueError, TypeError: an option is invalid (nothing is sent).
        """
        self.api_key = sdkcore.require_setting(
            api_key, argument="api_key", env_var="CLAUDE_API_KEY", error=ClaudeAPIError
        )
        self.project_id = None if project_id is None else _text(project_id, "project_id")
        if isinstance(timeout, NotGiven):
            env_timeout = sdkcore.env_or(None, "CLAUDE_TIMEOUT")
            if env_timeout is not None:
                try:
                    timeout = float(env_timeout)
                except ValueError:
                    raise ValueError(
                        f"CLAUDE_TIMEOUT must be a number of seconds, got {env_timeout!r}"
                    ) from None
        headers = dict(default_headers or {})
        if self.project_id is not None:
            headers[PROJECT_HEADER] = self.project_id
        super().__init__(
            profile=PROFILE,
            base_url=sdkcore.base_url_or_env(base_url, "CLAUDE_API_URL", DEFAULT_BASE_URL),
            auth_headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=timeout,
            max_retries=max_retries,
            default_headers=headers,
            secrets=(self.api_key,),
            http_client=http_client,
            allow_insecure_http=allow_insecure_http,
        )
        self._raw = False

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base!r}, project_id={self.project_id!r}, "
            f"api_key={sdkcore.REDACTED!r})"
        )


class ClaudeClient(_ClaudeBase[Sync, httpx.Client], SyncAPIClient):
    """Blocking client of the Claude Code API service. Thread-safe; reuse one instance."""

    def stream(
        self,
        prompt: str,
        model: str = "auto",
        timeout: float | None = None,
        project_id: str | None = None,
        **options: Unpack[CallOptions],
    ) -> Generator[str, None, None]:
        """Text chunks of the answer as the service produces them (Server-Sent Events).

        A stream that breaks, or ends without the service's `done` event, raises
        `APIConnectionError`; an error event raises the matching exception.
        """
        events = self._stream_events(prompt, model, timeout, project_id, options)
        with events:
            for event in events:
                chunk = chunk_of(event, events.response)
                if chunk is None:
                    return
                if chunk:
                    yield chunk
        raise stream_ended(events.response, APIConnectionError)


class AsyncClaudeClient(_ClaudeBase[Async, httpx.AsyncClient], AsyncAPIClient):
    """Async client of the Claude Code API service; safe to share between tasks."""

    async def stream(
        self,
        prompt: str,
        model: str = "auto",
        timeout: float | None = None,
        project_id: str | None = None,
        **options: Unpack[CallOptions],
    ) -> AsyncGenerator[str, None]:
        """Text chunks of the answer as the service produces them; `async for` directly
        (no await). Breaks and error events raise, as in `ClaudeClient.stream`."""
        events = await self._stream_events(prompt, model, timeout, project_id, options)
        async with events:
            async for event in events:
                chunk = chunk_of(event, events.response)
                if chunk is None:
                    return
                if chunk:
                    yield chunk
        raise stream_ended(events.response, APIConnectionError)
