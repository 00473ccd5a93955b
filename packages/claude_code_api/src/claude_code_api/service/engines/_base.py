"""The engine interface: every endpoint, stream and batch of the service consumes it.

An engine takes one `EngineRequest` and yields `EngineEvent`s as the model produces them. It never
raises for a failure of the model or its process: it yields one `EngineFailure` and stops, so the
service can map the failure to the spec's statuses (502, 504, 429, 503, 400, 402).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

ModelAlias = Literal["haiku", "sonnet", "opus"]
RequestKind = Literal["chat", "task"]
FailureCategory = Literal[
    "upstream", "timeout", "rate_limited", "overloaded", "bad_request", "cost_exceeded"
]
"""Why a run failed; `cost_exceeded`: the run's cost passed the request's `max_cost`."""


@dataclass(frozen=True)
class EngineRequest:
    """One unit of work: a chat prompt or an agentic task, with its limits."""

    prompt: str
    model: ModelAlias
    kind: RequestKind = "chat"
    allowed_tools: tuple[str, ...] = ()
    allowed_agents: tuple[str, ...] = ()
    allowed_skills: tuple[str, ...] = ()
    timeout: float = 30.0
    max_cost: float | None = None
    max_tokens: int | None = None
    working_directory: Path | None = None


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text, emitted as soon as the engine has it."""

    text: str


@dataclass(frozen=True)
class ToolUse:
    """The model used a tool; recorded in a task's execution log."""

    name: str
    input: Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None


@dataclass(frozen=True)
class Usage:
    """Tokens used so far (cumulative) and their cost in USD, when the engine knows it."""

    input_tokens: int
    output_tokens: int
    cost_usd: float | None = None


@dataclass(frozen=True)
class FinalResult:
    """The engine finished: the whole answer text. Always the last event of a successful run."""

    text: str
    model: str


@dataclass(frozen=True)
class EngineFailure:
    """The run failed; the last event of a failed run."""

    category: FailureCategory
    message: str
    retry_after: float | None = None


EngineEvent = TextDelta | ToolUse | Usage | FinalResult | EngineFailure


@runtime_checkable
class Engine(Protocol):
    """What the service runs requests on."""

    name: str
    """Shown in `/health` and in every response's `model` (e.g. `offline`, `claude-cli`)."""

    def run(self, request: EngineRequest) -> AsyncIterator[EngineEvent]:
        """Yield the request's events; the last one is a `FinalResult` or an `EngineFailure`."""
        ...

    async def aclose(self) -> None:
        """Release what the engine holds (processes, HTTP clients)."""
        ...


async def engine_problem(engine: Engine) -> str | None:
    """Why `engine` cannot answer requests now, or None. An engine that can tell (e.g. the
    `claude` CLI, logged in or not) has `async def readiness() -> str | None`; others are
    taken as ready."""
    readiness = getattr(engine, "readiness", None)
    if readiness is None:
        return None
    problem: str | None = await readiness()
    return problem
