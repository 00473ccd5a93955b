"""A stand-in for your application's webhook endpoint, for tests and demos."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response

from sdkcore import Closeable
from sdkcore.emulator import serve

__all__ = ["WebhookDelivery", "WebhookSink"]


@dataclass(frozen=True)
class WebhookDelivery:
    """One webhook as received: its URL, form parameters and `X-Signature` header."""

    url: str
    params: dict[str, str]
    signature: str | None


class WebhookSink(Closeable):
    """Serves `POST {url}` on 127.0.0.1 and records every webhook posted to it.

    ``with WebhookSink() as sink:`` gives `sink.url` to use as a `status_callback`;
    `sink.wait(n)` blocks until n deliveries arrived and returns them.
    """

    def __init__(self, path: str = "/webhook") -> None:
        self.path = path
        self.deliveries: list[WebhookDelivery] = []
        self._arrived = threading.Condition()
        self._stack = contextlib.ExitStack()
        self._url: str | None = None
        self.app = FastAPI()
        self.app.add_api_route(path, self._receive, methods=["POST"])

    async def _receive(self, request: Request) -> Response:
        # Parsed here rather than with request.form(): Starlette's form parser needs
        # python-multipart, which the emulator does not depend on.
        body = (await request.body()).decode()
        delivery = WebhookDelivery(
            url=self.url,
            params=dict(parse_qsl(body, keep_blank_values=True)),
            signature=request.headers.get("x-signature"),
        )
        with self._arrived:
            self.deliveries.append(delivery)
            self._arrived.notify_all()
        return Response(status_code=204)

    @property
    def url(self) -> str:
        """The full URL to configure as a webhook (only while running)."""
        if self._url is None:
            raise RuntimeError("the sink is not running; use it in a with block")
        return self._url

    def wait(self, count: int = 1, *, timeout: float = 10.0) -> list[WebhookDelivery]:
        """Block until at least `count` webhooks arrived; TimeoutError after `timeout` s."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.deliveries) >= count, timeout):
                raise TimeoutError(f"{len(self.deliveries)} of {count} webhooks in {timeout} s")
            return list(self.deliveries)

    def __enter__(self) -> WebhookSink:
        handle = self._stack.enter_context(serve(self.app))
        self._url = handle.url + self.path
        return self

    def close(self) -> None:
        """Stop serving."""
        self._url = None
        self._stack.close()
