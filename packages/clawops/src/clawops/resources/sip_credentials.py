"""`client.sip_credentials`: the 0.70.0 wire's read-only view of SIP credentials."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_list, as_model, endpoint, path_segment

from ..types.sip import SipCredential, SipStatus
from ._base import AccountResource, M, check_choice, page_query

__all__ = ["SIP_STATUSES", "SipCredentials"]

SIP_STATUSES = frozenset({"active", "disabled"})


class SipCredentials(AccountResource[M]):
    """SIP credentials of one account, to look up the id a softphone route needs
    (`numbers.update(..., routing_type="softphone", sip_credential_id=...)`). Creating and
    deleting them is `client.sip.credentials`."""

    @property
    def with_raw_response(self) -> SipCredentials[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: SipCredentials[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def list(
        self,
        *,
        status: SipStatus | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[builtins.list[SipCredential]]:
        """One page of the account's credentials, oldest first, without passwords.

        Args:
            status: "active" or "disabled" only.
            page: 0-based page number (server default 0).
            page_size: Items per page, 1 to 100 (server default 20).
        """
        check_choice(status, SIP_STATUSES, argument="status")
        return Op(
            "GET",
            self._path("/sip-credentials"),
            as_list(SipCredential, key="data"),
            query=page_query(page, page_size, status=status),
            options=options,
        )

    @endpoint
    def get(self, credential_id: str, **options: Unpack[RequestOptions]) -> Op[SipCredential]:
        """One credential, without its password."""
        path = self._path(
            "/sip-credentials/", path_segment(credential_id, argument="credential_id")
        )
        return Op("GET", path, as_model(SipCredential), options=options)
