"""`client.sip_endpoints`: the account's SIP endpoints (PBX trunks), read only."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_list, as_model, endpoint, path_segment

from ..types.sip import SipEndpoint, SipStatus
from ._base import AccountResource, M, check_choice, page_query
from .sip_credentials import SIP_STATUSES

__all__ = ["SipEndpoints"]


class SipEndpoints(AccountResource[M]):
    """SIP endpoints of one account, to look up the id a SIP route needs
    (`numbers.update(..., routing_type="sip", sip_endpoint_id=...)`)."""

    @property
    def with_raw_response(self) -> SipEndpoints[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: SipEndpoints[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def list(
        self,
        *,
        status: SipStatus | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[builtins.list[SipEndpoint]]:
        """One page of the account's endpoints, oldest first.

        Args:
            status: "active" or "disabled" only.
            page: 0-based page number (server default 0).
            page_size: Items per page, 1 to 100 (server default 20).
        """
        check_choice(status, SIP_STATUSES, argument="status")
        return Op(
            "GET",
            self._path("/sip-endpoints"),
            as_list(SipEndpoint, key="data"),
            query=page_query(page, page_size, status=status),
            options=options,
        )

    @endpoint
    def get(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> Op[SipEndpoint]:
        """One endpoint."""
        path = self._path("/sip-endpoints/", path_segment(endpoint_id, argument="endpoint_id"))
        return Op("GET", path, as_model(SipEndpoint), options=options)
