"""A record of the requests an emulator received, exactly as they arrived."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._body_limit import install_body_limit
from ._layers import JOURNAL_RANK, add_outer_layer

__all__ = ["Journal", "RecordedRequest", "RequestJournal", "install_journal"]


@dataclass(frozen=True)
class RecordedRequest:
    """One received request.

    ``path`` is the raw request path (percent-encoding kept), ``query`` the raw query string
    and ``headers`` the header lines in wire order (names lowercased by the HTTP parser),
    so tests can check an SDK's requests byte for byte.
    """

    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """Return the first value of header ``name`` (case-insensitive), or None."""
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)

    def json(self) -> Any:
        """Return the body parsed as JSON."""
        return json.loads(self.body)


class Journal:
    """Thread-safe, bounded list of `RecordedRequest`, oldest first."""

    def __init__(self, maxlen: int = 1000) -> None:
        """Keep at most ``maxlen`` requests, forgetting the oldest."""
        self._entries: deque[RecordedRequest] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def record(self, request: RecordedRequest) -> None:
        """Append ``request``."""
        with self._lock:
            self._entries.append(request)

    @property
    def entries(self) -> list[RecordedRequest]:
        """A snapshot of the recorded requests, oldest first."""
        with self._lock:
            return list(self._entries)

    def last(self) -> RecordedRequest:
        """Return the most recent request; raise LookupError when none was recorded."""
        with self._lock:
            if not self._entries:
                raise LookupError("the journal is empty")
            return self._entries[-1]

    def clear(self) -> None:
        """Forget every recorded request."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        """Return the number of recorded requests."""
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[RecordedRequest]:
        """Iterate over a snapshot of the recorded requests."""
        return iter(self.entries)


class RequestJournal:
    """ASGI middleware appending every HTTP request to a `Journal`.

    The body is read before the app runs and the received messages are replayed to it, so
    the app sees the request unchanged. With ``max_body``, only that many bytes are read
    ahead and recorded; the rest of a larger body streams through unrecorded, so a large
    upload is never held in memory. When adding it yourself, pass the ``journal`` to read
    (``app.add_middleware(RequestJournal, journal=journal)``); `install_journal` does that,
    keeps it outside all other middleware and sets ``app.state.journal``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        maxlen: int = 1000,
        journal: Journal | None = None,
        max_body: int | None = None,
    ) -> None:
        """Wrap ``app``, recording into ``journal`` (a new one holding ``maxlen`` if None)
        at most ``max_body`` bytes of each body (None: all of it)."""
        self.app = app
        self.journal = journal if journal is not None else Journal(maxlen)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Record the request, then hand it to the wrapped app."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received: list[Message] = []
        size = 0
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
            size += len(message.get("body", b""))
            if self.max_body is not None and size >= self.max_body:
                break
        self.journal.record(
            RecordedRequest(
                method=scope["method"],
                path=(scope.get("raw_path") or scope["path"].encode()).decode("latin-1"),
                query=scope.get("query_string", b"").decode("latin-1"),
                headers=tuple(
                    (name.decode("latin-1"), value.decode("latin-1"))
                    for name, value in scope["headers"]
                ),
                body=b"".join(m.get("body", b"") for m in received if m["type"] == "http.request")[
                    : self.max_body
                ],
            )
        )
        pending = deque(received)

        async def replay() -> Message:
            return pending.popleft() if pending else await receive()

        await self.app(scope, replay, send)


def install_journal(app: Starlette, maxlen: int = 1000, max_body: int | None = None) -> Journal:
    """Record every request ``app`` receives; return the journal (also ``app.state.journal``).

    The journal wraps all other middleware, whenever they were added, so it records
    requests that the app's own middleware or an injected fault answer too. ``max_body``
    bounds the bytes of a body read ahead and recorded (see `RequestJournal`).
    It also installs the body limit (`install_body_limit`, 8 MiB by default) outside itself:
    an oversized body is refused with 413 and never recorded.
    """
    install_body_limit(app)
    journal = Journal(maxlen)
    add_outer_layer(
        app,
        JOURNAL_RANK,
        lambda inner: RequestJournal(inner, journal=journal, max_body=max_body),
    )
    app.state.journal = journal
    return journal
