"""Ready-made `Op.cast` functions for the usual response shapes.

`as_model` and `as_list` return `JsonCast`s: besides validating an already decoded body they
validate the raw response bytes in one pass, which the client prefers (no intermediate dicts,
no second walk over them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Generic, TypeVar

import pydantic
from typing_extensions import TypedDict

__all__ = ["JsonCast", "adapter_at", "as_json", "as_list", "as_model", "as_none"]

T = TypeVar("T")
# A string bound: evaluating `pydantic.BaseModel` here would import pydantic.main on `import`.
ModelT = TypeVar("ModelT", bound="pydantic.BaseModel")


class JsonCast(Generic[T]):
    """An `Op.cast` that can also validate the undecoded JSON body (full validation either way).

    Args:
        validate_python: Validates a decoded JSON value.
        validate_json: Validates the body bytes; raises `pydantic.ValidationError` (type
            ``json_invalid`` for malformed JSON).
    """

    __slots__ = ("validate_json", "validate_python")

    def __init__(
        self, validate_python: Callable[[Any], T], validate_json: Callable[[bytes], T]
    ) -> None:
        self.validate_python = validate_python
        self.validate_json = validate_json

    def __call__(self, body: Any) -> T:
        return self.validate_python(body)


# Keys are runtime strings here, which static checkers cannot follow through TypedDict().
_typed_dict: Any = TypedDict


@cache
def adapter_at(path: tuple[str, ...], target: Any) -> pydantic.TypeAdapter[Any]:
    """A validator (built once per path and type) of a JSON object holding `target` at `path`.

    Every other key is kept as decoded JSON, so the result is the body with only the value at
    `path` validated: ``adapter_at(("data",), list[Item])`` turns ``{"data": [...], "meta":
    {...}}`` into ``{"data": [Item, ...], "meta": {...}}``.
    """
    shape: Any = target
    for key in reversed(path):
        level = _typed_dict("ResponseBody", {key: shape})
        shape = pydantic.with_config(pydantic.ConfigDict(extra="allow"))(level)
    return pydantic.TypeAdapter(shape)


def _at(path: Sequence[str], target: Any) -> JsonCast[Any]:
    # The adapter is built on first use, not here: casts are made when resource modules are
    # imported, and building a pydantic schema for every op would slow down `import` of an SDK.
    key = tuple(path)

    def pick(value: Any) -> Any:
        for name in key:
            value = value[name]
        return value

    return JsonCast(
        lambda body: pick(adapter_at(key, target).validate_python(body)),
        lambda content: pick(adapter_at(key, target).validate_json(content)),
    )


def as_model(model: type[ModelT], *, key: str | None = None) -> JsonCast[ModelT]:
    """Validate the body (or `body[key]`) as `model`."""
    return _cast(model, None if key is None else (key,))


def as_list(model: type[ModelT], *, key: str | None = None) -> JsonCast[list[ModelT]]:
    """Validate the body (or `body[key]`) as a JSON array of `model`."""
    return _cast(list[model], () if key is None else (key,))  # type: ignore[valid-type]


@cache
def _cast(target: Any, path: tuple[str, ...] | None) -> JsonCast[Any]:
    # One per shape: ops are built on every call, and their cast need not be.
    if path is None:
        return JsonCast(target.model_validate, target.model_validate_json)
    return _at(path, target)


def as_none(body: Any) -> None:
    """Ignore the body (204 No Content and similar)."""
    return


def as_json(body: Any) -> Any:
    """The decoded JSON body as is (pages and other wrappers validate it themselves)."""
    return body
