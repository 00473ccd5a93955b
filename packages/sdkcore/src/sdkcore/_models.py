"""Pydantic base model for API objects: wire aliases, unknown fields kept."""

from __future__ import annotations

from typing import Any

import pydantic
from pydantic.alias_generators import to_camel, to_pascal

__all__ = ["BaseModel", "CamelModel", "PascalModel", "to_camel", "to_pascal"]


class BaseModel(pydantic.BaseModel):
    """An API object. Fields are snake_case in Python; unknown wire fields are kept as extras.

    Accepts both the wire alias and the Python name on input, and dumps by alias by default so
    `model.to_dict()` round-trips to the wire shape.
    """

    # defer_build: the validator is built on first validation, not when a model class is
    # defined, so importing an SDK's models stays cheap and unused models cost nothing more.
    model_config = pydantic.ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
        validate_by_name=True,
        validate_by_alias=True,
        protected_namespaces=(),
    )

    def to_dict(self) -> dict[str, Any]:
        """The object as the API sends it (wire keys, unknown fields included)."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> str:
        """The object as a compact JSON string with wire keys."""
        return self.model_dump_json(by_alias=True)


class CamelModel(BaseModel):
    """An API object whose wire keys are camelCase."""

    model_config = pydantic.ConfigDict(alias_generator=to_camel)


class PascalModel(BaseModel):
    """An API object whose wire keys are PascalCase."""

    model_config = pydantic.ConfigDict(alias_generator=to_pascal)
