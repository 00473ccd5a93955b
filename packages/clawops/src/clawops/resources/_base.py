"""Base of the account-scoped resources."""

from __future__ import annotations

from typing import TypeVar

import sdkcore
from sdkcore import Mode, Resource

__all__ = ["AccountResource", "M"]

M = TypeVar("M", bound=Mode)


class AccountResource(Resource[M]):
    """A resource bound to one account; every path lives under `/v1/accounts/{account_id}`."""

    def __init__(self, client: sdkcore.BaseClient, account_id: str) -> None:
        super().__init__(client)
        self._account_id = account_id
        self._prefix = "/v1/accounts/" + sdkcore.path_segment(account_id, argument="account_id")

    def _path(self, *parts: str) -> str:
        return self._prefix + "".join(parts)
