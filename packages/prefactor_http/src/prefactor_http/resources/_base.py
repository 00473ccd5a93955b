"""What every Prefactor resource shares: envelopes, idempotency keys, argument checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import pydantic

import sdkcore
from sdkcore import Mode, Op, Resource

__all__ = [
    "API",
    "M",
    "PrefactorResource",
    "as_details",
    "check_choice",
    "check_mapping",
    "check_str",
    "iso_timestamp",
    "model_or_mapping",
    "optional_str",
]

API = "/api/v1"

M = TypeVar("M", bound=Mode)
ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

_MAX_KEY_LENGTH = 64


def as_details(model: type[ModelT]) -> sdkcore.JsonCast[ModelT]:
    """Cast for the success envelope: check ``status`` and validate ``details`` as ``model``,
    from the response bytes in one pass when the client has them (no ``json.loads`` first)."""

    def details(envelope: Any) -> Any:
        if (
            not isinstance(envelope, Mapping)
            or envelope.get("status") != "success"
            or "details" not in envelope
        ):
            raise ValueError("expected a {'status': 'success', 'details': ...} envelope")
        return envelope["details"]

    return sdkcore.JsonCast(
        lambda body: model.model_validate(details(body)),
        lambda content: details(sdkcore.adapter_at(("details",), model).validate_json(content)),
    )


class PrefactorResource(Resource[M]):
    """A resource whose writes always carry an idempotency key."""

    def _key(self, given: str | None) -> str:
        """The caller's key, else one generated for this call (reused on every attempt)."""
        if given is not None:
            check_str(given, "idempotency_key")
            if len(given) > _MAX_KEY_LENGTH:
                raise ValueError(
                    f"idempotency_key must be at most {_MAX_KEY_LENGTH} characters, "
                    f"got {len(given)}"
                )
            return given
        prefix: str | None = getattr(self._client, "key_prefix", None)
        # 128 random bits as 32 hex digits, as a uuid4's hex has (122 of them): without
        # `uuid.UUID`, whose checks cost more than the rest of an op's arguments together.
        return f"{prefix or 'prefactor'}-{os.urandom(16).hex()}"

    @staticmethod
    def _write(path: str, cast: Callable[[Any], Any], body: Any, method: str = "POST") -> Op[Any]:
        # Safe to repeat: the body's idempotency key makes the API apply it once.
        return Op(method, path, cast, body=body, safe=True)


def check_str(value: object, argument: str) -> str:
    """A non-blank string, or a TypeError/ValueError naming the argument."""
    return sdkcore.require_text(value, argument=argument)


def optional_str(value: object, argument: str) -> str | None:
    """None, or a non-blank string (see `check_str`)."""
    return None if value is None else check_str(value, argument)


def check_choice(value: str | None, choices: tuple[str, ...], argument: str) -> str | None:
    """None, or one of ``choices``; anything else names the argument."""
    if value is not None and value not in choices:
        raise ValueError(f"{argument} must be one of {list(choices)}, got {value!r}")
    return value


def check_mapping(value: object, argument: str) -> dict[str, Any] | None:
    """None, or a JSON object (a mapping with string keys) copied into a dict."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise TypeError(f"{argument} must be a dict with str keys, got {type(value).__name__}")
    return dict(value)


def model_or_mapping(value: object, model: type[ModelT], argument: str) -> dict[str, Any]:
    """A dict or a ``model`` instance, checked against ``model``; returned as the dict to send.

    A dict is sent as given (unknown keys included) so nothing the caller wrote is lost.
    """
    if isinstance(value, model):
        dumped: dict[str, Any] = value.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped
    mapping = check_mapping(value, argument)
    if mapping is None:
        raise TypeError(f"{argument} is required")
    try:
        model.model_validate(mapping)
    except pydantic.ValidationError as exc:
        raise ValueError(f"{argument} is invalid: {exc}") from None
    return mapping


def iso_timestamp(value: datetime | str | None, argument: str) -> str | None:
    """A datetime (or an ISO 8601 string) as the ISO string the API takes."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{argument} must be an ISO 8601 timestamp, got {value!r}") from None
        return value
    raise TypeError(f"{argument} must be a datetime or ISO 8601 str, got {type(value).__name__}")


def path_id(value: str, argument: str) -> str:
    """A path-encoded id."""
    return sdkcore.path_segment(value, argument=argument)
