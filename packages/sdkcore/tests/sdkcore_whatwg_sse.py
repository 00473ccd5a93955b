"""A deliberately plain reading of the WHATWG event-stream algorithm, character by character,
to check the fast ``SSEDecoder`` against.

https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
plus the decoder's documented extras: an event carries the ``retry`` its frame set, and the end
of the stream reports the unfinished frame (its known-field lines and the unterminated line)
instead of silently dropping it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sdkcore._streaming import ServerSentEvent

DIGITS = "0123456789"


@dataclass
class Parsed:
    """What a whole byte stream decodes to."""

    events: list[ServerSentEvent] = field(default_factory=list)
    last_event_id: str | None = None
    retry: int | None = None
    # The text IncompleteStreamError must carry at the end ("" when the stream ended cleanly).
    partial: str = ""


def split_lines(text: str) -> tuple[list[str], str]:
    """Lines ended by CRLF, LF or CR, and the text after the last terminator."""
    lines: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "\r\n":
            lines.append("".join(current))
            current = []
            if char == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
        else:
            current.append(char)
        i += 1
    return lines, "".join(current)


def parse(raw: bytes) -> Parsed:
    """Decode a complete byte stream."""
    text = raw.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines, unterminated = split_lines(text)
    out = Parsed()
    data = ""
    event_type = ""
    id_buffer: str | None = None
    frame_retry: int | None = None
    frame_fields: list[str] = []
    for line in lines:
        if line == "":
            out.last_event_id = id_buffer
            if data:
                if data.endswith("\n"):
                    data = data[:-1]
                out.events.append(
                    ServerSentEvent(event_type or "message", data, out.last_event_id, frame_retry)
                )
            data, event_type, frame_retry, frame_fields = "", "", None, []
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            name, value = line, ""
        if name == "event":
            event_type = value
        elif name == "data":
            data += value + "\n"
        elif name == "id":
            if "\0" not in value:
                id_buffer = value
        elif name == "retry":
            if value and all(char in DIGITS for char in value):
                out.retry = frame_retry = int(value)
        else:
            continue
        frame_fields.append(line)
    out.partial = "\n".join([*frame_fields, unterminated] if unterminated else frame_fields)
    return out
