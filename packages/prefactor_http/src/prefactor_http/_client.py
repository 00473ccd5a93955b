"""`PrefactorHttpClient` (async) and `SyncPrefactorHttpClient`: one implementation, two faces."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, Generic, TypeVar

import httpx

import sdkcore
from sdkcore import Async, AsyncAPIClient, BaseClient, Op, Sync, SyncAPIClient
from sdkcore._flow import Flow

from ._config import HttpClientConfig
from ._exceptions import (
    ERROR_MAP,
    PrefactorApiError,
    PrefactorClientError,
    PrefactorRetryExhaustedError,
)
from ._version import PACKAGE_NAME, PACKAGE_VERSION, __version__
from .resources import AgentInstances, Agents, AgentSpans, Bulk, Service

__all__ = ["PrefactorHttpClient", "SyncPrefactorHttpClient"]

PROFILE = sdkcore.ClientProfile(
    name="prefactor_http",
    version=__version__,
    error_map=ERROR_MAP,
    idempotency_header="Idempotency-Key",
    base_headers={"Content-Type": "application/json", "Accept": "application/json"},
)

SDK_HEADER = "X-Prefactor-SDK"
DEFAULT_SDK_HEADER = f"{PACKAGE_NAME}@{PACKAGE_VERSION}"
"""``X-Prefactor-SDK`` when no ``sdk_header`` is given: the packages in use, ``name@version``."""

M = TypeVar("M", bound=sdkcore.Mode)
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


def _policy(config: HttpClientConfig) -> sdkcore.RetryPolicy:
    return sdkcore.RetryPolicy(
        max_retries=config.max_retries,
        initial_delay=config.initial_retry_delay,
        max_delay=config.max_retry_delay,
        multiplier=config.retry_multiplier,
        retry_statuses=frozenset(config.retry_on_status_codes),
        unprocessed_statuses=frozenset({408, 429}) & frozenset(config.retry_on_status_codes),
        retry_server_errors=False,
        max_retry_after=config.max_retry_delay,
    )


class _PrefactorBase(BaseClient, Generic[M, H]):
    """Everything both clients share; the faces only pick the mode and the httpx client type."""

    config: HttpClientConfig

    def __init__(
        self,
        config: HttpClientConfig | None = None,
        sdk_header: str | None = None,
        *,
        http_client: H | None = None,
    ) -> None:
        """Create a client.

        Args:
            config: Url, token, timeouts and retry settings; when omitted, one is built from
                ``PREFACTOR_API_URL`` and ``PREFACTOR_API_TOKEN``.
            sdk_header: The ``X-Prefactor-SDK`` header, naming the packages in use
                (``"prefactor-core@0.5.3"``); ``prefactor-http@<version>`` when omitted.
            http_client: Your own `httpx.AsyncClient` (`httpx.Client` for the sync client)
                for proxies, certificates or transports; the SDK never closes it.
        """
        if config is None:
            config = HttpClientConfig()
        if not isinstance(config, HttpClientConfig):
            raise TypeError(f"config must be an HttpClientConfig, got {type(config).__name__}")
        self.config = config
        super().__init__(
            profile=PROFILE,
            base_url=config.api_url,
            auth_headers={"Authorization": f"Bearer {config.api_token}"},
            timeout=config.timeout,
            max_retries=config.max_retries,
            secrets=(config.api_token,),
            http_client=http_client,
            allow_insecure_http=config.allow_insecure_http,
        )
        self._retry = _policy(config)
        self._sdk_header = sdk_header or DEFAULT_SDK_HEADER

    @property
    def _sdk_header(self) -> str:
        """The ``X-Prefactor-SDK`` header; prefactor-core sets it on a live client."""
        return self._headers[SDK_HEADER]

    @_sdk_header.setter
    def _sdk_header(self, value: str) -> None:
        self._headers[SDK_HEADER] = sdkcore.require_text(value, argument="sdk_header")
        self._pool_headers = None

    @property
    def key_prefix(self) -> str | None:
        """Prefix of generated idempotency keys (``config.default_idempotency_key``)."""
        return self.config.default_idempotency_key

    @cached_property
    def agents(self) -> Agents[M]:
        """Agents: create, get, show, list_agents (and list), update, retire, reinstate, delete."""
        return Agents(self)

    @cached_property
    def agent_instances(self) -> AgentInstances[M]:
        """Agent instances: register, start, finish, get, record_quality."""
        return AgentInstances(self)

    @cached_property
    def agent_spans(self) -> AgentSpans[M]:
        """Agent spans: create, finish."""
        return AgentSpans(self)

    @cached_property
    def bulk(self) -> Bulk[M]:
        """Bulk actions: execute."""
        return Bulk(self)

    @cached_property
    def _service(self) -> Service[M]:
        return Service(self)

    def _copy_state(self) -> dict[str, Any]:
        state = super()._copy_state()
        for name in ("agents", "agent_instances", "agent_spans", "bulk", "_service"):
            state.pop(name, None)
        return state

    def _send_with_retries(
        self, op: Op[Any], request: sdkcore.PreparedRequest
    ) -> Flow[tuple[httpx.Response, int]]:
        """sdkcore's retry loop, refusing a closed client with the seed's error first."""
        if self._http.is_closed:
            raise PrefactorClientError("the client is closed; create a new one")
        return (yield from super()._send_with_retries(op, request))

    def _give_up(self, op: Op[Any], error: Exception, retries: int) -> Exception:
        """The seed's exhaustion error once every retry is spent on a retryable failure."""
        if retries and retries >= self._policy_for(op).max_retries and self._retryable(error):
            return PrefactorRetryExhaustedError(
                f"Request to {op.path} failed after {retries + 1} attempts", error
            )
        return error

    def _retryable(self, exc: Exception) -> bool:
        if isinstance(exc, PrefactorApiError):
            return exc.status_code in self.config.retry_on_status_codes
        return True

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(api_url={self.config.api_url!r}, api_token={sdkcore.REDACTED!r})"


class PrefactorHttpClient(_PrefactorBase[Async, httpx.AsyncClient], AsyncAPIClient):
    """Async client of the Prefactor API: ``async with PrefactorHttpClient(config) as client``."""

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_data: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Send ``method path`` with retries and return the decoded JSON object.

        A write carries ``Idempotency-Key`` (``idempotency_key``, else a generated one
        reused on every attempt).
        """
        op = self._service.request_op(method, path, params, json_data, idempotency_key)
        result: dict[str, Any] = await self._execute(op)
        return result

    async def validate_token(self) -> dict[str, Any]:
        """Check the token (``GET /api/v1/ping``); a bad one raises `PrefactorAuthError`."""
        result: dict[str, Any] = await self._execute(self._service.ping_op())
        return result


class SyncPrefactorHttpClient(_PrefactorBase[Sync, httpx.Client], SyncAPIClient):
    """Blocking client of the Prefactor API: ``with SyncPrefactorHttpClient(config) as client``."""

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_data: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Send ``method path`` with retries and return the decoded JSON object.

        A write carries ``Idempotency-Key`` (``idempotency_key``, else a generated one
        reused on every attempt).
        """
        op = self._service.request_op(method, path, params, json_data, idempotency_key)
        result: dict[str, Any] = self._execute(op)
        return result

    def validate_token(self) -> dict[str, Any]:
        """Check the token (``GET /api/v1/ping``); a bad one raises `PrefactorAuthError`."""
        result: dict[str, Any] = self._execute(self._service.ping_op())
        return result
