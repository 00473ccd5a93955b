"""Property tests: decoding is independent of how the byte stream is chunked, and matches the
stream the generator meant to write."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise, permutations
from typing import Any

import pytest
import sdkcore_whatwg_sse as whatwg
from hypothesis import given, settings
from hypothesis import strategies as st

from sdkcore._streaming import (
    IncompleteStreamError,
    LineDecoder,
    NDJSONDecodeError,
    NDJSONDecoder,
    ServerSentEvent,
    SSEDecoder,
    aiter_sse,
    iter_decoded,
)

SETTINGS = settings(max_examples=200, deadline=None)
# Secondary invariants (fuzz, truncation, mode comparison) get a smaller budget to keep the
# file fast; the main "decodes as intended under any chunking" properties keep the full one.
LIGHT = settings(max_examples=100, deadline=None)

EOLS = ("\n", "\r\n", "\r")
BOM = "\ufeff"

# Any text a single line may hold: everything but CR/LF (surrogates cannot be UTF-8 encoded).
line_text = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=12)


def render(lines: Sequence[str], endings: Sequence[str]) -> list[str]:
    """Terminate each line with its ending, never letting a CR and the next line's LF fuse."""
    out: list[str] = []
    previous = ""
    for line, eol in zip(lines, endings, strict=True):
        # "a\r" + "" + "\n" reads as one CRLF, not as a line and an empty line: the format
        # cannot express it, so a writer must pick another ending for the empty line.
        if previous == "\r" and not line and eol == "\n":
            eol = "\r"
        out.append(line + eol)
        previous = eol
    return out


# Strategies are built once here: constructing them inside draws dominated the run time.
eol_style = st.sampled_from([*EOLS, "mixed"])
eol = st.sampled_from(EOLS)
small_index = st.integers(0, 63)


def draw_endings(draw: st.DrawFn, count: int) -> list[str]:
    style = draw(eol_style)
    return [draw(eol) if style == "mixed" else style for _ in range(count)]


@st.composite
def chunkings(draw: st.DrawFn, raw: bytes) -> list[bytes]:
    """Split ``raw`` at arbitrary points; repeated points give empty chunks."""
    cuts = draw(st.lists(st.integers(0, len(raw)), max_size=16))
    bounds = [0, *sorted(cuts), len(raw)]
    return [raw[a:b] for a, b in pairwise(bounds)]


def bytewise(raw: bytes) -> list[bytes]:
    return [raw[i : i + 1] for i in range(len(raw))]


def decode(make: Callable[[], Any], chunks: Iterable[bytes]) -> list[Any]:
    return list(iter_decoded(chunks, make()))


def outcome(make: Callable[[], Any], chunks: Iterable[bytes]) -> tuple[str, Any]:
    """Decoded items, or the kind and payload of the error, for whole-vs-chunked comparison."""
    try:
        return ("ok", decode(make, chunks))
    except IncompleteStreamError as exc:
        return ("incomplete", exc.partial)
    except NDJSONDecodeError as exc:
        return ("invalid", exc.line)


# ---------------------------------------------------------------------------------------------
# lines


@st.composite
def line_streams(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    lines = draw(st.lists(line_text, max_size=10))
    tail = draw(line_text)
    first = lines[0] if lines else tail
    # A stream whose first character is U+FEFF reads it as a BOM, so such a stream needs a
    # real BOM in front for that character to survive as content.
    bom = draw(st.booleans()) or first.startswith(BOM)
    text = (BOM if bom else "") + "".join(render(lines, draw_endings(draw, len(lines)))) + tail
    return text.encode(), [*lines, tail] if tail else lines


@SETTINGS
@given(stream=line_streams(), data=st.data())
def test_lines_any_chunking(stream: tuple[bytes, list[str]], data: st.DataObject) -> None:
    raw, expected = stream
    assert decode(LineDecoder, [raw]) == expected
    assert decode(LineDecoder, data.draw(chunkings(raw))) == expected
    assert decode(LineDecoder, bytewise(raw)) == expected


@LIGHT
@given(raw=st.binary(max_size=64), data=st.data())
def test_lines_arbitrary_bytes_chunking_invariant(raw: bytes, data: st.DataObject) -> None:
    # Includes invalid and truncated UTF-8 sequences cut at every possible place.
    whole = decode(LineDecoder, [raw])
    assert decode(LineDecoder, data.draw(chunkings(raw))) == whole
    assert decode(LineDecoder, bytewise(raw)) == whole


# ---------------------------------------------------------------------------------------------
# server-sent events

optional_text = st.none() | line_text
optional_id = st.none() | line_text | st.builds(lambda a, b: f"{a}\0{b}", line_text, line_text)
optional_retry = st.none() | st.integers(0, 10**7).map(str) | line_text
comments = st.lists(line_text.map(lambda text: ":" + text), max_size=2)
unknown_fields = st.lists(
    st.tuples(st.sampled_from(["foo", "Data", "ID", "retry_", "\ufeffdata"]), line_text),
    max_size=2,
)
data_values = st.lists(line_text, max_size=4)


def draw_field(draw: st.DrawFn, name: str, value: str) -> str:
    """Write a field in one of the equivalent spellings valid for ``value``."""
    forms = [f"{name}: {value}"]
    if not value.startswith(" "):
        forms.append(f"{name}:{value}")
    if not value:
        forms.append(name)
    return forms[draw(small_index) % len(forms)]


@dataclass
class SSEStream:
    raw: bytes
    events: list[ServerSentEvent]
    last_event_id: str | None
    retry: int | None
    # Byte offsets where the stream may be cut between lines, mapped to (a known field is
    # pending in an unfinished frame, number of events dispatched so far).
    boundaries: dict[int, tuple[bool, int]]


@st.composite
def sse_streams(draw: st.DrawFn) -> SSEStream:
    lines: list[str] = []
    pending_after: list[bool] = []  # per line: is a known field pending once it is read
    dispatched_after: list[int] = []  # per line: events dispatched once it is read
    events: list[ServerSentEvent] = []
    last_id: str | None = None
    latest_retry: int | None = None
    for _ in range(draw(small_index) % 6):
        data = draw(data_values)
        fields = [draw_field(draw, "data", value) for value in data]
        event = draw(optional_text)
        if event is not None:
            fields.append(draw_field(draw, "event", event))
        frame_id = draw(optional_id)
        if frame_id is not None:
            fields.append(draw_field(draw, "id", frame_id))
            if "\0" not in frame_id:
                last_id = frame_id
        retry_value = draw(optional_retry)
        retry: int | None = None
        if retry_value is not None:
            fields.append(draw_field(draw, "retry", retry_value))
            if re.fullmatch(r"[0-9]+", retry_value):
                retry = latest_retry = int(retry_value)
        # Data lines keep their order; every other line may sit anywhere between them.
        frame: list[tuple[str, bool]] = [(line, True) for line in fields[: len(data)]]
        ignored = draw(comments) + [draw_field(draw, *f) for f in draw(unknown_fields)]
        for line, known in [
            *((f, True) for f in fields[len(data) :]),
            *((i, False) for i in ignored),
        ]:
            frame.insert(draw(small_index) % (len(frame) + 1), (line, known))
        pending = False
        for line, known in frame:
            pending = pending or known
            lines.append(line)
            pending_after.append(pending)
            dispatched_after.append(len(events))
        if data:
            events.append(
                ServerSentEvent(
                    event=event or "message", data="\n".join(data), id=last_id, retry=retry
                )
            )
        lines.append("")
        pending_after.append(False)
        dispatched_after.append(len(events))
    for comment in draw(comments):
        lines.append(comment)
        pending_after.append(False)
        dispatched_after.append(len(events))
    segments = render(lines, draw_endings(draw, len(lines)))
    # See line_streams: a leading U+FEFF of content (an unknown field name here) needs a BOM.
    bom = draw(st.booleans()) or "".join(segments).startswith(BOM)
    offset = len(BOM.encode()) if bom else 0
    boundaries = {0: (False, 0), offset: (False, 0)}
    for segment, pending, dispatched in zip(segments, pending_after, dispatched_after, strict=True):
        offset += len(segment.encode())
        boundaries[offset] = (pending, dispatched)
        if segment.endswith("\r\n"):
            # Cut between CR and LF: the CR already ended the line.
            boundaries[offset - 1] = (pending, dispatched)
    raw = ((BOM if bom else "") + "".join(segments)).encode()
    return SSEStream(raw, events, last_id, latest_retry, boundaries)


@SETTINGS
@given(stream=sse_streams(), data=st.data())
def test_sse_any_chunking_matches_intent(stream: SSEStream, data: st.DataObject) -> None:
    for chunks in ([stream.raw], data.draw(chunkings(stream.raw)), bytewise(stream.raw)):
        decoder = SSEDecoder()
        assert list(iter_decoded(chunks, decoder)) == stream.events
        assert decoder.last_event_id == stream.last_event_id
        assert decoder.retry == stream.retry


@SETTINGS
@given(stream=sse_streams(), cut=st.integers(min_value=0), data=st.data())
def test_sse_truncated_stream_never_passes_silently(
    stream: SSEStream, cut: int, data: st.DataObject
) -> None:
    cut %= len(stream.raw) + 1
    raw = stream.raw[:cut]
    whole = outcome(SSEDecoder, [raw])
    assert outcome(SSEDecoder, data.draw(chunkings(raw))) == whole
    pending, dispatched = stream.boundaries.get(cut, (True, -1))
    if pending:
        # Cut inside a line, or after field lines of a frame that never got its blank line.
        assert whole[0] == "incomplete"
    else:
        assert whole == ("ok", stream.events[:dispatched])


# Fragments of field syntax, line breaks and (partial, invalid) UTF-8 to fuzz the parser with.
sse_tokens = st.sampled_from(
    [
        *b"data id event retry x 1 : \xef\xbb\xbf \xe2\x82\xac \xe2 \xff".split(),
        b" ",
        b"\r",
        b"\n",
        b"\0",
    ]
)


@LIGHT
@given(tokens=st.lists(sse_tokens, max_size=40), data=st.data())
def test_sse_noise_chunking_invariant(tokens: list[bytes], data: st.DataObject) -> None:
    raw = b"".join(tokens)
    whole = outcome(SSEDecoder, [raw])
    assert outcome(SSEDecoder, data.draw(chunkings(raw))) == whole
    assert outcome(SSEDecoder, bytewise(raw)) == whole


@settings(max_examples=50, deadline=None)
@given(stream=sse_streams(), data=st.data())
def test_async_sse_matches_sync(stream: SSEStream, data: st.DataObject) -> None:
    chunks = data.draw(chunkings(stream.raw))

    async def source() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def collect() -> list[ServerSentEvent]:
        return [event async for event in aiter_sse(source())]

    assert asyncio.run(collect()) == stream.events


# ---------------------------------------------------------------------------------------------
# server-sent events: the fast decoder against a plain reading of the WHATWG algorithm

# Pieces that make the decoder's fast paths and their edges likely: whole field lines, whole
# and partial field names, the data-frame separator, every line ending, NUL, BOMs, multi-byte
# and invalid UTF-8.
sse_pieces = st.sampled_from(
    [
        b"data: x\n",
        b"data: y\n\n",
        b"id: 1\n",
        b"id: 2\x003\n",
        b"event: e\n",
        b"event: \n",
        b"retry: 5\n",
        b": ping\n",
        b"data: ",
        b"data:",
        b"data",
        b"\n\ndata: ",
        b"id: ",
        b"id:",
        b"event: ",
        b"event:",
        b"retry: ",
        b": ",
        b":",
        b" ",
        b"\n",
        b"\r",
        b"\r\n",
        b"\n\n",
        b"\0",
        b"\xef\xbb\xbf",
        b"7",
        b"42",
        b"x",
        b'{"a": 1}',
        "é€😀".encode(),
        b"\xe2\x82",
        b"\xff",
    ]
)
sse_bytes = st.lists(sse_pieces | st.binary(max_size=3), max_size=40).map(b"".join)


# Frames of a few whole lines, to build the shapes the fast paths take (a lone data line, one
# id or event line before it, comments) and every near miss of them.
field_line = st.sampled_from(
    [
        "id: 1",
        "id: 2\x003",
        "id: ",
        "id",
        "event: e",
        "event: ",
        "event:e",
        "retry: 5",
        "retry: x",
        ": ping",
        ":",
        "foo: bar",
    ]
)
data_line = st.sampled_from(
    ["data: x", "data: ", "data:y", "data:", "data", "data:  spaced", "data: é😀"]
) | line_text.map(lambda value: "data: " + value)
sse_line = field_line | data_line | line_text
sse_frame = st.one_of(
    st.builds(lambda fields, data: [*fields, data], st.lists(field_line, max_size=2), data_line),
    st.lists(sse_line, min_size=1, max_size=3),
)


blank_lines = st.sampled_from([1, 1, 1, 0, 2])


@st.composite
def sse_line_streams(draw: st.DrawFn) -> bytes:
    lines: list[str] = []
    for frame in draw(st.lists(sse_frame, max_size=8)):
        # Mostly one blank line after a frame; sometimes none (frames merge) or two.
        lines += frame + [""] * draw(blank_lines)
    text = "".join(render(lines, draw_endings(draw, len(lines))))
    if draw(st.booleans()):
        text += draw(sse_line)
    return ((BOM if draw(st.booleans()) else "") + text).encode()


def check_against_reference(raw: bytes, chunks: list[bytes]) -> None:
    """After every chunk the decoder has returned exactly the events, and holds exactly the
    last event ID and retry, that the reference reads from the bytes so far; at the end it
    reports the same unfinished frame."""
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    fed = b""
    for chunk in chunks:
        events += decoder.feed(chunk)
        fed += chunk
        expected = whatwg.parse(fed)
        assert events == expected.events
        assert decoder.last_event_id == expected.last_event_id
        assert decoder.retry == expected.retry
    expected = whatwg.parse(raw)
    if expected.partial:
        with pytest.raises(IncompleteStreamError) as info:
            decoder.close()
        assert info.value.partial == expected.partial
    else:
        assert decoder.close() == []
    assert decoder.last_event_id == expected.last_event_id
    assert decoder.retry == expected.retry


@SETTINGS
@given(raw=sse_bytes, data=st.data())
def test_sse_matches_reference_on_any_bytes_and_chunking(raw: bytes, data: st.DataObject) -> None:
    check_against_reference(raw, [raw])
    check_against_reference(raw, data.draw(chunkings(raw)))
    check_against_reference(raw, bytewise(raw))


@LIGHT
@given(raw=st.binary(max_size=64), data=st.data())
def test_sse_matches_reference_on_random_bytes(raw: bytes, data: st.DataObject) -> None:
    check_against_reference(raw, data.draw(chunkings(raw)))


@SETTINGS
@given(raw=sse_line_streams(), data=st.data())
def test_sse_line_streams_match_reference(raw: bytes, data: st.DataObject) -> None:
    check_against_reference(raw, data.draw(chunkings(raw)))
    check_against_reference(raw, bytewise(raw))


@LIGHT
@given(stream=sse_streams(), data=st.data())
def test_sse_well_formed_streams_match_reference(stream: SSEStream, data: st.DataObject) -> None:
    check_against_reference(stream.raw, data.draw(chunkings(stream.raw)))


# ---------------------------------------------------------------------------------------------
# server-sent events: the column splitter, which reads frames of an optional ``id`` line, an
# optional ``event`` line and one ``data`` line (in that order, with the space after the colon,
# maybe after a comment-only frame) without a Python step per frame, and hands every other
# arrangement of the same fields to the line-by-line reading

column_values = ["", "1", "x y", " lead", "a:b", "\0", "é😀", '{"k": 1}']
column_value = st.sampled_from(column_values) | line_text
column_field = st.tuples(st.sampled_from(["id", "event", "data"]), column_value, st.booleans())


@st.composite
def column_frames(draw: st.DrawFn) -> list[str]:
    """The lines of one frame: mostly the shape the columns take, else ``id``, ``event`` and
    ``data`` fields in any order and number, each with or without the space after the colon;
    sometimes a comment-only frame before."""
    if draw(st.booleans()):
        names = [name for name in ("id", "event") if draw(st.booleans())] + ["data"]
        fields = [(name, draw(column_value), True) for name in names]
    else:
        fields = draw(st.lists(column_field, min_size=1, max_size=4))
    lines = [f"{name}: {value}" if spaced else f"{name}:{value}" for name, value, spaced in fields]
    if draw(st.booleans()):
        lines = [": keep-alive", "", *lines]
    return lines


@st.composite
def column_streams(draw: st.DrawFn) -> bytes:
    lines: list[str] = []
    # Bare data frames first, sometimes: the decoder starts with a cheaper cut that only
    # knows them, and must switch without losing or repeating anything.
    for value in draw(st.lists(column_value, max_size=3)):
        lines += [f"data: {value}", ""]
    for frame in draw(st.lists(column_frames(), max_size=6)):
        lines += frame + [""] * draw(blank_lines)
    return "".join(render(lines, draw_endings(draw, len(lines)))).encode()


@SETTINGS
@given(raw=column_streams(), data=st.data())
def test_sse_id_event_data_frames_in_any_order_match_reference(
    raw: bytes, data: st.DataObject
) -> None:
    check_against_reference(raw, [raw])
    check_against_reference(raw, data.draw(chunkings(raw)))
    check_against_reference(raw, bytewise(raw))


def column_frame_shapes() -> bytes:
    """Every order of every non-empty subset of the ``id``, ``event`` and ``data`` lines, all
    spaced or all not, each after a bare data frame."""
    frames = []
    for size in (1, 2, 3):
        for names in permutations(("id", "event", "data"), size):
            for colon in (": ", ":"):
                lines = [f"{name}{colon}{name[0]}{len(frames)}" for name in names]
                frames.append("data: plain\n\n" + "\n".join(lines) + "\n\n")
    return "".join(frames).encode()


@pytest.mark.parametrize("prefix", [b"", b": connected\n\nid: 0\nevent: e\ndata: first\n\n"])
def test_sse_id_event_data_frames_split_at_every_byte(prefix: bytes) -> None:
    # Each prefix starts the decoder on one of its two cuts (bare data frames, or columns).
    raw = prefix + column_frame_shapes()
    expected = whatwg.parse(raw)
    assert any(event.id and event.event != "message" for event in expected.events)
    for cut in range(len(raw) + 1):
        decoder = SSEDecoder()
        assert [*decoder.feed(raw[:cut]), *decoder.feed(raw[cut:])] == expected.events
        assert decoder.close() == []
        assert decoder.last_event_id == expected.last_event_id


# ---------------------------------------------------------------------------------------------
# NDJSON

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=5,
)
blank_line = st.text(st.sampled_from(" \t"), max_size=3)
GARBAGE = ("nope", "{", "[1,", "data: {}", "'single'", "NaN?", "}{")
garbage_line = st.sampled_from(GARBAGE)


@dataclass
class NDJSONStream:
    raw: bytes
    values: list[Any]  # None where a garbage line stands (lenient reading)
    garbage: int
    cut_garbage: bool  # the last line is garbage and has no terminator


@st.composite
def ndjson_streams(draw: st.DrawFn, *, garbage: bool) -> NDJSONStream:
    kinds = ["value", "blank", "garbage"] if garbage else ["value", "blank"]
    lines: list[str] = []
    values: list[Any] = []
    garbage_count = 0
    plan = draw(st.lists(st.sampled_from(kinds), max_size=8))
    for kind in plan:
        if kind == "value":
            value = draw(json_values)
            pad = draw(blank_line)
            lines.append(pad + json.dumps(value, ensure_ascii=draw(st.booleans())) + pad)
            values.append(value)
        elif kind == "blank":
            lines.append(draw(blank_line))
        else:
            lines.append(draw(garbage_line))
            values.append(None)
            garbage_count += 1
    text = "".join(render(lines, draw_endings(draw, len(lines))))
    unterminated = bool(lines and lines[-1].strip()) and draw(st.booleans())
    if unterminated:
        text = text.rstrip("\r\n")
    cut_garbage = unterminated and plan[-1] == "garbage"
    text = (BOM if draw(st.booleans()) else "") + text
    return NDJSONStream(text.encode(), values, garbage_count, cut_garbage)


@SETTINGS
@given(stream=ndjson_streams(garbage=False), data=st.data())
def test_ndjson_any_chunking_matches_intent(stream: NDJSONStream, data: st.DataObject) -> None:
    for chunks in ([stream.raw], data.draw(chunkings(stream.raw)), bytewise(stream.raw)):
        assert decode(NDJSONDecoder, chunks) == stream.values


def lenient_decoder() -> NDJSONDecoder:
    return NDJSONDecoder(lenient=True)


@LIGHT
@given(stream=ndjson_streams(garbage=True), data=st.data())
def test_ndjson_lenient_and_strict(stream: NDJSONStream, data: st.DataObject) -> None:
    lenient = outcome(lenient_decoder, [stream.raw])
    assert outcome(lenient_decoder, data.draw(chunkings(stream.raw))) == lenient
    strict = outcome(NDJSONDecoder, [stream.raw])
    assert outcome(NDJSONDecoder, data.draw(chunkings(stream.raw))) == strict
    if stream.cut_garbage:
        # An unterminated non-JSON last line reads as a cut stream, in both modes.
        assert lenient[0] == "incomplete"
    else:
        assert lenient == ("ok", stream.values)
    if stream.garbage == 0:
        assert strict == lenient
    elif stream.garbage == 1 and stream.cut_garbage:
        assert strict[0] == "incomplete"
    else:
        assert strict[0] == "invalid"
