"""`ClawOps` and `AsyncClawOps`: configuration and resources written once for both faces."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

import sdkcore
from sdkcore import Async, AsyncAPIClient, BaseClient, NotGiven, Sync, SyncAPIClient, TimeoutTypes

from ._binary import BinaryCast
from ._exceptions import ERROR_MAP, ClawOpsError
from ._version import __version__

if TYPE_CHECKING:
    from .resources import (
        Account,
        AssignmentLinks,
        BlockedRecipients,
        Calls,
        Kakao,
        Messages,
        Numbers,
        Recordings,
        SenderNumbers,
        Sip,
        SipCredentials,
        SipEndpoints,
        WebhookLogs,
    )
    from .webhooks import Webhooks

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "AsyncClawOps", "ClawOps"]

DEFAULT_BASE_URL = "https://api.claw-ops.com"
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2

PROFILE = sdkcore.ClientProfile(
    name="clawops",
    version=__version__,
    error_map=ERROR_MAP,
    retry=sdkcore.RetryPolicy(
        max_retries=DEFAULT_MAX_RETRIES,
        initial_delay=0.5,
        max_delay=8.0,
        retry_statuses=frozenset({408, 409, 429}),
    ),
    default_timeout=DEFAULT_TIMEOUT,
    limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100),
    base_headers={"Content-Type": "application/json", "Accept": "application/json"},
)

M = TypeVar("M", bound=sdkcore.Mode)
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


class _ClawOpsBase(BaseClient, Generic[M, H]):
    """Everything both clients share; the faces only pick the mode and the httpx client type."""

    api_key: str
    account_id: str

    def __init__(
        self,
        *,
        api_key: str | None = None,
        account_id: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = sdkcore.NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: H | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        """Create a client.

        Args:
            api_key: API key (`sk_...`); defaults to the CLAWOPS_API_KEY environment variable.
            account_id: Default account (`AC...`); defaults to CLAWOPS_ACCOUNT_ID.
            base_url: API root; defaults to CLAWOPS_BASE_URL, else https://api.claw-ops.com.
            timeout: Seconds or `httpx.Timeout` (default 600 s, 5 s to connect).
            max_retries: Retries for failed requests (default 2; 0 disables).
            default_headers: Headers sent with every request.
            http_client: Your own `httpx.Client` (or `httpx.AsyncClient` for the async client)
                for proxies, custom certificates or transports.
            allow_insecure_http: Accept a plain `http://` base_url to a host that is not
                loopback (a self-hosted or tunnelled endpoint on a network you trust). Off by
                default: the API key would otherwise travel in clear text.

        Raises:
            ClawOpsError: api_key or account_id is missing.
            ValueError, TypeError: an option is invalid (nothing is sent), including an
                `http://` base_url to a non-loopback host without `allow_insecure_http`.
        """
        self.api_key = sdkcore.require_setting(
            api_key, argument="api_key", env_var="CLAWOPS_API_KEY", error=ClawOpsError
        )
        self.account_id = sdkcore.require_setting(
            account_id, argument="account_id", env_var="CLAWOPS_ACCOUNT_ID", error=ClawOpsError
        )
        super().__init__(
            profile=PROFILE,
            base_url=sdkcore.base_url_or_env(base_url, "CLAWOPS_BASE_URL", DEFAULT_BASE_URL),
            auth_headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            secrets=(self.api_key,),
            http_client=http_client,
            allow_insecure_http=allow_insecure_http,
        )

    @cached_property
    def _default_account(self) -> Account[M]:
        return self.accounts(self.account_id)

    @property
    def calls(self) -> Calls[M]:
        """Calls of the default account."""
        return self._default_account.calls

    @property
    def messages(self) -> Messages[M]:
        """Text, alimtalk and brand messages of the default account."""
        return self._default_account.messages

    @property
    def kakao(self) -> Kakao[M]:
        """Kakao channels, templates and brand images of the default account."""
        return self._default_account.kakao

    @property
    def sender_numbers(self) -> SenderNumbers[M]:
        """Sender numbers of the default account."""
        return self._default_account.sender_numbers

    @property
    def blocked_recipients(self) -> BlockedRecipients[M]:
        """Blocked recipients of the default account."""
        return self._default_account.blocked_recipients

    @property
    def numbers(self) -> Numbers[M]:
        """Phone numbers of the default account."""
        return self._default_account.numbers

    @property
    def sip(self) -> Sip[M]:
        """SIP resources of the default account."""
        return self._default_account.sip

    @property
    def sip_credentials(self) -> SipCredentials[M]:
        """SIP credentials of the default account, read only (the 0.70.0 name)."""
        return self._default_account.sip_credentials

    @property
    def sip_endpoints(self) -> SipEndpoints[M]:
        """SIP endpoints (PBX trunks) of the default account."""
        return self._default_account.sip_endpoints

    @property
    def assignment_links(self) -> AssignmentLinks[M]:
        """Assignment links of the default account."""
        return self._default_account.assignment_links

    @property
    def recordings(self) -> Recordings[M]:
        """Call recordings of the default account."""
        return self._default_account.recordings

    @property
    def webhook_logs(self) -> WebhookLogs[M]:
        """Webhook delivery logs of the default account."""
        return self._default_account.webhook_logs

    @cached_property
    def webhooks(self) -> Webhooks:
        """Webhook signature verification."""
        from .webhooks import Webhooks

        return Webhooks()

    def accounts(self, account_id: str) -> Account[M]:
        """The same resources bound to another account the key may access."""
        # Imported here, not at the top: resources load their models, which `import clawops`
        # leaves for first use.
        from .resources import Account

        return Account(self, account_id)

    def _result(self, op: sdkcore.Op[Any], response: httpx.Response) -> Any:
        # A download is not JSON: its cast gets the response, bytes and headers.
        if isinstance(op.cast, BinaryCast):
            return op.cast(response)
        return super()._result(op, response)

    def _copy_state(self) -> dict[str, Any]:
        state = super()._copy_state()
        state.pop("_default_account", None)
        return state

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base!r}, account_id={self.account_id!r}, "
            f"api_key={sdkcore.REDACTED!r})"
        )


class ClawOps(_ClawOpsBase[Sync, httpx.Client], SyncAPIClient):
    """Blocking client of the ClawOps Voice API. Thread-safe; use one per application."""


class AsyncClawOps(_ClawOpsBase[Async, httpx.AsyncClient], AsyncAPIClient):
    """Async client of the ClawOps Voice API (asyncio or trio). Safe to share between tasks."""
