"""`Client` and `AsyncClient`: configuration and resources written once for both faces."""

from __future__ import annotations

import os
from typing import Any, Generic, TypeVar, overload

import httpx
from typing_extensions import Self

import sdkcore
from sdkcore import (
    Async,
    AsyncAPIClient,
    BaseClient,
    Flow,
    Op,
    Resource,
    Sync,
    SyncAPIClient,
    as_model,
    endpoint,
)

from ._flows import flow, gateway_request, send_raw
from ._version import __version__
from .aliases import Aliases, AsyncAliases
from .broadcasts import AsyncBroadcasts, Broadcasts
from .chains import AsyncChains, Chains
from .enrollments import AsyncEnrollments, Enrollments
from .exceptions import ERROR_MAP
from .files import AsyncFiles, Files
from .groups import AsyncGroups, Groups
from .models import ResolveResponse
from .preferences import AsyncPreferences, Preferences
from .recurrent_requests import AsyncRecurrentRequests, RecurrentRequests
from .request_logs import AsyncRequestLogs, RequestLogs
from .secrets import AsyncSecrets, Secrets
from .services import AsyncServices, Services
from .streaming import AsyncStreamingResponse, StreamingResponse
from .usage import AsyncUsage, Usage

__all__ = [
    "DEFAULT_API_URL",
    "ENV_API_BASE_URL",
    "ENV_API_KEY",
    "ENV_API_URL",
    "ENV_S3_BASE_URL",
    "ENV_SMTP_BASE_URL",
    "AsyncClient",
    "Client",
]

DEFAULT_API_URL = "https://api.unitysvc.com/v1"
ENV_API_KEY = "UNITYSVC_API_KEY"
ENV_API_URL = "UNITYSVC_API_URL"
ENV_API_BASE_URL = "UNITYSVC_API_BASE_URL"
ENV_S3_BASE_URL = "UNITYSVC_S3_BASE_URL"
ENV_SMTP_BASE_URL = "UNITYSVC_SMTP_BASE_URL"
_GATEWAYS = ("api", "s3", "smtp")

PROFILE = sdkcore.ClientProfile(
    name="unitysvc",
    version=__version__,
    error_map=ERROR_MAP,
    retry=sdkcore.RetryPolicy(max_retries=2, initial_delay=0.25, max_delay=4.0),
    default_timeout=httpx.Timeout(30.0),
    idempotency_header="Idempotency-Key",
    auto_idempotency=True,
)

M = TypeVar("M", bound=sdkcore.Mode)


S = TypeVar("S")
A = TypeVar("A")


class _ResourceSlot(Generic[S, A]):
    """A client attribute holding one resource, built on first use for the client's face:
    ``sync_cls`` on `Client`, ``async_cls`` on `AsyncClient` (mypy sees which)."""

    def __init__(self, sync_cls: type[S], async_cls: type[A], doc: str) -> None:
        self.sync_cls = sync_cls
        self.async_cls = async_cls
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: Client, owner: type[Any]) -> S: ...
    @overload
    def __get__(self, obj: AsyncClient, owner: type[Any]) -> A: ...
    @overload
    def __get__(self, obj: Any, owner: type[Any]) -> S | A: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        cls: Any = self.sync_cls if isinstance(obj, SyncAPIClient) else self.async_cls
        resource = cls(obj)
        obj.__dict__[self.name] = resource
        return resource


_RESOURCES = (
    "groups", "services", "enrollments", "secrets", "aliases", "recurrent_requests",
    "request_logs", "files", "preferences", "usage", "broadcasts", "chains",
)  # fmt: skip


class _ClientBase(BaseClient, Resource[M], Generic[M]):
    """Everything both clients share; the faces pick the mode, httpx client and driver."""

    api_base_url: str | None
    s3_base_url: str | None
    smtp_base_url: str | None

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        api_base_url: str | None = None,
        s3_base_url: str | None = None,
        smtp_base_url: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        verify_ssl: bool = True,
    ) -> None:
        """Create a client.

        Args:
            api_key: A customer API key (``svcpass_...``); it encodes the customer.
            base_url: Control-plane URL; falls back to UNITYSVC_API_URL, then
                `DEFAULT_API_URL`.
            api_base_url: HTTP API gateway base URL; falls back to UNITYSVC_API_BASE_URL.
            s3_base_url: S3 gateway base URL; falls back to UNITYSVC_S3_BASE_URL.
            smtp_base_url: SMTP gateway base URL; falls back to UNITYSVC_SMTP_BASE_URL.
            timeout: Per-request timeout in seconds (default 30 s; None for none).
            verify_ssl: Whether to verify TLS certificates.

        Raises:
            ValueError, TypeError: an argument is invalid (nothing is sent).
        """
        if not isinstance(api_key, str):
            raise TypeError(f"api_key must be a str, got {type(api_key).__name__}")
        if not api_key.strip():
            raise ValueError(
                f"api_key must be a non-empty customer key (svcpass_...); is {ENV_API_KEY} set?"
            )
        self.api_key = api_key.strip()
        resolved = base_url or os.environ.get(ENV_API_URL) or DEFAULT_API_URL
        self.api_base_url = self._gateway_url(api_base_url, ENV_API_BASE_URL, "api_base_url")
        self.s3_base_url = self._gateway_url(s3_base_url, ENV_S3_BASE_URL, "s3_base_url")
        self.smtp_base_url = self._gateway_url(smtp_base_url, ENV_SMTP_BASE_URL, "smtp_base_url")
        if not isinstance(verify_ssl, bool):
            raise TypeError("verify_ssl must be a bool")
        super().__init__(
            profile=PROFILE,
            base_url=resolved,
            auth_headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=timeout,
            secrets=(self.api_key,),
            verify=verify_ssl,
        )
        self._client = self
        self._raw = False

    @staticmethod
    def _gateway_url(value: str | None, env_var: str, argument: str) -> str | None:
        url = sdkcore.env_or(value, env_var)
        if url is None:
            return None
        return str(sdkcore.validate_base_url(url, argument=argument))

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Construct a client from the environment: UNITYSVC_API_KEY (required),
        UNITYSVC_API_URL and the gateway variables (optional). Extra keyword arguments go to
        the constructor.

        Raises:
            ValueError: UNITYSVC_API_KEY is unset or empty (the message names it).
        """
        api_key = sdkcore.require_setting(None, argument="api_key", env_var=ENV_API_KEY)
        return cls(api_key, **kwargs)

    groups = _ResourceSlot(Groups, AsyncGroups, "Service groups and collections.")
    services = _ResourceSlot(
        Services, AsyncServices, "Services: details, interfaces, dispatch, stream, schedule."
    )
    enrollments = _ResourceSlot(Enrollments, AsyncEnrollments, "The customer's enrollments.")
    secrets = _ResourceSlot(Secrets, AsyncSecrets, "The customer's secret store.")
    aliases = _ResourceSlot(Aliases, AsyncAliases, "The customer's service aliases.")
    recurrent_requests = _ResourceSlot(
        RecurrentRequests, AsyncRecurrentRequests, "Recurrent (scheduled) requests."
    )
    request_logs = _ResourceSlot(RequestLogs, AsyncRequestLogs, "Gateway request logs.")
    files = _ResourceSlot(Files, AsyncFiles, "The account's files (personal/ and shared/).")
    usage = _ResourceSlot(Usage, AsyncUsage, "The account's usage and cost per billing cycle.")
    preferences = _ResourceSlot(
        Preferences, AsyncPreferences, "The account's preferences (notification, ai, request-log)."
    )
    broadcasts = _ResourceSlot(
        Broadcasts, AsyncBroadcasts, "Broadcasts: one call fanned out to many targets (/b/)."
    )
    chains = _ResourceSlot(
        Chains, AsyncChains, "Chains: steps where success or failure picks the next (/c/)."
    )

    def _copy_state(self) -> dict[str, Any]:
        # A copy builds its own resources, bound to itself.
        state = super()._copy_state()
        for name in _RESOURCES:
            state.pop(name, None)
        return state

    @endpoint
    def resolve(
        self,
        *,
        path: str,
        routing_key: dict[str, Any] | None = None,
        gateway: str = "api",
        strategy: str | None = None,
    ) -> Op[ResolveResponse]:
        """Dry-run resolve a gateway path + routing key.

        Mirrors the gateway's selection decision without calling the upstream: the
        candidates, the effective strategy and the member the next dispatch would use.

        Args:
            path: Gateway request path, e.g. ``g/llm`` or ``p/<service-id>/v1/chat``.
            routing_key: Routing key to match against member rules (e.g. ``{"model": "x"}``).
            gateway: "api" (default), "s3" or "smtp".
            strategy: Override the group's routing strategy ("weighted", "by_routing_key",
                "by_price").
        """
        if not isinstance(path, str) or not path.strip():
            raise ValueError("path must be a non-empty string")
        if gateway not in _GATEWAYS:
            raise ValueError(f"gateway must be one of {', '.join(_GATEWAYS)}; got {gateway!r}")
        if routing_key is not None and not isinstance(routing_key, dict):
            raise TypeError("routing_key must be a dict")
        body = {"path": path, "routing_key": routing_key, "gateway": gateway, "strategy": strategy}
        return Op("POST", "/resolve", as_model(ResolveResponse), body=body, safe=True)

    @flow
    def dispatch(
        self,
        path: str,
        *,
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Flow[httpx.Response]:
        """Send one request to ``api_base_url`` + ``path`` (a gateway-relative path such as
        ``p/<id>``, ``g/<name>`` or a wrapped one); upstream 4xx/5xx are returned, not raised.

        Raises:
            ValueError: no ``api_base_url`` (nor UNITYSVC_API_BASE_URL) is configured.
        """
        url, kwargs = self._gateway_target(path, method, json, data, headers, timeout)
        response: httpx.Response = yield from send_raw(self, method, url, kwargs)
        return response

    @flow
    def stream(
        self,
        path: str,
        *,
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Flow[Any]:
        """Open a streaming request to ``api_base_url`` + ``path`` (see `dispatch`); returns a
        `StreamingResponse` to enter (on the async client, ``async with await ...``)."""
        url, kwargs = self._gateway_target(path, method, json, data, headers, timeout)
        # No I/O before the stream is entered; the empty yield makes this a flow like the
        # other stream methods, so both faces return the same kind of result.
        yield from ()
        return self._open_stream(method, url, kwargs)

    def _gateway_target(
        self, path: str, method: str, json: Any, data: Any, headers: Any, timeout: Any
    ) -> tuple[str, dict[str, Any]]:
        if not isinstance(path, str):
            raise TypeError("path must be a str")
        if self.api_base_url is None:
            raise ValueError(
                f"api_base_url is not set; pass api_base_url= or set {ENV_API_BASE_URL}"
            )
        return gateway_request(
            self,
            self.api_base_url,
            path=path,
            method=method,
            json=json,
            data=data,
            headers=headers,
            timeout=timeout,
        )

    def _open_stream(self, method: str, url: str, kwargs: dict[str, Any]) -> Any:
        cls = StreamingResponse if isinstance(self, SyncAPIClient) else AsyncStreamingResponse
        return cls(self._http, method.upper(), url, kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base!r}, api_key={sdkcore.REDACTED!r})"


class Client(_ClientBase[Sync], SyncAPIClient):
    """Synchronous customer SDK client. Thread-safe; use as a context manager or `close()`."""

    _http: httpx.Client


class AsyncClient(_ClientBase[Async], AsyncAPIClient):
    """Asynchronous customer SDK client (asyncio or trio); ``async with`` or ``await close()``."""

    _http: httpx.AsyncClient
