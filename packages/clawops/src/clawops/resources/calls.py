"""`client.calls`: place, list, fetch and end calls."""

from __future__ import annotations

from typing_extensions import Unpack

from sdkcore import (
    DualOp,
    Op,
    PageFactory,
    Raw,
    RequestOptions,
    as_model,
    dual,
    endpoint,
    path_segment,
    require_text,
)
from sdkcore import strip_not_given as _omit_none

from ..pagination import PAGINATION, AsyncPage, SyncPage
from ..pagination import meta as page_meta
from ..types.call import Call, CallControlResponse, CallStatus
from ._base import AccountResource, M

__all__ = ["Calls"]

_CALL_STATUSES = frozenset({"queued", "ringing", "in-progress", "completed", "failed"})
_MAX_PAGE_SIZE = 100

_CALL_PAGES: PageFactory[SyncPage[Call], AsyncPage[Call]] = PageFactory(
    PAGINATION, Call, SyncPage[Call], AsyncPage[Call], meta=page_meta
)


class Calls(AccountResource[M]):
    """Calls of one account."""

    @property
    def with_raw_response(self) -> Calls[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Calls[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self,
        *,
        to: str,
        from_: str,
        url: str,
        status_callback: str | None = None,
        status_callback_event: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[Call]:
        """Place an outbound call.

        Args:
            to: Destination: a phone number (e.g. "01012345678") or a `sip:` URI.
            from_: Caller number; must be registered on the account.
            url: Where the API fetches call instructions once the call is answered.
            status_callback: URL that receives signed status events.
            status_callback_event: Space-separated events to send (default, server side:
                "initiated ringing answered completed").

        A create is never retried after the request may have reached the server, so a lost
        response cannot place a second call; it is retried only when the connection could not
        be opened or the API answered 408/429.
        """
        body = _omit_none(
            {
                "To": require_text(to, argument="to"),
                "From": require_text(from_, argument="from_"),
                "Url": require_text(url, argument="url"),
                "StatusCallback": status_callback,
                "StatusCallbackEvent": status_callback_event,
            }
        )
        return Op("POST", self._path("/calls"), as_model(Call), body=body, options=options)

    @dual
    def list(
        self,
        *,
        status: CallStatus | str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[Call], AsyncPage[Call]]:
        """List calls, newest first, one page at a time.

        Args:
            status: Only calls in this status.
            page: 0-based page number (server default 0).
            page_size: Items per page, 1 to 100 (server default 20).

        Returns a page; `auto_paging_iter()` walks every following page lazily.
        """
        if status is not None and status not in _CALL_STATUSES:
            raise ValueError(f"status must be one of {sorted(_CALL_STATUSES)}, got {status!r}")
        if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 0):
            raise ValueError(f"page must be an int >= 0, got {page!r}")
        if page_size is not None and (
            isinstance(page_size, bool)
            or not isinstance(page_size, int)
            or not 1 <= page_size <= _MAX_PAGE_SIZE
        ):
            raise ValueError(f"page_size must be an int from 1 to 100, got {page_size!r}")
        query = {"status": status, "page": page, "pageSize": page_size}
        return DualOp(
            "GET",
            self._path("/calls"),
            _CALL_PAGES.cast,
            query=query,
            options=options,
            factory=_CALL_PAGES,
        )

    @endpoint
    def get(self, call_id: str, **options: Unpack[RequestOptions]) -> Op[Call]:
        """Fetch one call by id."""
        return Op("GET", self._call_path(call_id), as_model(Call), options=options)

    @endpoint
    def update(
        self,
        call_id: str,
        *,
        status: str = "completed",
        **options: Unpack[RequestOptions],
    ) -> Op[CallControlResponse]:
        """Control a live call. The API supports `status="completed"`, which hangs up.

        Hanging up twice has the same effect as once, so this POST is retried like a GET.
        """
        if status != "completed":
            raise ValueError(
                f"status must be 'completed' (the only supported value), got {status!r}"
            )
        return Op(
            "POST",
            self._call_path(call_id),
            as_model(CallControlResponse),
            body={"Status": status},
            options=options,
            safe=True,
        )

    def _call_path(self, call_id: str) -> str:
        return self._path("/calls/", path_segment(call_id, argument="call_id"))
