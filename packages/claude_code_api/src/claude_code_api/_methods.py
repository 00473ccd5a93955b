"""The service's operations, each written once as an `sdkcore` op that the blocking and the
async client both run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from typing_extensions import Unpack

import sdkcore
from sdkcore import (
    DualOp,
    Op,
    Resource,
    SSEDecoder,
    StreamFactory,
    as_model,
    dual,
    endpoint,
    require_text,
)

from ._arguments import (
    CallOptions,
    names_argument,
    post,
    project_options,
    seconds_argument,
    wire_model,
)
from ._models import BatchResponse, Health, Response, RouteDecision, TaskResult, UsageStats
from ._profile import PERIODS, SSE_HEADERS
from ._stream_events import decode_event

__all__ = ["Methods"]

M = TypeVar("M", bound=sdkcore.Mode)


def _chat_body(prompt: str, model: str, timeout: float | None) -> dict[str, Any]:
    """The body of a completion of one user `prompt`, plain or streamed (checked)."""
    return sdkcore.strip_not_given(
        {
            "messages": [{"role": "user", "content": require_text(prompt, argument="prompt")}],
            "model": wire_model(model),
            "timeout": seconds_argument(timeout, "timeout", 300),
        }
    )


class Methods(Resource[M]):
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
        body = _chat_body(prompt, model, timeout)
        if max_tokens is not None:
            if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
                raise ValueError(f"max_tokens must be a positive int, got {max_tokens!r}")
            body["max_tokens"] = max_tokens
        return post(
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
        seconds = seconds_argument(timeout, "timeout", 3600)
        if max_cost is not None and (
            isinstance(max_cost, bool) or not isinstance(max_cost, (int, float)) or not max_cost > 0
        ):
            raise ValueError(f"max_cost must be a positive number of USD, got {max_cost!r}")
        body = sdkcore.strip_not_given(
            {
                "description": require_text(description, argument="description"),
                "allow_tools": names_argument(allow_tools, "allow_tools"),
                "allow_agents": names_argument(allow_agents, "allow_agents"),
                "allow_skills": names_argument(allow_skills, "allow_skills"),
                "timeout": seconds,
                "max_cost": max_cost,
                "working_directory": None
                if working_directory is None
                else require_text(working_directory, argument="working_directory"),
                "model": wire_model(model),
            }
        )
        return post("/v1/task", TaskResult, body, options, project_id, seconds)

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
            {"id": str(index), "prompt": require_text(prompt, argument=f"prompts[{index}]")}
            for index, prompt in enumerate(prompts)
        ]
        if not isinstance(parallel, bool):
            raise TypeError(f"parallel must be a bool, got {parallel!r}")
        seconds = seconds_argument(timeout, "timeout", 300)
        body = sdkcore.strip_not_given(
            {"prompts": items, "model": wire_model(model), "parallel": parallel, "timeout": seconds}
        )
        # The whole batch may take as long as every prompt run one after the other.
        total = None if parallel else (seconds or 30.0) * len(items)
        return post("/v1/batch", BatchResponse, body, options, project_id, total)

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
            options=project_options(options, project_id),
        )

    @endpoint
    def health(self, /, **options: Unpack[CallOptions]) -> Op[Health]:
        """The service's health: `status`, `services` (database, engine, pool)."""
        return Op("GET", "/health", as_model(Health), options=project_options(options, None))

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
            body={"prompt": require_text(prompt, argument="prompt"), "context_size": context_size},
            options=project_options(options, None),
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
        body = _chat_body(prompt, model, timeout)
        return DualOp(
            "POST",
            "/v1/stream",
            sdkcore.as_json,
            body=body,
            options=project_options(
                {
                    **options,
                    "extra_headers": {**options.get("extra_headers", {}), **SSE_HEADERS},
                },
                project_id,
                body.get("timeout"),
            ),
            stream=True,
            factory=StreamFactory(SSEDecoder, decode_event),
        )
