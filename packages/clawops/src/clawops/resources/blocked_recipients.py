"""`client.blocked_recipients`: the do-not-contact list (calls, messages, email)."""

from __future__ import annotations

from typing_extensions import Unpack

from sdkcore import (
    MISSING,
    DualOp,
    Op,
    Raw,
    RequestOptions,
    as_model,
    dual,
    endpoint,
    path_segment,
    require_text,
)
from sdkcore import strip_not_given as _omit_none

from ..pagination import AsyncPage, SyncPage, pages_of
from ..types.blocked_recipient import (
    BlockedChannel,
    BlockedRecipient,
    BlockedRecipientSource,
    BlockedRecipientStatus,
)
from ._base import AccountResource, M, check_choice, page_query

__all__ = ["BlockedRecipients"]

_CHANNELS = frozenset({"call", "message", "email"})
_SOURCES = frozenset({"api", "console", "import", "agent"})
_STATUSES = frozenset({"active", "released", "all"})
_MAX_NOTE = 500
_PAGES = pages_of(BlockedRecipient)


def _check_note(note: str | None) -> None:
    if note is not None and (not isinstance(note, str) or len(note) > _MAX_NOTE):
        raise ValueError(f"note must be a str of at most {_MAX_NOTE} characters")


class BlockedRecipients(AccountResource[M]):
    """Blocked recipients of one account: sends to them are refused (422 `recipient_blocked`).
    Each channel is blocked separately."""

    @property
    def with_raw_response(self) -> BlockedRecipients[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: BlockedRecipients[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self,
        *,
        recipient: str,
        channel: BlockedChannel,
        source: BlockedRecipientSource | None = None,
        source_ref: str | None = None,
        note: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Op[BlockedRecipient]:
        """Block a recipient on one channel; blocking one already blocked returns its entry.

        Args:
            recipient: A phone number ("call", "message") or an email address ("email").
            channel: "call", "message" (SMS/LMS/MMS and Kakao) or "email".
            source: Where the request came from: "api" (default), "console", "import", "agent".
            source_ref: Evidence: the call or message id.
            note: Free text, at most 500 characters.
        """
        require_text(recipient, argument="recipient")
        if channel not in _CHANNELS:
            raise ValueError(f"channel must be one of {sorted(_CHANNELS)}, got {channel!r}")
        check_choice(source, _SOURCES, argument="source")
        _check_note(note)
        body = _omit_none(
            {
                "recipient": recipient,
                "channel": channel,
                "source": source,
                "sourceRef": source_ref,
                "note": note,
            }
        )
        path = self._path("/blocked-recipients")
        return Op("POST", path, as_model(BlockedRecipient), body=body, options=options)

    @dual
    def list(
        self,
        *,
        channel: BlockedChannel | None = None,
        recipient: str | None = None,
        status: BlockedRecipientStatus | None = None,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[BlockedRecipient], AsyncPage[BlockedRecipient]]:
        """Blocked recipients, newest first; by default the active ones only.

        Args:
            channel: Only this channel.
            recipient: Only this recipient (hyphens and case do not matter).
            status: "active" (default), "released" or "all".
            page: 0-based page number.
            page_size: Items per page, 1 to 100.
        """
        check_choice(channel, _CHANNELS, argument="channel")
        check_choice(status, _STATUSES, argument="status")
        query = page_query(page, page_size, channel=channel, recipient=recipient, status=status)
        return self._page_op(self._path("/blocked-recipients"), _PAGES, query, options)

    @endpoint
    def retrieve(self, block_id: str, **options: Unpack[RequestOptions]) -> Op[BlockedRecipient]:
        """One entry, released ones included."""
        return Op("GET", self._item_path(block_id), as_model(BlockedRecipient), options=options)

    @endpoint
    def update(
        self, block_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Op[BlockedRecipient]:
        """Replace the entry's note (None clears it); recipient and channel never change."""
        _check_note(note)
        path = self._item_path(block_id)
        return Op("PATCH", path, as_model(BlockedRecipient), body={"note": note}, options=options)

    @endpoint
    def release(
        self, block_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Op[BlockedRecipient]:
        """Unblock: the entry stays as history (`active` False); releasing twice keeps the
        first release time."""
        _check_note(note)
        body = _omit_none({"note": note})
        return Op(
            "DELETE",
            self._item_path(block_id),
            as_model(BlockedRecipient),
            body=body if body else MISSING,
            options=options,
        )

    def _item_path(self, block_id: str) -> str:
        return self._path("/blocked-recipients/", path_segment(block_id, argument="block_id"))
