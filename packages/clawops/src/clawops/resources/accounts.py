"""Account scopes: the same resources bound to one account id."""

from __future__ import annotations

from functools import cached_property
from typing import Generic

import sdkcore

from ._base import M
from .assignment_links import AssignmentLinks
from .blocked_recipients import BlockedRecipients
from .calls import Calls
from .kakao import Kakao
from .messages import Messages
from .numbers import Numbers
from .recordings import Recordings
from .sender_numbers import SenderNumbers
from .sip import Sip
from .sip_credentials import SipCredentials
from .sip_endpoints import SipEndpoints
from .webhook_logs import WebhookLogs

__all__ = ["Account"]


class Account(Generic[M]):
    """Every resource of one account; `client.accounts("AC...")` makes one."""

    def __init__(self, client: sdkcore.BaseClient, account_id: str) -> None:
        sdkcore.path_segment(account_id, argument="account_id")
        self._client = client
        self.account_id = account_id

    @cached_property
    def calls(self) -> Calls[M]:
        """Calls of this account."""
        return Calls(self._client, self.account_id)

    @cached_property
    def messages(self) -> Messages[M]:
        """Text, alimtalk and brand messages of this account."""
        return Messages(self._client, self.account_id)

    @cached_property
    def kakao(self) -> Kakao[M]:
        """Kakao channels, templates and brand images of this account."""
        return Kakao(self._client, self.account_id)

    @cached_property
    def sender_numbers(self) -> SenderNumbers[M]:
        """Sender numbers of this account."""
        return SenderNumbers(self._client, self.account_id)

    @cached_property
    def blocked_recipients(self) -> BlockedRecipients[M]:
        """Blocked recipients of this account."""
        return BlockedRecipients(self._client, self.account_id)

    @cached_property
    def numbers(self) -> Numbers[M]:
        """Phone numbers of this account."""
        return Numbers(self._client, self.account_id)

    @cached_property
    def sip(self) -> Sip[M]:
        """SIP resources of this account."""
        return Sip(self._client, self.account_id)

    @cached_property
    def sip_credentials(self) -> SipCredentials[M]:
        """SIP credentials, read only (the 0.70.0 name; `sip.credentials` creates them)."""
        return SipCredentials(self._client, self.account_id)

    @cached_property
    def sip_endpoints(self) -> SipEndpoints[M]:
        """SIP endpoints (PBX trunks) of this account."""
        return SipEndpoints(self._client, self.account_id)

    @cached_property
    def assignment_links(self) -> AssignmentLinks[M]:
        """Assignment links of this account."""
        return AssignmentLinks(self._client, self.account_id)

    @cached_property
    def recordings(self) -> Recordings[M]:
        """Call recordings of this account."""
        return Recordings(self._client, self.account_id)

    @cached_property
    def webhook_logs(self) -> WebhookLogs[M]:
        """Webhook delivery logs of this account."""
        return WebhookLogs(self._client, self.account_id)

    def __repr__(self) -> str:
        return f"Account(account_id={self.account_id!r})"
