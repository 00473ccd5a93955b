"""Resources written once for both faces.

A resource method builds an `Op` (pure, no I/O) and is wrapped by `endpoint` or `dual`. The
descriptor returns, depending on the resource's mode, a function that runs the op on a blocking
client, one that returns an awaitable, or the raw-response variants of either. The mode is a
phantom type parameter, so mypy sees the right return type on each face.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from types import MethodType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, TypeVar, overload

from typing_extensions import ParamSpec

from ._operation import DualOp, Op
from ._response import APIResponse

if TYPE_CHECKING:
    from ._client import BaseClient

__all__ = ["Async", "Dual", "Endpoint", "Mode", "Raw", "Resource", "Sync", "dual", "endpoint"]

P = ParamSpec("P")
T = TypeVar("T")
SyncT = TypeVar("SyncT")
AsyncT = TypeVar("AsyncT")


class Mode:
    """Phantom type: how a resource's methods run."""


class Sync(Mode):
    """Methods block and return results."""


class Async(Mode):
    """Methods return awaitables."""


M = TypeVar("M", bound=Mode)
M_co = TypeVar("M_co", bound=Mode, covariant=True)


class Raw(Mode, Generic[M_co]):
    """Methods return `APIResponse` wrappers instead of parsed results."""


class Resource(Generic[M]):
    """Base of every resource: a view of a client, optionally in raw-response mode."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client
        self._raw = False

    def _raw_copy(self) -> Any:
        clone = copy.copy(self)
        clone._raw = True
        return clone

    def _run(self, op: Op[Any]) -> Any:
        return self._client._execute(op, raw=self._raw)  # type: ignore[attr-defined]


class _Descriptor:
    """Runtime half of `Endpoint` and `Dual`: binds the op builder to a resource instance."""

    __slots__ = ("__dict__", "_build", "_call")

    def __init__(self, build: Callable[..., Op[Any]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self._call = _caller(build)

    def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        # A bound method, made in C on every attribute access (a closure would be built and
        # named in Python each time).
        return MethodType(self._call, obj)


class Endpoint(_Descriptor, Generic[P, T]):
    """Descriptor made by `endpoint`; see the module docstring."""

    __slots__ = ()

    if TYPE_CHECKING:

        def __init__(self, build: Callable[Concatenate[Any, P], Op[T]]) -> None: ...
        @overload
        def __get__(self, obj: None, owner: type[Any]) -> Endpoint[P, T]: ...
        @overload
        def __get__(self, obj: Resource[Sync], owner: type[Any]) -> Callable[P, T]: ...
        @overload
        def __get__(self, obj: Resource[Async], owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
        @overload
        def __get__(
            self, obj: Resource[Raw[Sync]], owner: type[Any]
        ) -> Callable[P, APIResponse[T]]: ...
        @overload
        def __get__(
            self, obj: Resource[Raw[Async]], owner: type[Any]
        ) -> Callable[P, Awaitable[APIResponse[T]]]: ...
        def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any: ...


class Dual(_Descriptor, Generic[P, SyncT, AsyncT]):
    """Descriptor made by `dual`: like `Endpoint`, for results whose class depends on the face."""

    __slots__ = ()

    if TYPE_CHECKING:

        def __init__(self, build: Callable[Concatenate[Any, P], DualOp[SyncT, AsyncT]]) -> None: ...
        @overload
        def __get__(self, obj: None, owner: type[Any]) -> Dual[P, SyncT, AsyncT]: ...
        @overload
        def __get__(self, obj: Resource[Sync], owner: type[Any]) -> Callable[P, SyncT]: ...
        @overload
        def __get__(
            self, obj: Resource[Async], owner: type[Any]
        ) -> Callable[P, Awaitable[AsyncT]]: ...
        @overload
        def __get__(
            self, obj: Resource[Raw[Sync]], owner: type[Any]
        ) -> Callable[P, APIResponse[SyncT]]: ...
        @overload
        def __get__(
            self, obj: Resource[Raw[Async]], owner: type[Any]
        ) -> Callable[P, Awaitable[APIResponse[AsyncT]]]: ...
        def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any: ...


def _caller(build: Callable[..., Op[Any]]) -> Callable[..., Any]:
    """`build`'s method that runs the op it builds on the resource's client."""

    def call(obj: Resource[Any], /, *args: Any, **kwargs: Any) -> Any:
        return obj._run(build(obj, *args, **kwargs))

    call.__name__ = build.__name__
    call.__qualname__ = build.__qualname__
    call.__doc__ = build.__doc__
    return call


def endpoint(build: Callable[Concatenate[Any, P], Op[T]]) -> Endpoint[P, T]:
    """Turn an op-building method into a method that runs the op on the resource's client."""
    return Endpoint(build)


def dual(
    build: Callable[Concatenate[Any, P], DualOp[SyncT, AsyncT]],
) -> Dual[P, SyncT, AsyncT]:
    """Like `endpoint`, for ops whose result differs by face (pages, streams)."""
    return Dual(build)
