"""`client.webhook_logs`: what was delivered to a webhook, and how it answered."""

from __future__ import annotations

from typing_extensions import Unpack

from sdkcore import DualOp, Raw, RequestOptions, dual, path_segment

from ..pagination import AsyncPage, SyncPage, pages_of
from ..types.webhook_log import WebhookLog
from ._base import AccountResource, M, page_query

__all__ = ["WebhookLogs"]

_LOG_PAGES = pages_of(WebhookLog)


class WebhookLogs(AccountResource[M]):
    """Delivery logs of one account's webhooks."""

    @property
    def with_raw_response(self) -> WebhookLogs[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: WebhookLogs[Raw[M]] = self._raw_copy()
        return raw

    @dual
    def list(
        self,
        webhook_id: str,
        *,
        page: int | None = None,
        page_size: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DualOp[SyncPage[WebhookLog], AsyncPage[WebhookLog]]:
        """A webhook's deliveries, newest first, one page at a time (`auto_paging_iter()`
        for all).

        Args:
            webhook_id: The webhook.
            page: 0-based page number (server default 0).
            page_size: Items per page, 1 to 100 (server default 20).
        """
        path = self._path("/webhooks/", path_segment(webhook_id, argument="webhook_id"), "/logs")
        return self._page_op(path, _LOG_PAGES, page_query(page, page_size), options)
