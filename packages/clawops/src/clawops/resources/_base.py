"""Base of the account-scoped resources."""

from __future__ import annotations

from typing import Any, TypeVar

import sdkcore
from sdkcore import Mode, Resource

__all__ = ["AccountResource", "M", "require_str"]

M = TypeVar("M", bound=Mode)


class AccountResource(Resource[M]):
    """A resource bound to one account; every path lives under `/v1/accounts/{account_id}`."""

    def __init__(self, client: sdkcore.BaseClient, account_id: str) -> None:
        super().__init__(client)
        self._account_id = account_id
        self._prefix = "/v1/accounts/" + sdkcore.path_segment(account_id, argument="account_id")

    def _path(self, *parts: str) -> str:
        return self._prefix + "".join(parts)


def require_str(value: Any, argument: str) -> str:
    """A non-blank string argument, or a TypeError/ValueError naming it."""
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{argument} must be a non-empty string")
    return value
