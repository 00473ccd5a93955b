"""What the endpoints do, independent of HTTP: authorisation, profiles, budgets, runs, usage.

Every check that refuses a request (key, project, profile, prompt size, budget) happens before
the engine is called; every run books what it really used, whatever its outcome.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import tempfile
import time
from collections.abc import AsyncGenerator, Sequence
from pathlib import Path
from typing import Any

import anyio

from ._calls import Caller, Prepared, ServiceError
from ._config import ServiceConfig
from ._pricing import cost_nanos, estimate_tokens, nanos_to_usd, route, usd_to_nanos
from ._profiles import profile_refusal
from ._records import BudgetReservation
from ._runner import Run
from ._schemas import BatchRequest, ChatRequest, Message, TaskRequest
from ._store import Store
from ._workspace import snapshot, task_directory
from .engines import (
    Engine,
    EngineRequest,
    FailureCategory,
    ModelAlias,
    TextDelta,
    ToolUse,
    engine_problem,
)

__all__ = ["Caller", "Prepared", "Service", "ServiceError", "prompt_of"]

_FAILURE_STATUS: dict[FailureCategory, int] = {
    "upstream": 502,
    "timeout": 504,
    "rate_limited": 429,
    "overloaded": 503,
    "bad_request": 400,
    "cost_exceeded": 402,
}
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
_CHAT_OUTPUT_ESTIMATE = 1024
_TASK_OUTPUT_ESTIMATE = 4096


def prompt_of(messages: Sequence[Message]) -> str:
    """The one prompt a conversation goes to the engine as (and budgets are estimated on)."""
    if len(messages) == 1 and messages[0].role == "user":
        return messages[0].content
    return "\n\n".join(f"{m.role.capitalize()}: {m.content}" for m in messages)


def _usage_body(run: Run) -> dict[str, int]:
    return {
        "input_tokens": run.input_tokens,
        "output_tokens": run.output_tokens,
        "total_tokens": run.input_tokens + run.output_tokens,
    }


class Service:
    """The service's behaviour over one store and one engine."""

    def __init__(self, config: ServiceConfig, store: Store, engine: Engine) -> None:
        self.config = config
        self.store = store
        self.engine = engine
        self.started_at = time.time()
        self.active_runs = 0
        self._owned_root: str | None = None
        if config.workspace_root is None:
            self._owned_root = tempfile.mkdtemp(prefix="claude-api-tasks-")
            self.task_root = Path(self._owned_root)
        else:
            self.task_root = config.workspace_root
            self.task_root.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        """Remove the temporary task directories this instance made."""
        if self._owned_root is not None:
            shutil.rmtree(self._owned_root, ignore_errors=True)

    async def engine_health(self) -> dict[str, Any]:
        """The engine's part of `/health`: `ok`, or `not_ready` with the reason (e.g. the
        `claude` CLI is not logged in)."""
        problem = await engine_problem(self.engine)
        if problem is None:
            return {"status": "ok", "name": self.engine.name}
        return {"status": "not_ready", "name": self.engine.name, "detail": problem}

    # -- who is asking -----------------------------------------------------------------------

    async def authenticate(self, token: str | None, project_header: str | None) -> Caller:
        """The caller behind a key: 401 without one or for an unknown or revoked key (with
        `WWW-Authenticate`), 403 for a project the key may not act for."""
        if not token:
            raise ServiceError(401, "Not authenticated", headers=dict(_CHALLENGE))
        key = await self.store.authenticate(token)
        if key is None:
            raise ServiceError(401, "Invalid or revoked API key", headers=dict(_CHALLENGE))
        project_id = project_header or key.project_id
        if not key.may_act_for(project_id):
            raise ServiceError(
                403, f"Permission denied: this key may not act for project {project_id!r}"
            )
        return Caller(key, project_id)

    async def rate_limit(self, caller: Caller) -> None:
        """Count the request against the key's limit; 429 with Retry-After over it."""
        wait = await self.store.hit_rate_limit(caller.key, time.time())
        if wait is not None:
            raise ServiceError(
                429,
                "Rate limit exceeded. Please try again later.",
                headers={"Retry-After": str(int(wait + 0.999))},
                retry_after=int(wait + 0.999),
            )

    # -- checks before running ---------------------------------------------------------------

    def _check_size(self, prompt: str) -> None:
        if len(prompt) > self.config.max_prompt_chars:
            raise ServiceError(
                400,
                f"prompt too long: {len(prompt)} characters, "
                f"at most {self.config.max_prompt_chars} accepted",
            )

    def _refuse_outside_profile(self, caller: Caller, **asked: Any) -> None:
        reason = profile_refusal(
            caller.profile, max_cost_per_task=caller.key.max_cost_per_task, **asked
        )
        if reason is not None:
            raise ServiceError(403, f"Permission denied: {reason}")

    def _allowed_directory(self, requested: str | None) -> Path | None:
        if requested is None:
            return None
        path = Path(requested).expanduser().resolve()
        for root in self.config.allowed_directories:
            if path == root.resolve() or root.resolve() in path.parents:
                if not path.is_dir():
                    raise ServiceError(400, f"working_directory {requested!r} is not a directory")
                return path
        raise ServiceError(
            403, f"Permission denied: working_directory {requested!r} is not an allowed directory"
        )

    async def _model_for(self, requested: str | None, prompt: str, project_id: str) -> ModelAlias:
        if requested is not None and requested != "auto":
            model: ModelAlias = requested  # type: ignore[assignment]
            return model
        limit, used = await self.store.budget_status(project_id, time.time())
        remaining = None if limit is None else limit - used
        return route(prompt, estimate_tokens(prompt), remaining).model

    async def _reserve(
        self, caller: Caller, model: ModelAlias, prompt: str, output_estimate: int
    ) -> BudgetReservation:
        estimate = cost_nanos(model, estimate_tokens(prompt), output_estimate)
        reservation = await self.store.reserve_budget(caller.project_id, estimate, time.time())
        if not reservation.granted:
            remaining = reservation.remaining_nanos or 0
            raise ServiceError(
                402,
                f"Budget exceeded: estimated cost {nanos_to_usd(estimate):.6f} USD exceeds the "
                f"{nanos_to_usd(remaining):.6f} USD left for project {caller.project_id!r}",
                estimated_cost=nanos_to_usd(estimate),
                remaining=nanos_to_usd(remaining),
                limit=None
                if reservation.limit_nanos is None
                else nanos_to_usd(reservation.limit_nanos),
                project_id=caller.project_id,
            )
        return reservation

    async def _settle(self, caller: Caller, reservation: BudgetReservation, run: Run) -> None:
        # Booking must survive a cancelled request (a client gone mid-stream).
        with anyio.CancelScope(shield=True):
            await self.store.settle(
                reservation,
                key_id=caller.key.id,
                kind=run.request.kind,
                model=run.model,
                input_tokens=run.input_tokens,
                output_tokens=run.output_tokens,
                cost_nanos=run.cost_nanos,
                now=time.time(),
            )

    # -- chat --------------------------------------------------------------------------------

    async def prepare_chat(self, caller: Caller, chat: ChatRequest) -> Prepared:
        """Every check of a chat request, then its budget reservation."""
        prompt = prompt_of(chat.messages)
        self._check_size(prompt)
        timeout = chat.timeout or self.config.default_timeout
        self._refuse_outside_profile(caller, tools=chat.allowed_tools, timeout=timeout)
        directory = self._allowed_directory(chat.working_directory)
        model = await self._model_for(chat.model, prompt, caller.project_id)
        request = EngineRequest(
            prompt=prompt,
            model=model,
            allowed_tools=tuple(chat.allowed_tools),
            timeout=timeout,
            max_tokens=chat.max_tokens,
            working_directory=directory,
        )
        reservation = await self._reserve(
            caller, model, prompt, chat.max_tokens or _CHAT_OUTPUT_ESTIMATE
        )
        return Prepared(
            caller, Run(self.engine, request), reservation, "chatcmpl_" + secrets.token_hex(12)
        )

    def _chat_body(self, prepared: Prepared) -> dict[str, Any]:
        run = prepared.run
        return {
            "id": prepared.id,
            "model": run.model,
            "content": run.text,
            "usage": _usage_body(run),
            "cost": nanos_to_usd(run.cost_nanos),
            "project_id": prepared.caller.project_id,
        }

    def _run_error(self, run: Run, **extra: Any) -> ServiceError:
        if run.status == "timeout":
            return ServiceError(
                504, f"Timed out after {run.request.timeout:g} s", status="timeout", **extra
            )
        failure = run.failure
        assert failure is not None
        headers = {}
        if failure.retry_after is not None:
            headers["Retry-After"] = str(int(failure.retry_after + 0.999))
        headers["X-Error-Category"] = failure.category
        return ServiceError(
            _FAILURE_STATUS[failure.category],
            f"Engine {self.engine.name} failed: {failure.message}",
            headers=headers,
            status="failed",
            category=failure.category,
            **extra,
        )

    async def execute(self, prepared: Prepared) -> None:
        """Run a prepared request to its end and book its usage."""
        self.active_runs += 1
        try:
            await prepared.run.finish()
        finally:
            self.active_runs -= 1
            await self._settle(prepared.caller, prepared.reservation, prepared.run)

    async def complete(self, caller: Caller, chat: ChatRequest) -> dict[str, Any]:
        """A whole completion, or the error its run ended with."""
        prepared = await self.prepare_chat(caller, chat)
        await self.execute(prepared)
        if prepared.run.status != "completed":
            raise self._run_error(prepared.run)
        return self._chat_body(prepared)

    async def stream(self, prepared: Prepared) -> AsyncGenerator[dict[str, Any], None]:
        """The stream's events: `token`s, then `done` (usage, cost, model) or `error`."""
        self.active_runs += 1
        run = prepared.run
        try:
            async for event in run.events():
                if isinstance(event, TextDelta):
                    yield {"type": "token", "content": event.text}
                elif isinstance(event, ToolUse):
                    yield {"type": "tool_use", "tool": event.name, "input": dict(event.input)}
            if run.status == "completed":
                body = self._chat_body(prepared)
                yield {"type": "done", **{k: body[k] for k in ("id", "usage", "cost", "model")}}
            else:
                error = self._run_error(run)
                yield {
                    "type": "error",
                    "error": error.body["detail"],
                    "status": error.status_code,
                    **(
                        {"retry_after": run.failure.retry_after}
                        if run.failure and run.failure.retry_after
                        else {}
                    ),
                }
        finally:
            self.active_runs -= 1
            await self._settle(prepared.caller, prepared.reservation, run)

    # -- batch -------------------------------------------------------------------------------

    async def batch(self, caller: Caller, batch: BatchRequest) -> dict[str, Any]:
        """Every prompt run independently on a bounded pool; failures stay per prompt."""
        pool = asyncio.Semaphore(self.config.batch_concurrency if batch.parallel else 1)

        async def one(index: int, prompt: str, item_id: str) -> dict[str, Any]:
            entry: dict[str, Any] = {"id": item_id, "prompt": prompt}
            chat = ChatRequest(
                messages=[Message(role="user", content=prompt)],
                model=batch.model,
                timeout=batch.timeout,
            )
            async with pool:
                try:
                    body = await self.complete(caller, chat)
                except ServiceError as error:
                    return {**entry, "status": "failed", "error": str(error.body["detail"])}
            return {
                **entry,
                "status": "completed",
                **{k: body[k] for k in ("content", "usage", "cost", "model")},
            }

        results = await asyncio.gather(
            *(one(i, item.prompt, item.id or str(i)) for i, item in enumerate(batch.prompts))
        )
        done = [r for r in results if r["status"] == "completed"]
        return {
            "total": len(results),
            "completed": len(done),
            "failed": len(results) - len(done),
            "results": results,
            "total_cost": nanos_to_usd(sum(usd_to_nanos(r["cost"]) for r in done)),
            "total_tokens": sum(r["usage"]["total_tokens"] for r in done),
        }

    # -- tasks -------------------------------------------------------------------------------

    async def task(self, caller: Caller, task: TaskRequest) -> dict[str, Any]:
        """Run an agentic task in a fresh directory; the body lists artifacts and tool uses.
        A task stopped at its timeout (504) or `max_cost` (402), or failed, raises with the
        partial result in the error body."""
        self._check_size(task.description)
        self._refuse_outside_profile(
            caller,
            tools=task.allow_tools,
            agents=task.allow_agents,
            skills=task.allow_skills,
            timeout=task.timeout,
            max_cost=task.max_cost,
        )
        source = self._allowed_directory(task.working_directory)
        model = await self._model_for(task.model, task.description, caller.project_id)
        reservation = await self._reserve(caller, model, task.description, _TASK_OUTPUT_ESTIMATE)
        task_id = "task_" + secrets.token_hex(12)
        try:
            directory = await anyio.to_thread.run_sync(
                task_directory, self.task_root / task_id, source
            )
            before = await anyio.to_thread.run_sync(snapshot, directory)
        except BaseException:
            await self.store.settle(
                reservation,
                key_id=caller.key.id,
                kind="task",
                model=model,
                input_tokens=0,
                output_tokens=0,
                cost_nanos=0,
                now=time.time(),
            )
            raise
        request = EngineRequest(
            prompt=task.description,
            model=model,
            kind="task",
            allowed_tools=tuple(task.allow_tools),
            allowed_agents=tuple(task.allow_agents),
            allowed_skills=tuple(task.allow_skills),
            timeout=task.timeout,
            max_cost=task.max_cost,
            working_directory=directory,
        )
        max_cost = None if task.max_cost is None else usd_to_nanos(task.max_cost)
        prepared = Prepared(caller, Run(self.engine, request, max_cost), reservation, task_id)
        await self.execute(prepared)
        run = prepared.run
        after = await anyio.to_thread.run_sync(snapshot, directory)
        artifacts = [
            {"path": path, "size": size, "sha256": digest}
            for path, (size, digest) in after.items()
            if before.get(path) != (size, digest)
        ]
        body: dict[str, Any] = {
            "id": task_id,
            "status": run.status,
            "model": run.model,
            "result": {"summary": run.text.strip(), "tool_uses": len(run.tool_log)},
            "artifacts": artifacts,
            "execution_log": run.tool_log,
            "usage": {**_usage_body(run), "total_cost": nanos_to_usd(run.cost_nanos)},
            "project_id": caller.project_id,
            "working_directory": str(directory),
        }
        if run.status == "completed":
            return body
        if run.status == "max_cost_exceeded":
            assert task.max_cost is not None
            raise ServiceError(
                402,
                f"Task stopped: its cost passed max_cost {task.max_cost:g} USD",
                **{
                    **body,
                    "estimated_cost": nanos_to_usd(run.cost_nanos),
                    "remaining": 0.0,
                    "max_cost": task.max_cost,
                },
            )
        raise self._run_error(run, **{k: v for k, v in body.items() if k != "status"})

    # -- reading -----------------------------------------------------------------------------

    async def usage(self, caller: Caller, period: str) -> dict[str, Any]:
        """The caller's project usage over `period` (400 for an unknown period)."""
        if period not in ("day", "week", "month"):
            raise ServiceError(400, f"period must be day, week or month, got {period!r}")
        return await self.store.usage(caller.project_id, period, time.time())

    async def route(self, caller: Caller, prompt: str, context_size: int) -> dict[str, Any]:
        """What `auto` would choose for this prompt and project."""
        limit, used = await self.store.budget_status(caller.project_id, time.time())
        remaining = None if limit is None else limit - used
        decision = route(prompt, max(context_size, estimate_tokens(prompt)), remaining)
        status = (
            "unlimited"
            if remaining is None
            else f"{nanos_to_usd(max(0, remaining)):.4f} USD left this month"
        )
        return {
            "recommended_model": decision.model,
            "reasoning": decision.reasoning,
            "budget_status": status,
        }
