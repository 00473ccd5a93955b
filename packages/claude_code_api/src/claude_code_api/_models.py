"""What the client returns: pydantic models of the service's JSON, with the seed's access styles.

The seed reads some results as dicts (`result['result']['summary']`, `health['status']`,
`result.get('artifacts', [])`); `ItemAccess` keeps that working next to attribute access.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydantic

import sdkcore

__all__ = [
    "Artifact",
    "BatchResponse",
    "BatchResult",
    "Health",
    "ItemAccess",
    "Response",
    "RouteDecision",
    "TaskResult",
    "TaskUsage",
    "Usage",
    "UsageStats",
]


class ItemAccess(sdkcore.BaseModel):
    """A model that also reads like the JSON object it came from: `obj["key"]`, `obj.get`,
    `"key" in obj`, `keys()` (wire names, unknown fields included)."""

    def _as_mapping(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in type(self).model_fields},
            **(self.model_extra or {}),
        }

    def __getitem__(self, key: str) -> Any:
        try:
            return self._as_mapping()[key]
        except KeyError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        """The field called `key`, or `default` when there is none (or it is None)."""
        value = self._as_mapping().get(key)
        return default if value is None else value

    def __contains__(self, key: object) -> bool:
        return key in self._as_mapping()

    def keys(self) -> list[str]:
        """Names of the fields present."""
        return list(self._as_mapping())

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        # pydantic iterates (name, value) pairs; a mapping iterates its keys.
        return iter(self.keys())


class Usage(sdkcore.BaseModel):
    """Tokens one completion used."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0


class Response(sdkcore.BaseModel):
    """A completion: `id`, `model` (engine and model, e.g. `offline:haiku`), `content`,
    `usage`, `cost` (USD) and the `project_id` it was billed to."""

    id: str
    model: str
    content: str
    usage: Usage
    cost: float
    project_id: str | None = None


class Artifact(ItemAccess):
    """A file a task created or changed in its working directory (`path` is relative)."""

    path: str
    size: int = 0
    sha256: str | None = None


class TaskUsage(ItemAccess):
    """Tokens and cost of a task."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    total_cost: float = 0.0


class TaskResult(ItemAccess):
    """An agentic task's outcome; reads like the seed's dict (`result['result']['summary']`).

    `status` is "completed" or "failed"; a task stopped at its timeout or `max_cost` raises
    `TaskTimeoutError` / `BudgetExceededError` whose `body` holds this same shape.
    """

    id: str
    status: str
    model: str | None = None
    result: dict[str, Any] = pydantic.Field(default_factory=dict)
    artifacts: list[Artifact] = pydantic.Field(default_factory=list)
    execution_log: list[dict[str, Any]] = pydantic.Field(default_factory=list)
    usage: TaskUsage = pydantic.Field(default_factory=TaskUsage)
    project_id: str | None = None


class BatchResult(sdkcore.BaseModel):
    """One prompt of a batch: `status` "completed" (with content, usage, cost) or "failed"
    (with error)."""

    id: str
    prompt: str
    status: str
    content: str | None = None
    usage: Usage | None = None
    cost: float | None = None
    error: str | None = None
    model: str | None = None


class BatchResponse(sdkcore.BaseModel):
    """A batch: counts, every prompt's result in input order, and totals."""

    total: int
    completed: int
    failed: int
    results: list[BatchResult]
    total_cost: float
    total_tokens: int


class UsageStats(ItemAccess):
    """Usage of one project over a period (`day`, `week`, `month`, calendar UTC).

    `by_model` maps the model name to `{"tokens": int, "cost": float, "requests": int}`;
    `limit` / `remaining` are the monthly budget in USD (None when unlimited).
    """

    project_id: str
    period: str
    total_tokens: int
    total_cost: float
    total_requests: int = 0
    by_model: dict[str, dict[str, Any]] = pydantic.Field(default_factory=dict)
    limit: float | None = None
    remaining: float | None = None


class Health(ItemAccess):
    """Service health: `status` and `services` (database, engine, worker pool)."""

    status: str
    services: dict[str, Any] = pydantic.Field(default_factory=dict)
    engine: str | None = None
    version: str | None = None


class RouteDecision(ItemAccess):
    """What `auto` would pick for a prompt, and why."""

    recommended_model: str
    reasoning: str
    budget_status: str
