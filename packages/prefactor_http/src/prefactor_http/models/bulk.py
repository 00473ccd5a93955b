"""Bulk requests: several actions in one HTTP request, each keyed by its idempotency key."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["BULK_ACTIONS", "BulkItem", "BulkOutput", "BulkRequest", "BulkResponse"]

BULK_ACTIONS = frozenset(
    {
        "agents/list",
        "agents/show",
        "agents/create",
        "agent_instances/register",
        "agent_instances/start",
        "agent_instances/finish",
        "agent_instances/record_quality",
        "agent_spans/create",
        "agent_spans/finish",
    }
)
"""Every ``_type`` the bulk endpoint accepts."""


class BulkItem(BaseModel):
    """One action: ``BulkItem(_type="agent_spans/create", idempotency_key="...", **params)``.

    The key (8 to 64 characters) names the item's output in `BulkResponse.outputs` and makes
    the item safe to send again: the API applies it once.
    """

    model_config = ConfigDict(extra="allow")

    type: str = Field(alias="_type")
    idempotency_key: str = Field(min_length=8, max_length=64)

    @field_validator("type")
    @classmethod
    def _known_action(cls, value: str) -> str:
        if value not in BULK_ACTIONS:
            raise ValueError(
                f"unknown bulk action {value!r}; expected one of {sorted(BULK_ACTIONS)}"
            )
        return value


class BulkRequest(BaseModel):
    """At least one `BulkItem`, with idempotency keys unique within the request."""

    items: list[BulkItem] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _unique_keys(cls, items: list[BulkItem]) -> list[BulkItem]:
        keys = [item.idempotency_key for item in items]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"idempotency keys must be unique within the request: {duplicates}")
        return items


class BulkOutput(BaseModel):
    """The outcome of one item: ``status`` "success" (with ``details``) or "error" (with
    ``code``, ``message`` and possibly ``errors``); other fields are kept as extras."""

    model_config = ConfigDict(extra="allow")

    status: str
    details: Any = None
    code: str | None = None
    message: str | None = None
    errors: dict[str, Any] | None = None

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in ("success", "error"):
            raise ValueError("status must be 'success' or 'error'")
        return value


class BulkResponse(BaseModel):
    """Outputs keyed by idempotency key, for the items processed (up to the first failure)."""

    status: str = "success"
    outputs: dict[str, BulkOutput]
