"""`ClaudeClient` and `AsyncClaudeClient`: the blocking and the async face of the operations in
`_methods` (each written once as an sdkcore `Op`), and their configuration."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Mapping
from typing import Generic, TypeVar

import httpx
from typing_extensions import Unpack

import sdkcore
from sdkcore import (
    Async,
    AsyncAPIClient,
    BaseClient,
    NotGiven,
    Sync,
    SyncAPIClient,
    TimeoutTypes,
    require_text,
)

from ._arguments import CallOptions
from ._exceptions import APIConnectionError, ClaudeAPIError
from ._methods import Methods
from ._profile import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    MODELS,
    PROFILE,
    PROJECT_HEADER,
)
from ._stream_events import chunk_of, stream_ended

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MODELS",
    "PROJECT_HEADER",
    "AsyncClaudeClient",
    "CallOptions",
    "ClaudeClient",
]

M = TypeVar("M", bound=sdkcore.Mode)
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


class _ClaudeBase(BaseClient, Methods[M], Generic[M, H]):
    """Configuration both faces share."""

    api_key: str
    project_id: str | None

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        api_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = sdkcore.NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        project_id: str | None = None,
        *,
        default_headers: Mapping[str, str] | None = None,
        http_client: H | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        """Create a client.

        Args:
            base_url: Service root; default `CLAUDE_API_URL`, else http://localhost:8006.
            api_key: `cc_...` key; default `CLAUDE_API_KEY`.
            timeout: Seconds (or `httpx.Timeout`) per request; default `CLAUDE_TIMEOUT`, else 300.
            max_retries: Retries of connection errors, 429 and 5xx (default 2, 0 disables).
            project_id: Project billed by default (the key's own when None).
            default_headers: Headers sent with every request.
            http_client: Your own `httpx.Client` / `httpx.AsyncClient`.
            allow_insecure_http: Accept a plain `http://` base_url to a host that is not
                loopback (a self-hosted service on a network you trust, e.g.
                `http://claude-api:8006` in docker compose); without it such a URL is refused
                so the key never travels in clear text.

        Raises:
            ClaudeAPIError: no api_key and no `CLAUDE_API_KEY`.
            ValueError, TypeError: an option is invalid (nothing is sent).
        """
        self.api_key = sdkcore.require_setting(
            api_key, argument="api_key", env_var="CLAUDE_API_KEY", error=ClaudeAPIError
        )
        self.project_id = (
            None if project_id is None else require_text(project_id, argument="project_id")
        )
        if isinstance(timeout, NotGiven):
            env_timeout = sdkcore.env_or(None, "CLAUDE_TIMEOUT")
            if env_timeout is not None:
                try:
                    timeout = float(env_timeout)
                except ValueError:
                    raise ValueError(
                        f"CLAUDE_TIMEOUT must be a number of seconds, got {env_timeout!r}"
                    ) from None
        headers = dict(default_headers or {})
        if self.project_id is not None:
            headers[PROJECT_HEADER] = self.project_id
        super().__init__(
            profile=PROFILE,
            base_url=sdkcore.base_url_or_env(base_url, "CLAUDE_API_URL", DEFAULT_BASE_URL),
            auth_headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=timeout,
            max_retries=max_retries,
            default_headers=headers,
            secrets=(self.api_key,),
            http_client=http_client,
            allow_insecure_http=allow_insecure_http,
        )
        self._raw = False

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base!r}, project_id={self.project_id!r}, "
            f"api_key={sdkcore.REDACTED!r})"
        )


class ClaudeClient(_ClaudeBase[Sync, httpx.Client], SyncAPIClient):
    """Blocking client of the Claude Code API service. Thread-safe; reuse one instance."""

    def stream(
        self,
        prompt: str,
        model: str = "auto",
        timeout: float | None = None,
        project_id: str | None = None,
        **options: Unpack[CallOptions],
    ) -> Generator[str, None, None]:
        """Text chunks of the answer as the service produces them (Server-Sent Events).

        A stream that breaks, or ends without the service's `done` event, raises
        `APIConnectionError`; an error event raises the matching exception.
        """
        events = self._stream_events(prompt, model, timeout, project_id, options)
        with events:
            for event in events:
                chunk = chunk_of(event, events.response)
                if chunk is None:
                    return
                if chunk:
                    yield chunk
        raise stream_ended(events.response, APIConnectionError)


class AsyncClaudeClient(_ClaudeBase[Async, httpx.AsyncClient], AsyncAPIClient):
    """Async client of the Claude Code API service; safe to share between tasks."""

    async def stream(
        self,
        prompt: str,
        model: str = "auto",
        timeout: float | None = None,
        project_id: str | None = None,
        **options: Unpack[CallOptions],
    ) -> AsyncGenerator[str, None]:
        """Text chunks of the answer as the service produces them; `async for` directly
        (no await). Breaks and error events raise, as in `ClaudeClient.stream`."""
        events = await self._stream_events(prompt, model, timeout, project_id, options)
        async with events:
            async for event in events:
                chunk = chunk_of(event, events.response)
                if chunk is None:
                    return
                if chunk:
                    yield chunk
        raise stream_ended(events.response, APIConnectionError)
