"""The core client: configuration, request building, the retrying request flow, and its two
faces (`SyncAPIClient` over `httpx.Client`, `AsyncAPIClient` over `httpx.AsyncClient`)."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from typing_extensions import Self

from ._closing import AsyncCloseable, Closeable
from ._config import (
    TimeoutTypes,
    coerce_timeout,
    validate_base_url,
    validate_headers,
    validate_max_retries,
)
from ._errors import APIStatusError, ErrorMap
from ._flow import AsyncSender, Close, Flow, Read, Send, Sleep, SyncSender, run_async, run_sync
from ._logging import REDACTED, Redactor, get_logger, log_failure, log_response
from ._multipart import RawBody
from ._operation import MISSING, DualOp, Op
from ._request import PreparedRequest, merge_query
from ._response import APIResponse
from ._results import cast_result, request_id, status_error
from ._retry import IDEMPOTENT_METHODS, RetryPolicy
from ._transports import own_async_client, own_sync_client
from ._types import NOT_GIVEN, NotGiven, RequestOptions

__all__ = ["AsyncAPIClient", "BaseClient", "ClientProfile", "SyncAPIClient"]

T = TypeVar("T")

# One encoder for every body: `json.dumps` with any option builds a new `JSONEncoder` per call.
_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_OPTION_NAMES = frozenset(RequestOptions.__optional_keys__)


@dataclass(frozen=True)
class ClientProfile:
    """What is fixed for one SDK: its name, error table, retry defaults and wire conventions.

    Attributes:
        name: Package name; used for the logger and the User-Agent (`<name>-python/<version>`).
        version: Package version.
        error_map: Status -> exception table and message extraction.
        retry: Default retry policy (the client's `max_retries` overrides its count).
        default_timeout: Timeout when the caller gives none.
        limits: Connection-pool limits of the httpx client the SDK creates.
        idempotency_header: Header carrying idempotency keys, if the API supports one.
        auto_idempotency: Generate a key for every non-idempotent request (needs the header).
        base_headers: Headers sent on every request (before the caller's default_headers).
    """

    name: str
    version: str
    error_map: ErrorMap
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    default_timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(60.0))
    limits: httpx.Limits = field(
        default_factory=lambda: httpx.Limits(max_connections=1000, max_keepalive_connections=100)
    )
    idempotency_header: str | None = None
    auto_idempotency: bool = False
    base_headers: Mapping[str, str] = field(default_factory=lambda: {"Accept": "application/json"})

    @property
    def user_agent(self) -> str:
        """The User-Agent header value."""
        return f"{self.name}-python/{self.version}"


class BaseClient:
    """Shared state and logic of both client faces. Holds no per-request state, so one client
    can serve many threads or tasks at once."""

    _profile: ClientProfile
    _http: httpx.Client | httpx.AsyncClient
    _http_class: type[httpx.Client] | type[httpx.AsyncClient]
    _sender: Any = None

    def __init__(
        self,
        *,
        profile: ClientProfile,
        base_url: str | httpx.URL,
        auth_headers: Mapping[str, str],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        secrets: Iterable[str | None] = (),
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
        verify: bool = True,
    ) -> None:
        self._profile = profile
        self._verify = verify
        self.base_url = validate_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self.timeout = (
            profile.default_timeout if isinstance(timeout, NotGiven) else coerce_timeout(timeout)
        )
        retries = profile.retry.max_retries if max_retries is None else max_retries
        self.max_retries = validate_max_retries(retries)
        self._retry = profile.retry.with_changes(max_retries=self.max_retries)
        self._redactor = Redactor(secrets)
        self._logger = get_logger(profile.name)
        self._headers = {
            **profile.base_headers,
            "User-Agent": profile.user_agent,
            **validate_headers(auth_headers, argument="auth headers"),
            **validate_headers(default_headers, argument="default_headers"),
        }
        self._base = str(self.base_url)
        self._pool_headers: tuple[list[tuple[bytes, bytes]], httpx.Headers] | None = None
        self._owns_http = self._owns_pool = http_client is None
        self._http = self._init_http(http_client)

    def _init_http(self, http_client: Any) -> httpx.Client | httpx.AsyncClient:
        expected = self._http_class
        if http_client is None:
            http: httpx.Client | httpx.AsyncClient
            http, self._sender = self._own_pool()
            return http
        if not isinstance(http_client, expected):
            raise TypeError(
                f"http_client must be an {expected.__module__}.{expected.__name__} for "
                f"{type(self).__name__}, got {type(http_client).__name__}"
            )
        return http_client

    # -- options -------------------------------------------------------------------------------

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy of this client with some options changed; it shares the connection pool.

        Closing the copy leaves the pool open: the original client owns it.
        """
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self._copy_state())
        clone._owns_http = False
        if not isinstance(timeout, NotGiven):
            clone.timeout = coerce_timeout(timeout)
        if retry_policy is not None:
            clone._retry = retry_policy
            clone.max_retries = retry_policy.max_retries
        if max_retries is not None:
            clone.max_retries = validate_max_retries(max_retries)
            clone._retry = clone._retry.with_changes(max_retries=clone.max_retries)
        if default_headers:
            clone._headers = {
                **self._headers,
                **validate_headers(default_headers, argument="default_headers"),
            }
            clone._pool_headers = None
        return clone

    copy = with_options

    def _own_pool(self) -> tuple[Any, Any]:
        """The connection pool this face makes when given no `http_client`, and the sender
        that sends prepared requests to it directly (None: through `http.send`)."""
        raise NotImplementedError

    def _copy_state(self) -> dict[str, Any]:
        """Attributes a copy inherits; subclasses drop their cached resource objects here."""
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base!r}, api_key={REDACTED!r})"

    # -- request building ----------------------------------------------------------------------

    def _build_request(self, op: Op[Any]) -> PreparedRequest:
        options = op.options
        if options:
            unknown = options.keys() - _OPTION_NAMES
            if unknown:
                # Options arrive as **kwargs; without this a misspelt argument would vanish.
                raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
        # Headers of this request only, laid over the client's.
        overlay: dict[str, str] = {}
        extra_headers = options.get("extra_headers")
        if extra_headers:
            overlay.update(validate_headers(extra_headers, argument="extra_headers"))
        key = options.get("idempotency_key")
        header_name = self._profile.idempotency_header
        if key is not None and header_name is None:
            raise TypeError(
                f"idempotency_key is not supported by the {self._profile.name} API; "
                "its creates are retried only when the server provably did not act on them"
            )
        if header_name is not None and op.method not in IDEMPOTENT_METHODS:
            if key is None and self._profile.auto_idempotency:
                import uuid  # here, not at import: only auto idempotency keys need it

                key = f"{self._profile.name}-retry-{uuid.uuid4()}"
            if key is not None:
                overlay.update(validate_headers({header_name: key}))
        params = merge_query(op.query, options.get("extra_query"))
        content: bytes | None = None
        body = op.body
        extra_body = options.get("extra_body")
        if extra_body:
            if isinstance(body, RawBody):
                raise TypeError("extra_body adds JSON fields; this request's body is not JSON")
            body = {**(body if isinstance(body, Mapping) else {}), **extra_body}
        if isinstance(body, RawBody):
            overlay["Content-Type"] = body.content_type
            content = body.content
        elif body is not MISSING:
            overlay["Content-Type"] = "application/json"
            content = _JSON.encode(body).encode()
        timeout = coerce_timeout(options["timeout"]) if "timeout" in options else self.timeout
        return PreparedRequest(
            method=op.method,
            base=self._base,
            path=op.path,
            params=params,
            headers=self._merged_headers(),
            overlay=overlay,
            content=content,
            timeout=timeout,
            http=self._http,
        )

    def _merged_headers(self) -> httpx.Headers:
        """The pool's default headers overlaid with this client's; merged again only when the
        pool's change (a caller's `http_client` may be edited after the SDK client is made;
        the pool a client makes for itself is private, so its headers are compared never)."""
        cached = self._pool_headers
        if cached is not None and self._owns_pool:
            return cached[1]
        pool = self._http.headers.raw
        if cached is None or cached[0] != pool:
            merged = httpx.Headers(self._http.headers)
            merged.update(self._headers)
            cached = self._pool_headers = (pool, merged)
        return cached[1]

    def _is_safe(self, op: Op[Any], request: PreparedRequest) -> bool:
        if op.safe is not None:
            return op.safe
        if request.method in IDEMPOTENT_METHODS:
            return True
        name = self._profile.idempotency_header
        return name is not None and request.has_header(name)

    def _policy_for(self, op: Op[Any]) -> RetryPolicy:
        retries = op.options.get("max_retries")
        if retries is None:
            return self._retry
        return self._retry.with_changes(max_retries=validate_max_retries(retries))

    # -- the request flow ----------------------------------------------------------------------

    def _flow(self, op: Op[Any], *, raw: bool) -> Flow[Any]:
        """Everything one call does, as a generator of I/O effects (see `_flow`)."""
        request = self._build_request(op)
        response, retries = yield from self._send_with_retries(op, request)
        if raw:
            return APIResponse(
                response,
                parse=lambda: self._result(op, response),
                retries_taken=retries,
                request_id=self._request_id(response),
            )
        return self._result(op, response)

    def _send_with_retries(
        self, op: Op[Any], request: PreparedRequest
    ) -> Flow[tuple[httpx.Response, int]]:
        policy = self._policy_for(op)
        safe = self._is_safe(op, request)
        errors = self._profile.error_map
        started = time.monotonic()
        retries = 0
        while True:
            attempt_started = time.monotonic()
            try:
                response: httpx.Response = yield Send(request, op.stream)
            except httpx.TimeoutException as exc:
                # A connect or pool timeout means the request never left this process.
                unsent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
                delay = self._next_delay(policy, retries, None, safe or unsent, started)
                log_failure(self._logger, self._redactor, request, exc, retries, delay)
                if delay is None:
                    raise self._give_up(
                        op, errors.timeout(request=request.httpx_request), retries
                    ) from exc
            except httpx.TransportError as exc:
                unsent = isinstance(exc, httpx.ConnectError)
                delay = self._next_delay(policy, retries, None, safe or unsent, started)
                if delay is not None and not retries and isinstance(exc, httpx.RemoteProtocolError):
                    # Hung up without answering: most often a kept-alive connection the server
                    # closed as it was reused, no sign of load; so the first retry goes at once.
                    delay = 0.0
                log_failure(self._logger, self._redactor, request, exc, retries, delay)
                if delay is None:
                    raise self._give_up(
                        op, errors.connection(request=request.httpx_request), retries
                    ) from exc
            except httpx.RequestError as exc:
                # Undecodable content, redirect loops, unsupported schemes: not transient.
                log_failure(self._logger, self._redactor, request, exc, retries, None)
                raise errors.connection(request=request.httpx_request) from exc
            else:
                log_response(
                    self._logger, self._redactor, request, response, retries, attempt_started
                )
                if 200 <= response.status_code < 300:  # is_success, without httpx's two calls
                    return response, retries
                delay = None
                if policy.is_retryable_status(response.status_code, safe=safe):
                    delay = self._next_delay(policy, retries, response.headers, True, started)
                if delay is None:
                    if op.stream:
                        try:
                            yield Read(response)
                        except httpx.RequestError as exc:
                            raise errors.connection(request=request.httpx_request) from exc
                    raise self._give_up(op, self._status_error(response), retries)
                if op.stream:
                    yield Close(response)
            yield Sleep(delay)
            retries += 1

    def _give_up(self, op: Op[Any], error: Exception, retries: int) -> Exception:
        """The exception a call ends with once the retry loop stops after `retries` retries
        (not retryable, retries spent, or past the deadline); an SDK whose API names an
        exhaustion error wraps `error` here. By default `error` itself."""
        return error

    @staticmethod
    def _next_delay(
        policy: RetryPolicy,
        retries: int,
        headers: httpx.Headers | None,
        retryable: bool,
        started: float,
    ) -> float | None:
        if not retryable or retries >= policy.max_retries:
            return None
        delay = policy.delay(retries, headers)
        if delay is None:
            return None
        if policy.deadline is not None and time.monotonic() - started + delay > policy.deadline:
            return None
        return delay

    def _request_id(self, response: httpx.Response) -> str | None:
        return request_id(self._profile.error_map, response)

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return status_error(self._profile.error_map, self._redactor, response)

    def _result(self, op: Op[Any], response: httpx.Response) -> Any:
        """Decode and cast a success response; shape problems become validation errors."""
        wrap = functools.partial(self._wrap, op) if isinstance(op, DualOp) else None
        return cast_result(op, response, self._profile.error_map, self._redactor, wrap)

    def _wrap(self, op: DualOp[Any, Any], value: Any) -> Any:
        raise NotImplementedError


class SyncAPIClient(BaseClient, Closeable):
    """Blocking face of the core client, over `httpx.Client`."""

    _http: httpx.Client
    _http_class = httpx.Client
    _sender: SyncSender | None

    def _own_pool(self) -> tuple[httpx.Client, SyncSender | None]:
        return own_sync_client(
            timeout=self.timeout, limits=self._profile.limits, verify=self._verify
        )

    def _execute(self, op: Op[Any], *, raw: bool = False) -> Any:
        return self._drive(self._flow(op, raw=raw))

    def _drive(self, flow: Flow[T]) -> T:
        """Run `flow` on this client's pool (see `run_sync`)."""
        return run_sync(flow, self._http, self._sender)

    def _wrap(self, op: DualOp[Any, Any], value: Any) -> Any:
        return op.factory.sync(self, op, value)

    def close(self) -> None:
        """Close the connection pool (unless it was supplied by the caller or shared)."""
        if self._owns_http:
            self._http.close()

    @property
    def is_closed(self) -> bool:
        """Whether the underlying connection pool is closed."""
        return self._http.is_closed


class AsyncAPIClient(BaseClient, AsyncCloseable):
    """Async face of the core client, over `httpx.AsyncClient` (asyncio or trio).

    The client it makes for itself sends through aiohttp's pool on asyncio when aiohttp is
    installed, and through httpx's own pool otherwise (see `async_http_client`).
    """

    _http: httpx.AsyncClient
    _http_class = httpx.AsyncClient
    _sender: AsyncSender | None

    def _own_pool(self) -> tuple[httpx.AsyncClient, AsyncSender | None]:
        return own_async_client(
            timeout=self.timeout, limits=self._profile.limits, verify=self._verify
        )

    # Plain functions handing back `run_async`'s coroutine: each `async def` layer would add a
    # coroutine object per call (and garbage-collector work under concurrency).
    def _execute(self, op: Op[Any], *, raw: bool = False) -> Awaitable[Any]:
        return self._drive(self._flow(op, raw=raw))

    def _drive(self, flow: Flow[T]) -> Awaitable[T]:
        """Run `flow` on this client's pool (see `run_async`)."""
        return run_async(flow, self._http, self._sender)

    def _wrap(self, op: DualOp[Any, Any], value: Any) -> Any:
        return op.factory.async_(self, op, value)

    async def close(self) -> None:
        """Close the connection pool (unless it was supplied by the caller or shared)."""
        if self._owns_http:
            await self._http.aclose()

    @property
    def is_closed(self) -> bool:
        """Whether the underlying connection pool is closed."""
        return self._http.is_closed
