"""`client.sender_numbers`: the numbers an account may send text messages from."""

from __future__ import annotations

from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_model, as_none, endpoint, path_segment, require_text

from ..types.sender_number import SenderNumber, SenderNumberList
from ._base import AccountResource, M

__all__ = ["SenderNumbers"]


class SenderNumbers(AccountResource[M]):
    """Sender numbers of one account: text messages go out only from an approved one
    (otherwise the API answers 400 `from_not_registered`)."""

    @property
    def with_raw_response(self) -> SenderNumbers[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: SenderNumbers[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def list(self, **options: Unpack[RequestOptions]) -> Op[SenderNumberList]:
        """Registered sender numbers, numbers in a grace period, and the line limit."""
        path = self._path("/sender-numbers")
        return Op("GET", path, as_model(SenderNumberList), options=options)

    @endpoint
    def create(self, *, number: str, **options: Unpack[RequestOptions]) -> Op[SenderNumber]:
        """Register a number the account holds (070 or representative); approved at once.

        Args:
            number: The number; hyphens and "+82" are accepted.

        Raises:
            NotFoundError: not a number of this account (`sender_number_not_account_number`).
            ConflictError: already registered (`sender_number_already_registered`).
            UnprocessableEntityError: the line limit is reached (`sender_number_limit_reached`).
        """
        body = {"number": require_text(number, argument="number")}
        path = self._path("/sender-numbers")
        return Op("POST", path, as_model(SenderNumber), body=body, options=options)

    @endpoint
    def delete(self, sender_number_id: str, **options: Unpack[RequestOptions]) -> Op[None]:
        """Remove a sender number: it can no longer send (the number itself is kept)."""
        segment = path_segment(sender_number_id, argument="sender_number_id")
        return Op("DELETE", self._path("/sender-numbers/", segment), as_none, options=options)
