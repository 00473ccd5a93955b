"""Server-sent events: the WHATWG event-stream parser, sans I/O."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from itertools import accumulate, repeat
from types import MethodType
from typing import Any, NoReturn

from typing_extensions import Self

from ._errors import IncompleteStreamError
from ._text import TextDecoder

__all__ = ["SSEDecoder", "ServerSentEvent"]

_Fields = tuple[str, str, str | None, int | None]


class ServerSentEvent(tuple[str, str, str | None, int | None]):
    """One dispatched server-sent event: an immutable record, compared and hashed by value.

    It is built on a tuple because the decoder creates one per event and a tuple is created
    several times faster than a frozen dataclass; read it through the attributes (unpacking
    and indexing work but are not part of the interface).

    Attributes:
        event: The event type (``"message"`` when the frame set none or an empty one).
        data: The ``data`` lines of the frame joined with LF.
        id: The last event ID seen on the stream so far (it persists across events), or
            ``None`` if the stream never set one. An ``id`` field with an empty value resets it
            to ``""``.
        retry: The reconnection time in milliseconds set by this frame, if it had a valid
            ``retry`` field.
    """

    __slots__ = ()
    __match_args__ = ("event", "data", "id", "retry")

    def __new__(
        cls,
        event: str = "message",
        data: str = "",
        id: str | None = None,
        retry: int | None = None,
    ) -> Self:
        return tuple.__new__(cls, (event, data, id, retry))

    @property
    def event(self) -> str:
        """The event type (``"message"`` when the frame set none or an empty one)."""
        return self[0]

    @property
    def data(self) -> str:
        """The ``data`` lines of the frame joined with LF."""
        return self[1]

    @property
    def id(self) -> str | None:
        """The last event ID seen on the stream so far, or ``None`` if it never set one."""
        return self[2]

    @property
    def retry(self) -> int | None:
        """The reconnection time in milliseconds set by this frame, if it set a valid one."""
        return self[3]

    def json(self) -> Any:
        """Return ``data`` decoded as JSON (raises ``json.JSONDecodeError`` if it is not)."""
        return json.loads(self[1])

    def __repr__(self) -> str:
        event, data, id_, retry = self
        return f"{type(self).__name__}(event={event!r}, data={data!r}, id={id_!r}, retry={retry!r})"

    # Equal only to another event, never to a bare tuple, like the dataclass it replaces;
    # anything else gets its say (``NotImplemented``), e.g. ``unittest.mock.ANY``.
    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple.__eq__(self, other)
        if isinstance(other, tuple):
            return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        # tuple's own != would compare contents with any tuple.
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __getnewargs__(self) -> _Fields:
        # Pickle and copy rebuild through __new__, which takes the fields, not one tuple.
        return (self[0], self[1], self[2], self[3])

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


# The decoder builds events from 4-tuples without the keyword call of ServerSentEvent(...):
# ``map(_make_event, zip(...))`` creates them at C speed.
_make_event = MethodType(tuple.__new__, ServerSentEvent)
_MESSAGE = repeat("message")
_NO_RETRY = repeat(None)
_DATA_FRAME = "\n\ndata: "


def _data_events(values: list[str], last_id: str | None) -> Iterator[ServerSentEvent]:
    """``message`` events of the given data, all with the same last event ID."""
    return map(_make_event, zip(_MESSAGE, values, repeat(last_id), _NO_RETRY))


_Frame = tuple[list[str], str, str | None, int | None, list[str]]


def _read_frame(lines: list[str], last_id: str | None) -> _Frame:
    """Process the lines of one frame as WHATWG prescribes (empty lines must only be blank
    lines at its edges, which change nothing).

    Returns:
        The data values, the event type, the last event ID buffer (``last_id`` unless an
        ``id`` field replaced it), the ``retry`` value if valid, and the raw lines of known
        fields (kept only to report them if the stream is cut).
    """
    data: list[str] = []
    event = ""
    retry: int | None = None
    fields: list[str] = []
    for line in lines:
        if not line or line[0] == ":":
            continue
        name, _, value = line.partition(":")
        if value[:1] == " ":
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id":
            # WHATWG: an id containing NUL is ignored, so it cannot poison Last-Event-ID.
            if "\0" not in value:
                last_id = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                retry = int(value)
        else:
            continue
        fields.append(line)
    return data, event, last_id, retry, fields


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

    # How it is fast: each chunk is decoded and its line endings normalised to LF once; the
    # text is cut into whole frames with one ``split("\n\n")``; a frame that is a single
    # ``data:`` line (nearly every frame of a token stream) becomes an event without being
    # split into lines; any other frame goes through the line-by-line algorithm of ``_Frame``.

    __slots__ = ("_last_event_id", "_pending", "_retry", "_text")

    def __init__(self) -> None:
        self._text = TextDecoder()
        # Normalised text after the last frame boundary: the unfinished frame.
        self._pending: list[str] = []
        self._last_event_id: str | None = None
        self._retry: int | None = None

    @property
    def last_event_id(self) -> str | None:
        """The last event ID as of the last blank line (the value to send as ``Last-Event-ID``).

        An ``id`` field of a frame that has not been terminated yet does not count, so after a
        cut the client resumes from the last complete frame.
        """
        return self._last_event_id

    @property
    def retry(self) -> int | None:
        """The latest reconnection time in milliseconds announced by the server, if any.

        As WHATWG prescribes, a ``retry`` line counts as soon as it is complete, even while
        the rest of its frame is still to come.
        """
        text = "".join(self._pending)
        if "\n" in text:
            retry = _read_frame(text.split("\n")[:-1], None)[3]
            if retry is not None:
                return retry
        return self._retry

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk`` and return the events it completes (possibly none)."""
        text = self._text.decode(chunk)
        pending = self._pending
        # An LF pair ends a blank line: all text before the last pair is whole frames.
        end = text.rfind("\n\n")
        if pending:
            if end < 0 and not (text[:1] == "\n" and pending[-1][-1] == "\n"):
                if text:
                    pending.append(text)
                return []
            head = "".join(pending)
            pending.clear()
            end = end + len(head) if end >= 0 else len(head) - 1
            text = head + text
        elif end < 0:
            if text:
                pending.append(text)
            return []
        if end + 2 < len(text):
            pending.append(text[end + 2 :])
        return self._dispatch(text, end)

    def close(self) -> list[ServerSentEvent]:
        """End the stream.

        Returns:
            Always ``[]``: every complete event was already returned by :meth:`feed`.

        Raises:
            IncompleteStreamError: if field lines were received since the last blank line or
                the stream ended with an unterminated line.
        """
        self._pending.append(self._text.decode(b"", final=True))
        lines = "".join(self._pending).split("\n")
        unterminated = lines.pop()
        retry, fields = _read_frame(lines, None)[3:]
        if retry is not None:
            self._retry = retry
        self._text = TextDecoder()
        self._pending = []
        partial = [*fields, unterminated] if unterminated else fields
        if partial:
            raise IncompleteStreamError(
                "event stream ended in the middle of an event", "\n".join(partial)
            )
        return []

    def _dispatch(self, text: str, end: int) -> list[ServerSentEvent]:
        """The events of the whole frames in ``text[:end]``."""
        events: list[ServerSentEvent] = []
        last_id = self._last_event_id
        # Cutting at every frame that starts with a data line leaves, for a single-line
        # ``data: `` frame, exactly its data; any piece with an LF left in it holds more
        # lines or more frames and is read frame by frame.
        pieces = text.split(_DATA_FRAME)
        # The cut is made on all of ``text`` to spare copying ``text[:end]``: drop what
        # follows ``end`` from the last piece, or the whole piece if a cut fell right there.
        if text.startswith("data: ", end + 2):
            pieces.pop()
        else:
            last = pieces[-1]
            pieces[-1] = last[: len(last) - len(text) + end]
        head = pieces[0]
        if head[:6] == "data: ":
            pieces[0] = head[6:]
        else:
            last_id = self._frames(head.split("\n\n"), last_id, events)
            del pieces[0]
        joined = "".join(pieces)
        newline = joined.find("\n")
        if newline >= 0:
            # Pieces with an LF are rare: find them through their offsets in ``joined``.
            ends = list(accumulate(map(len, pieces)))
            done = 0
            while newline >= 0:
                i = bisect_right(ends, newline)
                piece = pieces[i]
                # Mostly a lone data line, its blank line, then a frame with other fields.
                value, blank, rest = piece.partition("\n\n")
                if blank and "\n" not in value:
                    pieces[i] = value
                    events += _data_events(pieces[done : i + 1], last_id)
                    last_id = self._frames(rest.split("\n\n"), last_id, events)
                else:
                    events += _data_events(pieces[done:i], last_id)
                    last_id = self._frames(("data: " + piece).split("\n\n"), last_id, events)
                done = i + 1
                newline = joined.find("\n", ends[i])
            del pieces[:done]
        events += _data_events(pieces, last_id)
        self._last_event_id = last_id
        return events

    def _frames(
        self, frames: list[str], last_id: str | None, events: list[ServerSentEvent]
    ) -> str | None:
        """Append the events of ``frames`` to ``events``; return the last event ID after them.

        WHATWG commits the last event ID buffer at every blank line, even one that ends a
        frame without data, so each frame starts with the buffer equal to the committed ID.
        """
        append = events.append
        for frame in frames:
            # The shapes real servers send, a data line alone or after one ``event`` or
            # ``id`` line, are matched directly; anything else is read line by line.
            first, newline, rest = frame.partition("\n")
            if not newline:
                if first[:6] == "data: ":
                    append(_make_event(("message", first[6:], last_id, None)))
                    continue
                if first[:1] == ":":
                    continue
            elif rest[:6] == "data: " and "\n" not in rest:
                if first[:7] == "event: " and len(first) > 7:
                    append(_make_event((first[7:], rest[6:], last_id, None)))
                    continue
                if first[:4] == "id: " and "\0" not in first:
                    last_id = first[4:]
                    append(_make_event(("message", rest[6:], last_id, None)))
                    continue
            if frame:
                values, event, last_id, retry, _ = _read_frame(frame.split("\n"), last_id)
                if retry is not None:
                    self._retry = retry
                if values:
                    item = (event or "message", "\n".join(values), last_id, retry)
                    append(_make_event(item))
        return last_id
