"""Active records: API objects that keep their client, so methods navigate from them."""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic

from sdkcore import BaseClient, BaseModel, DualOp, ResultFactory

__all__ = ["Bound", "BoundList", "Record", "bind"]

R = TypeVar("R", bound="Record")


class Record(BaseModel):
    """An API object bound to the client that fetched it (sync or async).

    Its methods delegate to that client's resources, so they return values on a `Client`
    and awaitables on an `AsyncClient`.
    """

    _client: Any = pydantic.PrivateAttr(default=None)


def bind(cls: type[R], raw: Any, client: Any) -> R:
    """Validate ``raw`` as ``cls`` and attach ``client``."""
    record = cls.model_validate(raw)
    record._client = client
    return record


class Bound(ResultFactory[R, R]):
    """Result factory turning a decoded body into a ``cls`` record bound to the client."""

    def __init__(self, cls: type[R], *, key: str | None = None) -> None:
        self.cls = cls
        self.key = key

    def sync(self, client: BaseClient, op: DualOp[R, R], value: Any) -> R:
        """The record, for a blocking client."""
        return bind(self.cls, value if self.key is None else value[self.key], client)

    async_ = sync


class BoundList(ResultFactory[Any, Any]):
    """Result factory for an envelope whose ``data`` items become ``cls`` records."""

    def __init__(self, envelope: type[BaseModel], cls: type[Record]) -> None:
        self.envelope = envelope
        self.cls = cls

    def sync(self, client: BaseClient, op: DualOp[Any, Any], value: Any) -> Any:
        """The envelope model with bound items."""
        items = [bind(self.cls, raw, client) for raw in value["data"]]
        return self.envelope.model_validate({**value, "data": items})

    async_ = sync
