"""`client.sip_credentials`: the 0.70.0 wire's read-only view of SIP credentials."""

from __future__ import annotations

import builtins
from typing import TypeVar

import pydantic
from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_list, as_model, endpoint, path_segment

from ..types.sip import SipCredential, SipStatus
from ._base import AccountResource, M, check_choice, page_query

__all__ = ["SipCredentials", "sip_list"]

_SIP_STATUSES = frozenset({"active", "disabled"})

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


def sip_list(
    path: str,
    model: type[ModelT],
    status: SipStatus | None,
    page: int | None,
    page_size: int | None,
    options: RequestOptions,
) -> Op[builtins.list[ModelT]]:
    """The GET of one page of a SIP listing (credentials or endpoints), arguments checked."""
    check_choice(status, _SIP_STATUSES, argument="status")
    query = page_query(page, page_size, status=status)
    return Op("GET", path, as_list(model, key="data"), query=query, options=options)


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
        return sip_list(
            self._path("/sip-credentials"), SipCredential, status, page, page_size, options
        )

    @endpoint
    def get(self, credential_id: str, **options: Unpack[RequestOptions]) -> Op[SipCredential]:
        """One credential, without its password."""
        path = self._path(
            "/sip-credentials/", path_segment(credential_id, argument="credential_id")
        )
        return Op("GET", path, as_model(SipCredential), options=options)
