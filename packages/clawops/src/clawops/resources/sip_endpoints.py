"""`client.sip_endpoints`: the account's SIP endpoints (PBX trunks), read only."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_model, endpoint, path_segment

from ..types.sip import SipEndpoint, SipStatus
from ._base import AccountResource, M
from .sip_credentials import sip_list

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
        return sip_list(self._path("/sip-endpoints"), SipEndpoint, status, page, page_size, options)

    @endpoint
    def get(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> Op[SipEndpoint]:
        """One endpoint."""
        path = self._path("/sip-endpoints/", path_segment(endpoint_id, argument="endpoint_id"))
        return Op("GET", path, as_model(SipEndpoint), options=options)
