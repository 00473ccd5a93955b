"""Checks of the methods' arguments (raising before anything is sent), the per-call options,
and the request of a method billed to a project."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import httpx
from typing_extensions import TypedDict

import sdkcore
from sdkcore import Op, RequestOptions, as_model, require_text

from ._profile import MODELS, PROJECT_HEADER, TIMEOUT_GRACE

__all__ = [
    "CallOptions",
    "names_argument",
    "post",
    "project_options",
    "seconds_argument",
    "wire_model",
]

ModelT = TypeVar("ModelT", bound=sdkcore.BaseModel)


def wire_model(value: Any) -> str | None:
    """The wire value of `model`: omitted for "auto" (the service routes)."""
    if value not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {value!r}")
    return None if value == "auto" else str(value)


def seconds_argument(value: Any, argument: str, upper: float) -> float | None:
    """`value` seconds as a float between 1 and `upper`; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise TypeError(f"{argument} must be a number of seconds, got {value!r}")
    if not 1 <= value <= upper:
        raise ValueError(f"{argument} must be between 1 and {upper:g} seconds, got {value!r}")
    return float(value)


def names_argument(value: Sequence[str] | None, argument: str) -> list[str] | None:
    """`value`, a list of non-empty names (not one str); None stays None."""
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


def project_options(
    options: CallOptions | RequestOptions, project_id: str | None, timeout: float | None = None
) -> RequestOptions:
    """Per-call options: the project override header and a timeout outlasting the service's."""
    merged = RequestOptions(**options)
    if project_id is not None:
        headers = {
            **merged.get("extra_headers", {}),
            PROJECT_HEADER: require_text(project_id, argument="project_id"),
        }
        merged["extra_headers"] = headers
    if timeout is not None and "timeout" not in merged:
        merged["timeout"] = httpx.Timeout(timeout + TIMEOUT_GRACE, connect=5.0)
    return merged


def post(
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
        options=project_options(options, project_id, timeout),
    )
