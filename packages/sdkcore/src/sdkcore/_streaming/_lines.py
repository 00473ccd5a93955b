"""Incremental bytes -> text lines, sans I/O."""

from __future__ import annotations

from ._text import TextDecoder

__all__ = ["LineDecoder"]


class LineDecoder:
    """Split a UTF-8 byte stream, arriving in arbitrary chunks, into lines.

    Lines end at LF, CRLF or a lone CR; terminators are not included in the returned lines.
    Decoding is incremental, so a multi-byte character split across chunks decodes correctly;
    invalid bytes become U+FFFD. A UTF-8 BOM is stripped at the very start of the stream only.

    Work is linear in the total input: each chunk is decoded and split once, at C speed, and
    the pieces of a long line are joined once, when its terminator arrives.

    After :meth:`flush` the decoder is back in its initial state and can decode a new stream.
    """

    __slots__ = ("_parts", "_text")

    _text: TextDecoder
    # Pieces of the line being built, joined when its terminator arrives.
    _parts: list[str]

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._text = TextDecoder()
        self._parts = []

    def feed(self, chunk: bytes) -> list[str]:
        """Decode ``chunk`` and return the lines it completes (possibly none)."""
        return self._split(self._text.decode(chunk))

    def flush(self) -> list[str]:
        """End the stream: return the last unterminated line, if any, and reset the decoder.

        Bytes of an incomplete UTF-8 sequence left at the end decode to U+FFFD.
        """
        lines = self._split(self._text.decode(b"", final=True))
        tail = "".join(self._parts)
        self._reset()
        if tail:
            lines.append(tail)
        return lines

    def close(self) -> list[str]:
        """Same as :meth:`flush`; lets a ``LineDecoder`` serve as a ``Decoder[str]``."""
        return self.flush()

    @property
    def pending(self) -> str:
        """Text received since the last line terminator (the line being built)."""
        return "".join(self._parts)

    def _split(self, text: str) -> list[str]:
        if "\n" not in text:
            if text:
                self._parts.append(text)
            return []
        lines = text.split("\n")
        tail = lines.pop()
        if self._parts:
            self._parts.append(lines[0])
            lines[0] = "".join(self._parts)
            self._parts.clear()
        if tail:
            self._parts.append(tail)
        return lines
