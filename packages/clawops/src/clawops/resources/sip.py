"""`client.sip.credentials`: credentials SIP phones register with."""

from __future__ import annotations

import builtins
from functools import cached_property

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_list, as_model, as_none, endpoint, path_segment
from sdkcore import strip_not_given as _omit_none

from ..types.sip import SipCredential
from ._base import AccountResource, M

__all__ = ["Credentials", "Sip"]


class Credentials(AccountResource[M]):
    """SIP credentials of one account (at most 10)."""

    @property
    def with_raw_response(self) -> Credentials[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Credentials[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self, *, display_name: str | None = None, **options: Unpack[RequestOptions]
    ) -> Op[SipCredential]:
        """Create a credential. Its `password` is returned by this call only: store it."""
        body = _omit_none({"displayName": display_name})
        return Op(
            "POST",
            self._path("/sip/credentials"),
            as_model(SipCredential),
            body=body,
            options=options,
        )

    @endpoint
    def list(self, **options: Unpack[RequestOptions]) -> Op[builtins.list[SipCredential]]:
        """All credentials of the account (without passwords)."""
        return Op(
            "GET",
            self._path("/sip/credentials"),
            as_list(SipCredential, key="credentials"),
            options=options,
        )

    @endpoint
    def get(self, credential_id: str, **options: Unpack[RequestOptions]) -> Op[SipCredential]:
        """Fetch one credential (without its password)."""
        return Op("GET", self._item_path(credential_id), as_model(SipCredential), options=options)

    @endpoint
    def delete(self, credential_id: str, **options: Unpack[RequestOptions]) -> Op[None]:
        """Delete a credential; phones using it can no longer register."""
        return Op("DELETE", self._item_path(credential_id), as_none, options=options)

    def _item_path(self, credential_id: str) -> str:
        return self._path(
            "/sip/credentials/", path_segment(credential_id, argument="credential_id")
        )


class Sip(AccountResource[M]):
    """SIP resources of one account."""

    @cached_property
    def credentials(self) -> Credentials[M]:
        """SIP credentials."""
        return Credentials(self._client, self._account_id)
