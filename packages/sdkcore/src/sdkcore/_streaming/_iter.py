"""Sync and async iteration over decoded streams: thin drivers around any decoder."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterable, Generator, Iterable
from typing import Any, Protocol, TypeVar

from ._lines import LineDecoder
from ._ndjson import NDJSONDecoder
from ._sse import ServerSentEvent, SSEDecoder

__all__ = [
    "Decoder",
    "aiter_decoded",
    "aiter_lines",
    "aiter_ndjson",
    "aiter_sse",
    "iter_decoded",
    "iter_lines",
    "iter_ndjson",
    "iter_sse",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Decoder(Protocol[T_co]):
    """A sans-I/O incremental decoder of a byte stream into items of type ``T_co``."""

    def feed(self, chunk: bytes) -> Iterable[T_co]:
        """Consume ``chunk`` and return the items it completes (a list, or a generator the
        driver exhausts before the next call, so items can be made one at a time)."""
        ...

    def close(self) -> Iterable[T_co]:
        """Signal end of stream and return any final items (or raise if the stream was cut)."""
        ...


# The generators only move chunks in and items out; all parsing lives in the decoders, so the
# sync and async faces cannot drift apart. Each item is yielded as soon as the chunk holding
# its end arrives, and nothing beyond the current chunk is buffered here.
#
# The source is closed explicitly on exit because a consumer that stops early must release the
# underlying connection now: an abandoned async generator is only finalised later by the event
# loop, and not at all deterministically outside CPython.


def iter_decoded(chunks: Iterable[bytes], decoder: Decoder[T]) -> Generator[T, None, None]:
    """Drive ``decoder`` over ``chunks``, yielding items lazily, then close the decoder.

    When the returned generator finishes, fails or is closed early, the chunk iterator is
    closed too if it has a ``close()`` method.
    """
    source = iter(chunks)
    try:
        for chunk in source:
            yield from decoder.feed(chunk)
        yield from decoder.close()
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


async def aiter_decoded(
    chunks: AsyncIterable[bytes], decoder: Decoder[T]
) -> AsyncGenerator[T, None]:
    """Async counterpart of :func:`iter_decoded`.

    The chunk iterator is closed (``aclose()``) when the returned generator finishes, fails or
    is closed. To stop early, close the generator explicitly, e.g. with
    ``contextlib.aclosing``.
    """
    source = aiter(chunks)
    try:
        async for chunk in source:
            for item in decoder.feed(chunk):
                yield item
        for item in decoder.close():
            yield item
    finally:
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()


def iter_lines(chunks: Iterable[bytes]) -> Generator[str, None, None]:
    """Yield the text lines of a UTF-8 byte stream (see :class:`LineDecoder`)."""
    return iter_decoded(chunks, LineDecoder())


def aiter_lines(chunks: AsyncIterable[bytes]) -> AsyncGenerator[str, None]:
    """Async counterpart of :func:`iter_lines`."""
    return aiter_decoded(chunks, LineDecoder())


def iter_sse(chunks: Iterable[bytes]) -> Generator[ServerSentEvent, None, None]:
    """Yield the server-sent events of a byte stream (see :class:`SSEDecoder`)."""
    return iter_decoded(chunks, SSEDecoder())


def aiter_sse(chunks: AsyncIterable[bytes]) -> AsyncGenerator[ServerSentEvent, None]:
    """Async counterpart of :func:`iter_sse`."""
    return aiter_decoded(chunks, SSEDecoder())


def iter_ndjson(chunks: Iterable[bytes], *, lenient: bool = False) -> Generator[Any, None, None]:
    """Yield the JSON values of an NDJSON byte stream (see :class:`NDJSONDecoder`)."""
    return iter_decoded(chunks, NDJSONDecoder(lenient=lenient))


def aiter_ndjson(
    chunks: AsyncIterable[bytes], *, lenient: bool = False
) -> AsyncGenerator[Any, None]:
    """Async counterpart of :func:`iter_ndjson`."""
    return aiter_decoded(chunks, NDJSONDecoder(lenient=lenient))
