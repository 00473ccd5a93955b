"""Server-sent events: the WHATWG event-stream parser, sans I/O."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from itertools import repeat
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

# A frame in the shape servers send, with the blank line before it: an optional ``id`` line
# and an optional non-empty ``event`` line, in that order, then a ``data`` line. A comment-only
# frame in front of it (a keep-alive: it changes nothing) is skipped with it; one at most, as
# a run of them, tried again from each of its blank lines, would make the scan quadratic.
# ``split`` on it yields columns: the text before the first such frame, then per frame its id
# (or ``None``), its event type (or ``None``) and the text after its ``data: ``. A bare data
# frame, the commonest, is tried first: it then costs no group bookkeeping.
_FRAME = re.compile(
    r"\n\n(?:data: |(?::[^\n]*\n\n)?(?:id: ([^\n\0]*)\n)?(?:event: ([^\n]+)\n)?data: )"
)
# The separator of frames that are a bare data line: ``str.split`` on it is the fastest cut.
_DATA_FRAME = "\n\ndata: "
# The separator of frames that start with an ``event`` line (Anthropic's shape: each is that
# line and a data line), and the data line after it.
_TYPED_FRAME = "\n\nevent: "
_DATA_LINE = "\ndata: "
# The decoder keeps the blank line that ends a frame in front of the next one, so that every
# frame, the first of the stream too, follows one.
_BOUNDARY = "\n\n"
# The lines of a frame of ``_FRAME``'s shape before its data value: its id and event type.
_HEAD = re.compile(r"\n\n(?::[^\n]*\n\n)?(?:id: ([^\n\0]*)\n)?(?:event: ([^\n]+)\n)?data: ")


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

    # How it is fast: each chunk is decoded and its line endings normalised to LF once, and
    # its whole frames are cut by one C-speed split: ``str.split`` on the data-frame
    # separator, whose parts are bare data values but for the few that run on into frames of
    # another shape (an ``id`` or ``event`` line first: each read by one ``_HEAD`` match);
    # ``str.split`` on the typed-frame separator when every frame is an event line and a data
    # line; else the ``_FRAME`` regex, whose groups give each frame's id and event type.
    # Events are built from the columns with ``map``, with no Python step per bare or typed
    # frame; only frames of other shapes (comments inside, ``retry``, several lines of data,
    # no space after the colon...) are read line by line.

    __slots__ = ("_last_event_id", "_pending", "_retry", "_text")

    def __init__(self) -> None:
        self._text = TextDecoder()
        # Normalised text from the blank line that ended the last frame: the unfinished frame.
        self._pending = [_BOUNDARY]
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
        retry = _read_frame("".join(self._pending).split("\n")[:-1], None)[3]
        return self._retry if retry is None else retry

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk`` and return the events it completes (possibly none)."""
        text = self._text.decode(chunk)
        pending = self._pending
        # An LF pair ends a blank line: all text before the last pair is whole frames.
        end = text.rfind(_BOUNDARY)
        if end < 0 and not (text[:1] == "\n" and pending[-1][-1] == "\n"):
            if text:
                pending.append(text)
            return []
        head = pending[0] if len(pending) == 1 else "".join(pending)
        end = end + len(head) if end >= 0 else len(head) - 1
        text = head + text
        self._pending = [text[end:]]
        return self._dispatch(text[:end])

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
        self._pending = [_BOUNDARY]
        partial = [*fields, unterminated] if unterminated else fields
        if partial:
            raise IncompleteStreamError(
                "event stream ended in the middle of an event", "\n".join(partial)
            )
        return []

    def _dispatch(self, text: str) -> list[ServerSentEvent]:
        """The events of the whole frames in ``text`` (which starts with a blank line)."""
        events: list[ServerSentEvent] = []
        if text.startswith(_TYPED_FRAME) and self._typed(text, events):
            return events
        data = text.split(_DATA_FRAME)
        if len(data) == 1:
            self._last_event_id = self._columns(data[0], self._last_event_id, events)
            return events
        last_id = self._last_event_id
        head = data[0]
        if head:
            last_id = self._head(head, 0, last_id, events)
        del data[0]
        if "\n" in "".join(data):
            # Some parts hold, after their value, the frames of other shapes up to the next
            # bare data frame: the runs between them are still bare frames.
            start = 0
            for index, value in enumerate(data):
                if "\n" in value:
                    events += map(
                        _make_event, zip(_MESSAGE, data[start:index], repeat(last_id), _NO_RETRY)
                    )
                    last_id = self._tail(value, last_id, events)
                    start = index + 1
            del data[:start]
        events += map(_make_event, zip(_MESSAGE, data, repeat(last_id), _NO_RETRY))
        self._last_event_id = last_id
        return events

    def _typed(self, text: str, events: list[ServerSentEvent]) -> bool:
        """Append the events of ``text`` if each of its frames is an ``event`` line and one
        ``data`` line (and return ``True``); else append nothing."""
        parts = text.split(_TYPED_FRAME)
        del parts[0]
        types, lines, data = zip(*map(str.partition, parts, repeat(_DATA_LINE)), strict=True)
        if lines.count(_DATA_LINE) != len(parts) or "\n" in "".join(types) + "".join(data):
            return False
        if "" in types:
            types = tuple(t or "message" for t in types)
        events += map(_make_event, zip(types, data, repeat(self._last_event_id), _NO_RETRY))
        return True

    def _head(
        self, text: str, start: int, last_id: str | None, events: list[ServerSentEvent]
    ) -> str | None:
        """Append the events of ``text[start:]``, whole frames after a blank line, most often
        one frame of ``_HEAD``'s shape; return the last event ID."""
        match = _HEAD.match(text, start)
        if match is not None:
            value = text[match.end() :]
            if "\n" not in value:
                id_, type_ = match.groups()
                if id_ is not None:
                    last_id = id_
                events.append(_make_event((type_ or "message", value, last_id, None)))
                return last_id
        return self._columns(text[start:], last_id, events)

    def _tail(self, part: str, last_id: str | None, events: list[ServerSentEvent]) -> str | None:
        """Append the events of ``"data: " + part``: a bare data frame and the frames that
        follow it; return the last event ID."""
        end = part.find(_BOUNDARY)
        if end < 0 or "\n" in part[:end]:
            return self._columns(_DATA_FRAME + part, last_id, events)
        events.append(_make_event(("message", part[:end], last_id, None)))
        return self._head(part, end, last_id, events)

    def _columns(self, text: str, last_id: str | None, events: list[ServerSentEvent]) -> str | None:
        """Append the events of ``text``, whole frames after a blank line, cut into columns by
        ``_FRAME``; return the last event ID."""
        parts = _FRAME.split(text)
        if parts[0]:
            last_id = self._frames(parts[0], last_id, events)
        ids, types, data = parts[1::3], parts[2::3], parts[3::3]
        if "\n" in "".join(data):
            return self._uneven(ids, types, data, last_id, events)
        count = len(data)
        id_column: Iterator[str | None] | list[str | None] = repeat(last_id)
        if ids.count(None) < count:
            # WHATWG: the last event ID persists until a frame sets another.
            id_column = []
            for value in ids:
                if value is not None:
                    last_id = value
                id_column.append(last_id)
        type_column: Iterator[str] | list[str] = types
        untyped = types.count(None)
        if untyped:
            type_column = _MESSAGE if untyped == count else [t or "message" for t in types]
        events += map(_make_event, zip(type_column, data, id_column, _NO_RETRY, strict=False))
        return last_id

    def _uneven(
        self,
        ids: list[str | None],
        types: list[str | None],
        data: list[str],
        last_id: str | None,
        events: list[ServerSentEvent],
    ) -> str | None:
        """Append the events of ``_FRAME`` columns some of whose frames go on past their
        first data line or are followed by frames of another shape; return the last event ID."""
        for value, type_, id_ in zip(data, types, ids, strict=True):
            if "\n" in value:
                # Put the frame back together and read it, and what follows, line by line.
                frame = "data: " + value
                if type_ is not None:
                    frame = f"event: {type_}\n{frame}"
                if id_ is not None:
                    frame = f"id: {id_}\n{frame}"
                last_id = self._frames(frame, last_id, events)
                continue
            if id_ is not None:
                last_id = id_
            events.append(_make_event((type_ or "message", value, last_id, None)))
        return last_id

    def _frames(self, text: str, last_id: str | None, events: list[ServerSentEvent]) -> str | None:
        """Append the events of the frames in ``text`` to ``events``, reading them line by
        line; return the last event ID after them.

        WHATWG commits the last event ID buffer at every blank line, even one that ends a
        frame without data, so each frame starts with the buffer equal to the committed ID.
        """
        for frame in text.split(_BOUNDARY):
            if frame:
                values, event, last_id, retry, _ = _read_frame(frame.split("\n"), last_id)
                if retry is not None:
                    self._retry = retry
                if values:
                    item = (event or "message", "\n".join(values), last_id, retry)
                    events.append(_make_event(item))
        return last_id
