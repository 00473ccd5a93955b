"""Example-based tests for the sans-I/O streaming decoders in ``sdkcore._streaming``."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import inspect
import json
import pickle
from collections.abc import AsyncIterator, Iterator
from typing import Any
from unittest import mock

import pytest

import sdkcore._streaming as streaming
from sdkcore._streaming import (
    IncompleteStreamError,
    LineDecoder,
    NDJSONDecodeError,
    NDJSONDecoder,
    ServerSentEvent,
    SSEDecoder,
    aiter_decoded,
    aiter_lines,
    aiter_ndjson,
    aiter_sse,
    content_kind,
    iter_decoded,
    iter_lines,
    iter_ndjson,
    iter_sse,
)

# ---------------------------------------------------------------------------------------------
# helpers


def bytewise(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


def lines_of(*chunks: bytes) -> list[str]:
    decoder = LineDecoder()
    out = [line for chunk in chunks for line in decoder.feed(chunk)]
    return out + decoder.flush()


def sse(*chunks: bytes) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    out = [event for chunk in chunks for event in decoder.feed(chunk)]
    return out + decoder.close()


def sse_all_ways(data: bytes) -> list[ServerSentEvent]:
    """Decode whole and byte by byte, check both agree, return the events."""
    whole = sse(data)
    assert sse(*bytewise(data)) == whole
    return whole


def ndjson(*chunks: bytes, lenient: bool = False) -> list[Any]:
    decoder = NDJSONDecoder(lenient=lenient)
    out = [value for chunk in chunks for value in decoder.feed(chunk)]
    return out + decoder.close()


async def agen(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def ev(data: str, event: str = "message", id: str | None = None, retry: int | None = None) -> Any:
    return ServerSentEvent(event=event, data=data, id=id, retry=retry)


# ---------------------------------------------------------------------------------------------
# LineDecoder


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a\nb\n", ["a", "b"]),
        (b"a\r\nb\r\n", ["a", "b"]),
        (b"a\rb\r", ["a", "b"]),
        (b"a\nb\r\nc\rd", ["a", "b", "c", "d"]),
        (b"\n\n", ["", ""]),
        (b"\r\r", ["", ""]),
        (b"\r\n\r\n", ["", ""]),
        (b"\n\r", ["", ""]),
        (b"a\r\n\rb", ["a", "", "b"]),
        (b"", []),
        (b"no terminator", ["no terminator"]),
    ],
)
def test_line_endings(data: bytes, expected: list[str]) -> None:
    assert lines_of(data) == expected
    assert lines_of(*bytewise(data)) == expected


def test_cr_at_chunk_end_waits_for_lf_without_extra_empty_line() -> None:
    decoder = LineDecoder()
    assert decoder.feed(b"first\r") == ["first"]
    assert decoder.feed(b"") == []
    assert decoder.feed(b"\nsecond\r") == ["second"]
    assert decoder.feed(b"third\n") == ["third"]
    assert decoder.flush() == []


def test_cr_at_chunk_end_then_cr_is_an_empty_line() -> None:
    decoder = LineDecoder()
    assert decoder.feed(b"a\r") == ["a"]
    assert decoder.feed(b"\r") == [""]
    assert decoder.feed(b"\n") == []
    assert decoder.flush() == []


def test_cr_then_lf_split_by_incomplete_utf8() -> None:
    # The LF following a CR must still be swallowed when an empty decode sits in between.
    decoder = LineDecoder()
    assert decoder.feed(b"a\r") == ["a"]
    assert decoder.feed(b"\n\xc3") == []
    assert decoder.feed(b"\xa9\n") == ["é"]


def test_other_unicode_line_breaks_are_not_terminators() -> None:
    text = "a\x0bb\x0cc\x1cd\x85e\u2028f\u2029g"
    assert lines_of(text.encode() + b"\n") == [text]


@pytest.mark.parametrize("char", ["é", "€", "😀", "中"])
def test_multibyte_utf8_split_at_every_position(char: str) -> None:
    data = f"x{char}y\n{char}\n".encode()
    for cut in range(len(data) + 1):
        assert lines_of(data[:cut], data[cut:]) == [f"x{char}y", char]
    assert lines_of(*bytewise(data)) == [f"x{char}y", char]


def test_invalid_utf8_is_replaced() -> None:
    assert lines_of(b"a\xffb\n") == ["a\ufffdb"]


def test_incomplete_utf8_at_end_is_replaced_on_flush() -> None:
    decoder = LineDecoder()
    assert decoder.feed(b"ok\n\xe2\x82") == ["ok"]
    assert decoder.flush() == ["\ufffd"]


def test_bom_stripped_at_start_only() -> None:
    data = b"\xef\xbb\xbfa\n\xef\xbb\xbfb\n"
    assert lines_of(data) == ["a", "\ufeffb"]
    assert lines_of(*bytewise(data)) == ["a", "\ufeffb"]


def test_bom_alone_and_bom_only_once() -> None:
    assert lines_of(b"\xef\xbb\xbf") == []
    assert lines_of(b"\xef\xbb\xbf\xef\xbb\xbfx") == ["\ufeffx"]
    assert lines_of(b"", b"\xef\xbb", b"\xbfx\n") == ["x"]


def test_flush_returns_unterminated_line_and_resets() -> None:
    decoder = LineDecoder()
    assert decoder.feed(b"one\ntw") == ["one"]
    assert decoder.pending == "tw"
    assert decoder.feed(b"o") == []
    assert decoder.pending == "two"
    assert decoder.flush() == ["two"]
    assert decoder.pending == ""
    assert decoder.flush() == []
    # A fresh stream after flush: its BOM is stripped again.
    assert decoder.feed(b"\xef\xbb\xbfnew\n") == ["new"]


def test_close_is_flush() -> None:
    decoder = LineDecoder()
    decoder.feed(b"tail")
    assert decoder.close() == ["tail"]


def test_long_line_in_small_chunks_is_linear() -> None:
    # 2 MB in 1 KB chunks: a quadratic buffer would take minutes; this must simply finish.
    size, step = 2 * 1024 * 1024, 1024
    data = b"x" * size + b"\r\n"
    decoder = LineDecoder()
    out: list[str] = []
    for i in range(0, len(data), step):
        out.extend(decoder.feed(data[i : i + step]))
    assert decoder.flush() == []
    assert len(out) == 1
    assert len(out[0]) == size


# ---------------------------------------------------------------------------------------------
# ServerSentEvent


def test_server_sent_event_defaults_and_json() -> None:
    event = ServerSentEvent()
    assert (event.event, event.data, event.id, event.retry) == ("message", "", None, None)
    assert ServerSentEvent(data='{"a": [1, 2]}').json() == {"a": [1, 2]}
    with pytest.raises(json.JSONDecodeError):
        ServerSentEvent(data="[DONE]").json()
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.data = "x"  # type: ignore[misc]


def test_server_sent_event_is_a_value_record() -> None:
    event = ServerSentEvent(event="add", data="x", id="7", retry=5)
    assert repr(event) == "ServerSentEvent(event='add', data='x', id='7', retry=5)"
    assert event == ServerSentEvent("add", "x", "7", 5)
    assert event != ServerSentEvent("add", "x", "7")
    assert hash(event) == hash(ServerSentEvent("add", "x", "7", 5))
    # Equal only to events, although a tuple underneath.
    assert event != ("add", "x", "7", 5)
    assert event != ("add", "x", "7", 5)
    assert event == mock.ANY
    for copied in (
        pickle.loads(pickle.dumps(event)),
        pickle.loads(pickle.dumps(event, protocol=0)),
        copy.copy(event),
        copy.deepcopy(event),
    ):
        assert copied == event
        assert type(copied) is ServerSentEvent
    match event:
        case ServerSentEvent("add", data, id_):
            assert (data, id_) == ("x", "7")
        case _:
            pytest.fail("positional match failed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        del event.data
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.extra = 1


# ---------------------------------------------------------------------------------------------
# SSEDecoder: WHATWG examples


def test_whatwg_multiline_data() -> None:
    data = b"data: YHOO\ndata: +2\ndata: 10\n\n"
    assert sse_all_ways(data) == [ev("YHOO\n+2\n10")]


def test_whatwg_comments_and_ids() -> None:
    data = (
        b": test stream\n\n"
        b"data: first event\nid: 1\n\n"
        b"data:second event\nid\n\n"
        b"data:  third event\n\n"
    )
    assert sse_all_ways(data) == [
        ev("first event", id="1"),
        ev("second event", id=""),
        ev(" third event", id=""),
    ]


def test_whatwg_empty_data_events() -> None:
    # WHATWG discards the final unterminated "data:"; we refuse to, see the truncation tests.
    decoder = SSEDecoder()
    assert decoder.feed(b"data\n\ndata\ndata\n\ndata:") == [ev(""), ev("\n")]
    with pytest.raises(IncompleteStreamError):
        decoder.close()


def test_whatwg_space_after_colon_is_optional() -> None:
    assert sse_all_ways(b"data:test\n\ndata: test\n\n") == [ev("test"), ev("test")]


@pytest.mark.parametrize(
    ("line", "data"),
    [
        (b"data", ""),
        (b"data:", ""),
        (b"data: ", ""),
        (b"data:  ", " "),
        (b"data:x", "x"),
        (b"data: x", "x"),
        (b"data:  x", " x"),
        (b"data: a: b", "a: b"),
        (b"data:\tx", "\tx"),
    ],
)
def test_data_field_forms(line: bytes, data: str) -> None:
    assert sse_all_ways(line + b"\n\n") == [ev(data)]


def test_event_type() -> None:
    data = (
        b"event: add\ndata: 1\n\nevent:\ndata: 2\n\ndata: 3\n\nevent\ndata: 4\n\n"
        b"event: \ndata: 5\n\n"
    )
    assert sse_all_ways(data) == [ev("1", event="add"), ev("2"), ev("3"), ev("4"), ev("5")]


def test_last_event_field_wins_and_fields_in_any_order() -> None:
    data = b"id: 1\nevent: a\ndata: x\nevent: b\nid: 2\nretry: 5\nretry: 6\ndata: y\n\n"
    assert sse_all_ways(data) == [ev("x\ny", event="b", id="2", retry=6)]


def test_comment_only_frames_dispatch_nothing() -> None:
    assert sse_all_ways(b": ping\n\n:\n: another\n\n") == []


def test_comment_lines_inside_a_frame_are_ignored() -> None:
    assert sse_all_ways(b"data: a\n: note\ndata: b\n\n") == [ev("a\nb")]


def test_unknown_fields_and_bare_field_names_are_ignored() -> None:
    data = b"foo: bar\nData: no\n data: no\nbaz\ndata: yes\n\n"
    assert sse_all_ways(data) == [ev("yes")]


def test_frame_without_data_dispatches_nothing() -> None:
    assert sse_all_ways(b"event: x\n\nid: 3\n\ndata: a\n\n") == [ev("a", id="3")]


def test_blank_lines_between_frames() -> None:
    assert sse_all_ways(b"\n\n\ndata: a\n\n\n\ndata: b\n\n") == [ev("a"), ev("b")]


@pytest.mark.parametrize(
    "data",
    [
        b"data: a\n\ndata: b\n\n",
        b"data: a\r\n\r\ndata: b\r\n\r\n",
        b"data: a\r\rdata: b\r\r",
        b"data: a\r\n\ndata: b\n\r",
        b"data: a\r\rdata: b\n\r\n",
    ],
)
def test_line_ending_mixes(data: bytes) -> None:
    assert sse_all_ways(data) == [ev("a"), ev("b")]


def test_bom_at_start() -> None:
    assert sse_all_ways(b"\xef\xbb\xbfdata: a\n\n") == [ev("a")]


def test_bom_not_at_start_makes_an_unknown_field() -> None:
    assert sse_all_ways(b"data: a\n\n\xef\xbb\xbfdata: b\n\n") == [ev("a")]


def test_id_persists_across_events() -> None:
    data = b"id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\ndata: d\n\nid\ndata: e\n\n"
    assert sse_all_ways(data) == [
        ev("a", id="1"),
        ev("b", id="1"),
        ev("c", id="2"),
        ev("d", id="2"),
        ev("e", id=""),
    ]


def test_id_with_nul_is_ignored() -> None:
    data = b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n"
    decoder = SSEDecoder()
    assert decoder.feed(data) == [ev("a", id="1"), ev("b", id="1")]
    assert decoder.last_event_id == "1"


def test_id_committed_by_frame_without_data() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 7\n\n") == []
    assert decoder.last_event_id == "7"
    assert decoder.feed(b"data: x\n\n") == [ev("x", id="7")]


def test_last_event_id_only_counts_finished_frames() -> None:
    assert SSEDecoder().last_event_id is None
    decoder = SSEDecoder()
    decoder.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n")
    assert decoder.last_event_id == "1"
    with pytest.raises(IncompleteStreamError):
        decoder.close()
    assert decoder.last_event_id == "1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"3000", 3000),
        (b"0", 0),
        (b"007", 7),
        (b"", None),
        (b"-1", None),
        (b"1.5", None),
        (b"10 ", None),
        (b"abc", None),
        ("١٢".encode(), None),
        ("²".encode(), None),
    ],
)
def test_retry_needs_ascii_digits(value: bytes, expected: int | None) -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"retry: " + value + b"\ndata: x\n\n")
    assert events == [ev("x", retry=expected)]
    assert decoder.retry == expected


def test_retry_is_per_frame_on_events_and_latest_on_decoder() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 100\n\n") == []
    assert decoder.retry == 100
    assert decoder.feed(b"data: a\n\nretry: 200\ndata: b\n\nretry: x\ndata: c\n\n") == [
        ev("a"),
        ev("b", retry=200),
        ev("c"),
    ]
    assert decoder.retry == 200


@pytest.mark.parametrize("payload", ["[DONE]", "null", "", "  spaced  ", '{"x": 1}', "data: x"])
def test_payloads_pass_through_verbatim(payload: str) -> None:
    assert sse_all_ways(f"data: {payload}\n\n".encode()) == [ev(payload)]


def test_events_returned_as_soon_as_their_frame_ends() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n") == []
    assert decoder.feed(b"\ndata: b") == [ev("a")]
    assert decoder.feed(b"\r") == []
    assert decoder.feed(b"\r") == [ev("b")]
    assert decoder.close() == []


def test_multibyte_utf8_split_in_sse() -> None:
    data = "event: ünï\ndata: 日本語 😀\n\n".encode()
    for cut in range(len(data) + 1):
        assert sse(data[:cut], data[cut:]) == [ev("日本語 😀", event="ünï")]


def test_sse_long_single_frame_is_linear() -> None:
    size, step = 2 * 1024 * 1024, 1024
    data = b"data: " + b"y" * size + b"\n\n"
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for i in range(0, len(data), step):
        events.extend(decoder.feed(data[i : i + step]))
    assert decoder.close() == []
    assert len(events) == 1
    assert len(events[0].data) == size


def test_sse_many_data_lines_in_one_frame() -> None:
    data = b"data: z\n" * 100_000 + b"\n"
    decoder = SSEDecoder()
    events = [e for i in range(0, len(data), 1000) for e in decoder.feed(data[i : i + 1000])]
    assert len(events) == 1
    assert events[0].data == "\n".join(["z"] * 100_000)


def test_sse_long_runs_of_comment_frames_are_linear() -> None:
    # The column splitter skips one comment-only frame before a frame; trying a whole run of
    # them again from each of its blank lines would take quadratic time here.
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 1\ndata: a\n\n") == [ev("a", id="1")]
    keep_alives = b": ping\n\n" * 200_000
    assert decoder.feed(keep_alives + b"retry: 5\n\nevent: e\ndata: b\n\n") == [
        ev("b", event="e", id="1")
    ]
    assert decoder.feed(keep_alives + b"data: c\n\n" + keep_alives) == [ev("c", id="1")]
    assert decoder.retry == 5


# ---------------------------------------------------------------------------------------------
# SSEDecoder: truncation


@pytest.mark.parametrize(
    ("data", "partial"),
    [
        (b"data: a\n", "data: a"),
        (b"data: a", "data: a"),
        (b"data: a\n\nda", "da"),
        (b"data: a\n\nevent: x\n", "event: x"),
        (b"id: 9\n", "id: 9"),
        (b"retry: 5\n", "retry: 5"),
        (b"retry: x\n", "retry: x"),
        (b"data: a\ndata: b\n: c\nevent: e", "data: a\ndata: b\nevent: e"),
        (b"data: ok\n\n: keep-alive", ": keep-alive"),
        (b"data: ok\n\n\xe2\x82", "\ufffd"),
    ],
)
def test_sse_truncated_stream_raises(data: bytes, partial: str) -> None:
    for chunks in ([data], bytewise(data)):
        decoder = SSEDecoder()
        for chunk in chunks:
            decoder.feed(chunk)
        with pytest.raises(IncompleteStreamError, match="middle of an event") as info:
            decoder.close()
        assert info.value.partial == partial


@pytest.mark.parametrize(
    "data",
    [b"", b"data: a\n\n", b"data: a\r\r", b": ping\n", b"data: a\n\n: ping\n", b"foo: 1\n", b"\n"],
)
def test_sse_clean_end_returns_nothing(data: bytes) -> None:
    decoder = SSEDecoder()
    decoder.feed(data)
    assert decoder.close() == []


def test_sse_decoder_reusable_after_close() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"id: 4\nretry: 10\ndata: a\n\ndata: cut")
    with pytest.raises(IncompleteStreamError):
        decoder.close()
    # Reconnected stream: frame state is fresh, last id and retry survive.
    assert decoder.feed(b"\xef\xbb\xbfdata: b\n\n") == [ev("b", id="4")]
    assert (decoder.last_event_id, decoder.retry) == ("4", 10)
    assert decoder.close() == []


def test_incomplete_stream_error_defaults() -> None:
    err = IncompleteStreamError("cut")
    assert str(err) == "cut"
    assert err.partial == ""
    assert isinstance(err, Exception)


# ---------------------------------------------------------------------------------------------
# NDJSONDecoder


def test_ndjson_basic() -> None:
    data = b'{"a": 1}\n[1, 2]\r\n"s"\n3\rnull\ntrue\n'
    expected = [{"a": 1}, [1, 2], "s", 3, None, True]
    assert ndjson(data) == expected
    assert ndjson(*bytewise(data)) == expected


def test_ndjson_skips_blank_and_whitespace_lines() -> None:
    assert ndjson(b'\n  \n\t\n{"a": 1}\n \r\n\n2\n   ') == [{"a": 1}, 2]


def test_ndjson_values_with_surrounding_whitespace() -> None:
    assert ndjson(b'  {"a": 1}  \n\t[]\t\n') == [{"a": 1}, []]


def test_ndjson_strict_rejects_non_json_line() -> None:
    decoder = NDJSONDecoder()
    assert not decoder.lenient
    assert decoder.feed(b"1\n") == [1]
    with pytest.raises(NDJSONDecodeError, match="invalid JSON line") as info:
        decoder.feed(b"event: nope\n")
    assert info.value.line == "event: nope"
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


def test_ndjson_non_json_whitespace_is_not_blank() -> None:
    with pytest.raises(NDJSONDecodeError):
        ndjson("\u00a0\n".encode())


def test_ndjson_lenient_yields_none() -> None:
    decoder = NDJSONDecoder(lenient=True)
    assert decoder.lenient
    assert decoder.feed(b'1\nnot json\n{"b": 2}\n[DONE]\n') == [1, None, {"b": 2}, None]
    assert decoder.close() == []


@pytest.mark.parametrize("lenient", [False, True])
def test_ndjson_final_unterminated_line_accepted_if_json(lenient: bool) -> None:
    assert ndjson(b'1\n{"last": true}', lenient=lenient) == [1, {"last": True}]


@pytest.mark.parametrize("lenient", [False, True])
@pytest.mark.parametrize("tail", [b'{"a": 1', b"[1, 2", b'"unterminated', b"tru", b"nope"])
def test_ndjson_truncated_final_line_raises(lenient: bool, tail: bytes) -> None:
    decoder = NDJSONDecoder(lenient=lenient)
    assert decoder.feed(b"1\n" + tail) == [1]
    with pytest.raises(IncompleteStreamError, match="middle of a line") as info:
        decoder.close()
    assert info.value.partial == tail.decode()


def test_ndjson_close_with_whitespace_tail() -> None:
    assert ndjson(b"1\n  \t") == [1]


def test_ndjson_multibyte_split() -> None:
    data = '{"k": "héllo 😀"}\n'.encode()
    for cut in range(len(data) + 1):
        assert ndjson(data[:cut], data[cut:]) == [{"k": "héllo 😀"}]


def test_ndjson_bom() -> None:
    assert ndjson(b"\xef\xbb\xbf[1]\n") == [[1]]


def test_ndjson_long_line_is_linear() -> None:
    value = "v" * (2 * 1024 * 1024)
    data = json.dumps({"big": value}).encode() + b"\n"
    decoder = NDJSONDecoder()
    out = [v for i in range(0, len(data), 1024) for v in decoder.feed(data[i : i + 1024])]
    assert out == [{"big": value}]


# ---------------------------------------------------------------------------------------------
# iteration helpers


def test_iter_helpers() -> None:
    assert list(iter_lines([b"a\r", b"\nb", b"", b"\nc"])) == ["a", "b", "c"]
    assert list(iter_sse([b"data: 1\n", b"\n", b"data: 2\n\n"])) == [ev("1"), ev("2")]
    assert list(iter_ndjson([b"1\n", b"x\n", b"3"], lenient=True)) == [1, None, 3]
    with pytest.raises(NDJSONDecodeError):
        list(iter_ndjson([b"x\n"]))


def test_iter_helpers_accept_any_iterable() -> None:
    assert list(iter_lines(iter((b"a\nb",)))) == ["a", "b"]
    assert list(iter_lines(())) == []


def test_iter_sse_propagates_truncation() -> None:
    it = iter_sse([b"data: 1\n\n", b"data: 2\n"])
    assert next(it) == ev("1")
    with pytest.raises(IncompleteStreamError):
        next(it)


def test_iter_sse_is_lazy() -> None:
    pulled: list[bytes] = []

    def source() -> Iterator[bytes]:
        for chunk in (b"data: a\n\ndata: b", b"\n\n", b"data: c\n\n"):
            pulled.append(chunk)
            yield chunk

    it = iter_sse(source())
    assert next(it) == ev("a")
    assert len(pulled) == 1
    assert next(it) == ev("b")
    assert len(pulled) == 2
    assert list(it) == [ev("c")]


def test_iter_closes_source_when_stopped_early_or_failing() -> None:
    closed: list[str] = []

    def source(name: str, *chunks: bytes) -> Iterator[bytes]:
        try:
            yield from chunks
        finally:
            closed.append(name)

    it = iter_sse(source("early", b"data: a\n\n", b"data: b\n\n"))
    assert next(it) == ev("a")
    it.close()
    with pytest.raises(NDJSONDecodeError):
        list(iter_ndjson(source("failing", b"1\n", b"oops\n", b"3\n")))
    assert closed == ["early", "failing"]


class ChunkSizes:
    """A minimal custom decoder: reports each chunk's length, then the total at close."""

    def __init__(self) -> None:
        self.total = 0

    def feed(self, chunk: bytes) -> list[int]:
        self.total += len(chunk)
        return [len(chunk)]

    def close(self) -> list[int]:
        return [self.total]


def test_iter_decoded_with_custom_decoder() -> None:
    assert list(iter_decoded([b"ab", b"", b"cde"], ChunkSizes())) == [2, 0, 3, 5]


async def test_aiter_decoded_with_custom_decoder() -> None:
    out = [n async for n in aiter_decoded(agen(b"ab", b"cde"), ChunkSizes())]
    assert out == [2, 3, 5]


async def test_aiter_lines() -> None:
    out = [line async for line in aiter_lines(agen(b"x\xe2", b"\x82\xac\r", b"\ny", b""))]
    assert out == ["x€", "y"]


async def test_aiter_sse() -> None:
    chunks = (b'id: 1\nevent: t\ndata: {"a"', b": 1}\n\n", b": ping\n\ndata: [DONE]\n\n")
    out = [e async for e in aiter_sse(agen(*chunks))]
    assert out == [ev('{"a": 1}', event="t", id="1"), ev("[DONE]", id="1")]
    assert out[0].json() == {"a": 1}


async def test_aiter_ndjson() -> None:
    assert [v async for v in aiter_ndjson(agen(b"1\n[", b"2]\n"))] == [1, [2]]
    assert [v async for v in aiter_ndjson(agen(b"?\n2"), lenient=True)] == [None, 2]
    with pytest.raises(NDJSONDecodeError):
        _ = [v async for v in aiter_ndjson(agen(b"?\n"))]


async def test_aiter_sse_propagates_truncation() -> None:
    with pytest.raises(IncompleteStreamError) as info:
        _ = [e async for e in aiter_sse(agen(b"data: 1\n\n", b"data: 2"))]
    assert info.value.partial == "data: 2"


async def test_aiter_ndjson_propagates_truncation() -> None:
    with pytest.raises(IncompleteStreamError):
        _ = [v async for v in aiter_ndjson(agen(b'{"a":'), lenient=True)]


async def test_aiter_sse_is_lazy_and_closes_source_early() -> None:
    pulled: list[bytes] = []
    closed: list[bool] = []

    async def source() -> AsyncIterator[bytes]:
        try:
            for chunk in (b"data: a\n\n", b"data: b\n\n", b"data: c\n\n"):
                pulled.append(chunk)
                yield chunk
        finally:
            closed.append(True)

    async with contextlib.aclosing(aiter_sse(source())) as events:
        async for event in events:
            assert event == ev("a")
            assert len(pulled) == 1
            break
    assert closed == [True]


# ---------------------------------------------------------------------------------------------
# content_kind


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("text/event-stream", "sse"),
        ("text/event-stream; charset=utf-8", "sse"),
        ("  TEXT/Event-Stream ;charset=UTF-8", "sse"),
        ("application/x-ndjson", "ndjson"),
        ("application/ndjson", "ndjson"),
        ("application/jsonl", "ndjson"),
        ("application/x-jsonlines", "ndjson"),
        ("Application/X-NDJSON; charset=utf-8", "ndjson"),
        ("text/plain", "line"),
        ("text/plain; charset=latin-1", "line"),
        ("text/csv", "line"),
        ("TEXT/HTML", "line"),
        ("application/json", "bytes"),
        ("application/octet-stream", "bytes"),
        ("audio/mpeg", "bytes"),
        ("textual/thing", "bytes"),
        ("", "bytes"),
        (None, "bytes"),
    ],
)
def test_content_kind(content_type: str | None, kind: str) -> None:
    assert content_kind(content_type) == kind


# ---------------------------------------------------------------------------------------------
# package surface


def test_public_names_exported_and_documented() -> None:
    expected = {
        "ContentKind",
        "Decoder",
        "IncompleteStreamError",
        "LineDecoder",
        "NDJSONDecodeError",
        "NDJSONDecoder",
        "SSEDecoder",
        "ServerSentEvent",
        "aiter_decoded",
        "aiter_lines",
        "aiter_ndjson",
        "aiter_sse",
        "content_kind",
        "iter_decoded",
        "iter_lines",
        "iter_ndjson",
        "iter_sse",
    }
    assert set(streaming.__all__) == expected
    for name in expected - {"ContentKind"}:
        obj = getattr(streaming, name)
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and callable(member):
                    assert inspect.getdoc(member), f"{name}.{attr}"


def test_stream_iterators_are_exported_from_the_package_root() -> None:
    import sdkcore
    from sdkcore import _streaming

    for name in (
        "iter_sse",
        "aiter_sse",
        "iter_ndjson",
        "aiter_ndjson",
        "iter_lines",
        "aiter_lines",
    ):
        assert getattr(sdkcore, name) is getattr(_streaming, name)
        assert name in sdkcore.__all__
    events = sdkcore.iter_sse([b"data: a\n\nda", b"ta: b\n\n"])
    assert [event.data for event in events] == ["a", "b"]
