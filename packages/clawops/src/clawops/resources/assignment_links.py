"""`client.assignment_links`: one-time links that give an end user a number of the account."""

from __future__ import annotations

from typing_extensions import Unpack

from sdkcore import (
    DualOp,
    Op,
    Raw,
    RequestOptions,
    as_model,
    as_none,
    dual,
    endpoint,
    path_segment,
)
from sdkcore import strip_not_given as _omit_none

from ..pagination import AsyncPage, SyncPage, pages_of
from ..types.assignment_link import AssignmentLink, AssignmentLinkCreated, LinkStatus
from ..types.number import WebhookMethod
from ._base import AccountResource, M, check_choice, page_query

__all__ = ["AssignmentLinks"]

_LINK_STATUSES = frozenset({"pending", "consumed", "expired", "revoked"})
_METHODS = frozenset({"POST", "GET"})
_NOTE_MAX = 200

_LINK_PAGES = pages_of(AssignmentLink)


class AssignmentLinks(AccountResource[M]):
    """Assignment links of one account: create one, hand its `url` to an end user, and the
    number they take is the account's, its calls going to the link's webhook."""

    @property
    def with_raw_response(self) -> AssignmentLinks[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: AssignmentLinks[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self,
        *,
        webhook_url: str | None = None,
        webhook_method: WebhookMethod | None = None,
        note: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[AssignmentLinkCreated]:
        """Create a pending link.

        Args:
            webhook_url: Where calls and messages to the assigned number are sent.
            webhook_method: "POST" (server default) or "GET".
            note: An internal note, at most 200 characters.

        Never retried once the request may have reached the server: a lost response cannot
        create a second link.
        """
        check_choice(webhook_method, _METHODS, argument="webhook_method")
        if note is not None and (not isinstance(note, str) or len(note) > _NOTE_MAX):
            raise ValueError(f"note must be a string of at most {_NOTE_MAX} characters")
        body = _omit_none(
            {"webhookUrl": webhook_url, "webhookMethod": webhook_method, "note": note}
        )
        return Op(
            "POST",
            self._path("/assignment-links"),
            as_model(AssignmentLinkCreated),
            body=body,
            options=options,
        )

    @dual
    def list(
        self,
        *,
        status: LinkStatus | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[AssignmentLink], AsyncPage[AssignmentLink]]:
        """List links, newest first, one page at a time (`auto_paging_iter()` for all).

        Args:
            status: "pending", "consumed", "expired" or "revoked" only.
            page: 0-based page number (server default 0).
            page_size: Items per page, 1 to 100 (server default 20).
        """
        check_choice(status, _LINK_STATUSES, argument="status")
        return self._page_op(
            self._path("/assignment-links"),
            _LINK_PAGES,
            page_query(page, page_size, status=status),
            options,
        )

    @endpoint
    def retrieve(self, link_id: str, **options: Unpack[RequestOptions]) -> Op[AssignmentLink]:
        """One link, with the number it assigned once consumed."""
        return Op("GET", self._item_path(link_id), as_model(AssignmentLink), options=options)

    @endpoint
    def revoke(self, link_id: str, **options: Unpack[RequestOptions]) -> Op[None]:
        """Revoke a pending link; `ConflictError` (code NOT_PENDING) if it is not pending."""
        return Op("DELETE", self._item_path(link_id), as_none, options=options)

    def _item_path(self, link_id: str) -> str:
        return self._path("/assignment-links/", path_segment(link_id, argument="link_id"))
