"""`client.numbers`: buy, list, configure and release phone numbers."""

from __future__ import annotations

import builtins
import re

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_list, as_model, as_none, endpoint, path_segment
from sdkcore import strip_not_given as _omit_none

from ..types.number import Number, NumberSource, WebhookMethod
from ._base import AccountResource, M

__all__ = ["Numbers"]

_SOURCES = frozenset({"pool", "sip"})
_METHODS = frozenset({"POST", "GET"})
_DIGITS = re.compile(r"[0-9]{3,20}")


class Numbers(AccountResource[M]):
    """Phone numbers of one account."""

    @property
    def with_raw_response(self) -> Numbers[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Numbers[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self,
        *,
        source: NumberSource | None = None,
        number: str | None = None,
        webhook_url: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[Number]:
        """Acquire a number: from the shared pool (default) or register your own SIP number.

        Args:
            source: "pool" (default) or "sip".
            number: The number to register; required for "sip" (3 to 20 digits).
            webhook_url: URL that receives incoming-call webhooks for this number.

        Never retried once the request may have reached the server: a lost response cannot
        buy a second number.
        """
        if source is not None and source not in _SOURCES:
            raise ValueError(f"source must be 'pool' or 'sip', got {source!r}")
        if source == "sip" and number is None:
            raise ValueError("number is required when source='sip'")
        if number is not None and not (isinstance(number, str) and _DIGITS.fullmatch(number)):
            raise ValueError(f"number must be a string of 3 to 20 digits, got {number!r}")
        body = _omit_none({"source": source, "number": number, "webhookUrl": webhook_url})
        return Op("POST", self._path("/numbers"), as_model(Number), body=body, options=options)

    @endpoint
    def list(self, **options: Unpack[RequestOptions]) -> Op[builtins.list[Number]]:
        """All numbers of the account."""
        return Op("GET", self._path("/numbers"), as_list(Number, key="numbers"), options=options)

    @endpoint
    def update(
        self,
        number: str,
        *,
        webhook_url: str | None = None,
        webhook_method: WebhookMethod | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[Number]:
        """Change where and how a number's webhooks are delivered (give at least one)."""
        if webhook_url is None and webhook_method is None:
            raise ValueError("give webhook_url or webhook_method (or both)")
        if webhook_method is not None and webhook_method not in _METHODS:
            raise ValueError(f"webhook_method must be 'POST' or 'GET', got {webhook_method!r}")
        body = _omit_none({"webhookUrl": webhook_url, "webhookMethod": webhook_method})
        return Op("PUT", self._number_path(number), as_model(Number), body=body, options=options)

    @endpoint
    def delete(self, number: str, **options: Unpack[RequestOptions]) -> Op[None]:
        """Release a number from the account."""
        return Op("DELETE", self._number_path(number), as_none, options=options)

    def _number_path(self, number: str) -> str:
        return self._path("/numbers/", path_segment(number, argument="number"))
