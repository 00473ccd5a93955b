"""Multi-request methods written once for both faces.

A method decorated with `flow` is a generator of sdkcore I/O effects (`Send`, or whole API
calls through ``yield from call(client, op)``); the client's driver performs them blocking
(`Client`) or awaiting (`AsyncClient`). mypy sees the right return type on each face.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, Generic, TypeVar, overload

import httpx
from typing_extensions import ParamSpec

import sdkcore
from sdkcore import Async, Flow, Op, Resource, Send, Sync

from .exceptions import APIConnectionError, APITimeoutError

__all__ = ["FlowMethod", "call", "flow", "send_raw", "send_request"]

P = ParamSpec("P")
T = TypeVar("T")


class FlowMethod(Generic[P, T]):
    """Descriptor made by `flow`."""

    def __init__(self, build: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__

    if TYPE_CHECKING:

        @overload
        def __get__(self, obj: None, owner: type[Any]) -> FlowMethod[P, T]: ...
        @overload
        def __get__(self, obj: Resource[Sync], owner: type[Any]) -> Callable[P, T]: ...
        @overload
        def __get__(self, obj: Resource[Async], owner: type[Any]) -> Callable[P, Awaitable[T]]: ...

    def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        build = self._build

        def bound(*args: Any, **kwargs: Any) -> Any:
            return obj._client._drive(build(obj, *args, **kwargs))  # type: ignore[attr-defined]

        bound.__name__ = build.__name__
        bound.__doc__ = build.__doc__
        return bound


def flow(build: Callable[Concatenate[Any, P], Flow[T]]) -> FlowMethod[P, T]:
    """Turn an effect-generating method into one that runs on the resource's client."""
    return FlowMethod(build)


def call(client: sdkcore.BaseClient, op: Op[T]) -> Flow[T]:
    """One API call (with the SDK's retries and error mapping) inside a flow."""
    result: T = yield from client._flow(op, raw=False)
    return result


def gateway_request(
    client: sdkcore.BaseClient,
    base_url: str | None,
    *,
    path: str,
    method: str,
    json: Any,
    data: Any,
    headers: Mapping[str, str] | None,
    timeout: float | None,
) -> tuple[str, dict[str, Any]]:
    """The URL and httpx keyword arguments of one gateway request (dispatch or stream)."""
    if not base_url:
        raise ValueError("Interface has no resolved base_url; cannot dispatch.")
    if not isinstance(method, str) or not method.strip():
        raise ValueError("method must be a non-empty HTTP method name")
    if json is not None and data is not None:
        raise ValueError("json and data are mutually exclusive; pass one of them")
    url = base_url.rstrip("/")
    if path:
        url = f"{url}/{path.lstrip('/')}"
    merged = {
        "User-Agent": client._profile.user_agent,
        "Authorization": client._headers["Authorization"],
        **sdkcore.validate_headers(headers),
    }
    kwargs: dict[str, Any] = {"headers": merged}
    if json is not None:
        kwargs["json"] = json
    elif data is not None:
        kwargs["content" if isinstance(data, (bytes, str)) else "data"] = data
    if timeout is not None:
        kwargs["timeout"] = sdkcore.coerce_timeout(timeout)
    return url, kwargs


def send_raw(
    client: sdkcore.BaseClient, method: str, url: str, kwargs: dict[str, Any]
) -> Flow[httpx.Response]:
    """Send one request and return the response whatever its status (gateway dispatch)."""
    response: httpx.Response = yield from send_request(
        client._http.build_request(method.upper(), url, **kwargs)
    )
    return response


def send_request(request: httpx.Request | sdkcore.PreparedRequest) -> Flow[httpx.Response]:
    """Send ``request`` as built, with none of the client's headers (storage requests carry
    no API key), and return the response whatever its status; transport failures map to
    the SDK's connection and timeout errors."""
    try:
        response: httpx.Response = yield Send(request, False)
    except httpx.TimeoutException as exc:
        raise APITimeoutError(request=_httpx(request)) from exc
    except httpx.HTTPError as exc:
        raise APIConnectionError(f"Connection error: {exc}", request=_httpx(request)) from exc
    return response


def _httpx(request: httpx.Request | sdkcore.PreparedRequest) -> httpx.Request:
    return request.httpx_request if isinstance(request, sdkcore.PreparedRequest) else request
