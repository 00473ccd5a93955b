"""`client.sip_endpoints`: the account's SIP endpoints (PBX trunks), read only."""

from __future__ import annotations

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, endpoint

from ..types.sip import SipEndpoint
from ._base import M
from .sip_credentials import SipListing

__all__ = ["SipEndpoints"]


class SipEndpoints(SipListing[M, SipEndpoint]):
    """SIP endpoints of one account, to look up the id a SIP route needs
    (`numbers.update(..., routing_type="sip", sip_endpoint_id=...)`)."""

    _collection = "/sip-endpoints"
    _model = SipEndpoint

    @endpoint
    def get(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> Op[SipEndpoint]:
        """One endpoint, by id."""
        return self._get(endpoint_id, "endpoint_id", options)

    @property
    def with_raw_response(self) -> SipEndpoints[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: SipEndpoints[Raw[M]] = self._raw_copy()
        return raw
