"""`client.bulk`: several actions in one request."""

from __future__ import annotations

import pydantic

from sdkcore import Op, Raw, as_model, endpoint

from ..models.bulk import BulkRequest, BulkResponse
from ._base import API, M, PrefactorResource

__all__ = ["Bulk"]


class Bulk(PrefactorResource[M]):
    """The bulk endpoint."""

    @property
    def with_raw_response(self) -> Bulk[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Bulk[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def execute(self, request: BulkRequest) -> Op[BulkResponse]:
        """Run the items in order, each in its own transaction, stopping at the first failure.

        Outputs are keyed by the items' idempotency keys; items after a failure are absent.
        Every item has a key, so sending the request again (a retry) applies nothing twice.
        """
        if not isinstance(request, BulkRequest):
            raise TypeError(f"request must be a BulkRequest, got {type(request).__name__}")
        try:
            # Re-checked here: the model can be changed after it was built.
            checked = BulkRequest.model_validate(request.model_dump(by_alias=True))
        except pydantic.ValidationError as exc:
            raise ValueError(f"request is invalid: {exc}") from None
        body = checked.model_dump(by_alias=True, mode="json")
        return self._write(f"{API}/bulk", as_model(BulkResponse), body)
