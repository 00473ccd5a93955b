"""Server-sent events: the WHATWG event-stream parser, sans I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ._errors import IncompleteStreamError
from ._lines import LineDecoder

__all__ = ["SSEDecoder", "ServerSentEvent"]


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched server-sent event.

    Attributes:
        event: The event type (``"message"`` when the frame set none or an empty one).
        data: The ``data`` lines of the frame joined with LF.
        id: The last event ID seen on the stream so far (it persists across events), or
            ``None`` if the stream never set one. An ``id`` field with an empty value resets it
            to ``""``.
        retry: The reconnection time in milliseconds set by this frame, if it had a valid
            ``retry`` field.
    """

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """Return ``data`` decoded as JSON (raises ``json.JSONDecodeError`` if it is not)."""
        return json.loads(self.data)


class SSEDecoder:
    """Incremental ``text/event-stream`` decoder following the WHATWG parsing algorithm.

    Feed raw bytes with :meth:`feed`; every event whose terminating blank line has arrived is
    returned at once. Call :meth:`close` when the byte stream ends.

    Deliberate deviation from WHATWG: where the standard discards an unfinished frame at end of
    stream, :meth:`close` raises :class:`IncompleteStreamError`, since a connection cut
    mid-frame must not pass for a clean end.

    The decoder may be reused for a reconnection after :meth:`close`: the frame state is reset
    while :attr:`last_event_id` and :attr:`retry` are kept.
    """

    def __init__(self) -> None:
        self._lines = LineDecoder()
        self._data: list[str] = []
        self._event = ""
        self._id_buffer: str | None = None
        self._last_event_id: str | None = None
        self._frame_retry: int | None = None
        self._retry: int | None = None
        # Raw field lines of the current frame, kept only to report them if the stream is cut.
        self._frame_lines: list[str] = []

    @property
    def last_event_id(self) -> str | None:
        """The last event ID as of the last blank line (the value to send as ``Last-Event-ID``).

        An ``id`` field of a frame that has not been terminated yet does not count, so after a
        cut the client resumes from the last complete frame.
        """
        return self._last_event_id

    @property
    def retry(self) -> int | None:
        """The latest reconnection time in milliseconds announced by the server, if any."""
        return self._retry

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk`` and return the events it completes (possibly none)."""
        events: list[ServerSentEvent] = []
        for line in self._lines.feed(chunk):
            if not line:
                event = self._dispatch()
                if event is not None:
                    events.append(event)
            elif line[0] != ":":
                self._process_field(line)
        return events

    def close(self) -> list[ServerSentEvent]:
        """End the stream.

        Returns:
            Always ``[]``: every complete event was already returned by :meth:`feed`.

        Raises:
            IncompleteStreamError: if field lines were received since the last blank line or
                the stream ended with an unterminated line.
        """
        partial = [*self._frame_lines, *self._lines.flush()]
        self._reset_frame()
        if partial:
            raise IncompleteStreamError(
                "event stream ended in the middle of an event", "\n".join(partial)
            )
        return []

    def _process_field(self, line: str) -> None:
        name, _, value = line.partition(":")
        if value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            # WHATWG: an id containing NUL is ignored, so it cannot poison Last-Event-ID.
            if "\0" not in value:
                self._id_buffer = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self._frame_retry = self._retry = int(value)
        else:
            return
        self._frame_lines.append(line)

    def _dispatch(self) -> ServerSentEvent | None:
        # WHATWG commits the id buffer at every blank line, even one that dispatches nothing.
        self._last_event_id = self._id_buffer
        data, event, retry = self._data, self._event, self._frame_retry
        self._reset_frame()
        if not data:
            return None
        return ServerSentEvent(
            event=event or "message", data="\n".join(data), id=self._last_event_id, retry=retry
        )

    def _reset_frame(self) -> None:
        self._data = []
        self._event = ""
        self._frame_retry = None
        self._frame_lines = []
        # An uncommitted id belongs to the unfinished frame and is dropped with it.
        self._id_buffer = self._last_event_id
