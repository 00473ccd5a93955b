"""Small shared types: the per-request options every endpoint accepts, and the omit sentinel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from typing_extensions import TypedDict

from ._config import TimeoutTypes

__all__ = ["NOT_GIVEN", "NotGiven", "RequestOptions", "strip_not_given"]


class NotGiven:
    """Marks an argument the caller did not pass (distinct from an explicit None)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class RequestOptions(TypedDict, total=False):
    """Per-request overrides accepted by every endpoint method as keyword arguments.

    Keys:
        timeout: Seconds (float) or `httpx.Timeout` for this request only.
        max_retries: Retries for this request only.
        extra_headers: Headers added to (or replacing) the SDK's headers.
        extra_query: Query parameters added to the request.
        extra_body: JSON fields merged into the request body.
        idempotency_key: Key making a non-idempotent request safe to retry (where supported).
    """

    timeout: TimeoutTypes
    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    idempotency_key: str


def strip_not_given(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop entries whose value is None or NOT_GIVEN (the wire omits them)."""
    return {k: v for k, v in values.items() if v is not None and not isinstance(v, NotGiven)}
