"""`client.sip_credentials`: the 0.70.0 wire's read-only view of SIP credentials."""

from __future__ import annotations

import builtins
from typing import ClassVar, Generic, TypeVar

import pydantic
from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_list, as_model, endpoint, path_segment

from ..types.sip import SipCredential, SipStatus
from ._base import AccountResource, M, check_choice, page_query

__all__ = ["SipCredentials", "SipListing"]

_SIP_STATUSES = frozenset({"active", "disabled"})

ItemT = TypeVar("ItemT", bound=pydantic.BaseModel)


class SipListing(AccountResource[M], Generic[M, ItemT]):
    """A read-only SIP collection of one account: `list`, and what each `get` sends."""

    _collection: ClassVar[str]
    _model: ClassVar[type[pydantic.BaseModel]]

    @endpoint
    def list(
        self,
        *,
        status: SipStatus | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[builtins.list[ItemT]]:
        """One page of the collection, oldest first.

        Args:
            status: "active" or "disabled" only.
            page: 0-based page number (server default 0).
            page_size: Items per page, 1 to 100 (server default 20).
        """
        check_choice(status, _SIP_STATUSES, argument="status")
        query = page_query(page, page_size, status=status)
        cast = as_list(self._model, key="data")
        return Op("GET", self._path(self._collection), cast, query=query, options=options)  # type: ignore[arg-type]

    def _get(self, item_id: str, argument: str, options: RequestOptions) -> Op[ItemT]:
        """What `get` sends: each subclass names the id argument as 0.70.0 does."""
        path = self._path(self._collection, "/", path_segment(item_id, argument=argument))
        return Op("GET", path, as_model(self._model), options=options)  # type: ignore[arg-type]


class SipCredentials(SipListing[M, SipCredential]):
    """SIP credentials of one account, without passwords, to look up the id a softphone route
    needs (`numbers.update(..., routing_type="softphone", sip_credential_id=...)`). Creating
    and deleting them is `client.sip.credentials`."""

    _collection = "/sip-credentials"
    _model = SipCredential

    @endpoint
    def get(self, credential_id: str, **options: Unpack[RequestOptions]) -> Op[SipCredential]:
        """One credential, by id (without its password)."""
        return self._get(credential_id, "credential_id", options)

    @property
    def with_raw_response(self) -> SipCredentials[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: SipCredentials[Raw[M]] = self._raw_copy()
        return raw
