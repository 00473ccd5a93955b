"""Operations: a sans-I/O description of one API call, built by resources, run by clients."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from ._types import RequestOptions

__all__ = ["MISSING", "DualOp", "Op", "ResultFactory"]

T = TypeVar("T")
SyncT = TypeVar("SyncT")
AsyncT = TypeVar("AsyncT")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        # Unpickled as the module's one instance: a copy would fail every `is MISSING` test
        # and be sent as a body.
        return "MISSING"


MISSING: Any = _Missing()
"""Body placeholder meaning "send no body" (None would be the JSON literal null)."""


@dataclass(slots=True)
class Op(Generic[T]):
    """One API call: what to send and how to turn the decoded response into a result.

    Slotted, as an op lives as long as its request: one object for the garbage collector to
    track, not two. Not frozen, though nothing changes an op once built (`with_query` and
    `dataclasses.replace` copy it): one is built per call, and a frozen dataclass's `__init__`
    sets each field through `object.__setattr__`, which costs more than the rest of the op.

    Attributes:
        method: HTTP method.
        path: Path appended to the client's base URL (starts with "/").
        cast: Converts the decoded JSON body (None for an empty body) into the result.
        query: Query parameters; None values are dropped.
        body: JSON body, or MISSING for none.
        options: The caller's per-request options.
        safe: Whether repeating the request is harmless; None infers it from the method and
            the idempotency key.
        stream: Leave the response body unread for a streaming result.
    """

    method: str
    path: str
    cast: Callable[[Any], T]
    query: Mapping[str, Any] | None = None
    body: Any = MISSING
    options: RequestOptions = field(default_factory=RequestOptions)
    safe: bool | None = None
    stream: bool = False

    def with_query(self, changes: Mapping[str, Any]) -> Op[T]:
        """A copy whose query has `changes` applied (used to fetch the next page)."""
        return replace(self, query={**(self.query or {}), **changes})


class ResultFactory(Generic[SyncT, AsyncT]):
    """Builds a result whose class depends on the client's mode (pages, streams).

    ``client`` is the `BaseClient` running the operation; it is typed ``Any`` here (and
    narrowed by subclasses) because ``_client`` imports this module: naming it would close
    an import cycle.
    """

    def sync(self, client: Any, op: DualOp[SyncT, AsyncT], value: Any) -> SyncT:
        """The result for a synchronous client."""
        raise NotImplementedError

    def async_(self, client: Any, op: DualOp[SyncT, AsyncT], value: Any) -> AsyncT:
        """The result for an asynchronous client."""
        raise NotImplementedError


@dataclass(slots=True)
class DualOp(Op[Any], Generic[SyncT, AsyncT]):
    """An operation whose result type differs between the sync and async faces.

    `cast` decodes the body as usual; `factory` then wraps that value for the client's mode.
    """

    factory: ResultFactory[SyncT, AsyncT] = field(default_factory=ResultFactory)
