"""Typed access to a request's parameters; every problem is a 422 naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sdkcore.emulator import isoformat

from ._envelope import ApiError

__all__ = ["Params", "invalid"]


def invalid(field: str, message: str, summary: str | None = None) -> ApiError:
    """A 422 whose ``errors`` name ``field``."""
    return ApiError(422, "validation_error", summary or f"{field} {message}", {field: [message]})


class Params:
    """A JSON object of parameters, read with type checks (``prefix`` names nested fields)."""

    def __init__(self, values: Mapping[str, Any], prefix: str = "") -> None:
        """Wrap ``values``; field names in errors start with ``prefix``."""
        self.values = values
        self.prefix = prefix

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def text(self, key: str) -> str:
        """A required non-empty string."""
        value = self.values.get(key)
        if not isinstance(value, str) or not value.strip():
            raise invalid(self._name(key), "must be a non-empty string")
        return value

    def opt_text(self, key: str) -> str | None:
        """An optional string (null or absent gives None)."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise invalid(self._name(key), "must be a string")
        return value

    def opt_id(self, key: str) -> str | None:
        """An optional id: absent or null gives None; otherwise it must not be blank."""
        if self.values.get(key) is None:
            return None
        return self.text(key)

    def obj(self, key: str, *, required: bool = False) -> dict[str, Any] | None:
        """A JSON object; absent or null gives None unless ``required``."""
        value = self.values.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, Mapping):
            raise invalid(self._name(key), "must be an object")
        return dict(value)

    def sub(self, key: str) -> Params:
        """A required nested object, as `Params`."""
        value = self.obj(key, required=True)
        assert value is not None
        return Params(value, f"{self._name(key)}.")

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        """One of ``choices`` (``default`` when absent)."""
        value = self.values.get(key, default) if self.values.get(key) is not None else default
        if value not in choices:
            raise invalid(self._name(key), f"must be one of {', '.join(choices)}")
        assert isinstance(value, str)
        return value

    def flag(self, key: str, default: bool) -> bool:
        """A boolean (``default`` when absent or null)."""
        value = self.values.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise invalid(self._name(key), "must be a boolean")
        return value

    def timestamp(self, key: str) -> str | None:
        """An ISO 8601 time, normalised to the API's format; None when absent."""
        value = self.opt_text(key)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise invalid(self._name(key), "must be an ISO 8601 timestamp") from None
        return isoformat(parsed)

    def count(self, key: str, default: int, low: int, high: int) -> int:
        """An integer within ``low..high`` (digits in a query string are accepted)."""
        value = self.values.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise invalid(self._name(key), f"must be an integer from {low} to {high}")
        return value
