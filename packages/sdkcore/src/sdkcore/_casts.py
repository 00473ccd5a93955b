"""Ready-made `Op.cast` functions for the usual response shapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pydantic

__all__ = ["as_json", "as_list", "as_model", "as_none"]

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


def as_model(model: type[ModelT], *, key: str | None = None) -> Callable[[Any], ModelT]:
    """Validate the body (or `body[key]`) as `model`."""

    def cast(body: Any) -> ModelT:
        return model.model_validate(body if key is None else body[key])

    return cast


def as_list(model: type[ModelT], *, key: str | None = None) -> Callable[[Any], list[ModelT]]:
    """Validate the body (or `body[key]`) as a list of `model`."""

    def cast(body: Any) -> list[ModelT]:
        items = body if key is None else body[key]
        if not isinstance(items, list):
            raise TypeError(f"expected a JSON array, got {type(items).__name__}")
        return [model.model_validate(item) for item in items]

    return cast


def as_none(body: Any) -> None:
    """Ignore the body (204 No Content and similar)."""
    return


def as_json(body: Any) -> Any:
    """The decoded JSON body as is (pages and other wrappers validate it themselves)."""
    return body
