"""Incremental bytes -> text lines, sans I/O."""

from __future__ import annotations

import codecs
import re

__all__ = ["LineDecoder"]

# Only CR, LF and CRLF end a line: str.splitlines would also split on \v, \f, \x1c-\x1e,
# \x85, \u2028 and \u2029, which are ordinary characters in SSE and NDJSON payloads.
_EOL = re.compile(r"\r\n?|\n")
_BOM = "\ufeff"


class LineDecoder:
    """Split a UTF-8 byte stream, arriving in arbitrary chunks, into lines.

    Lines end at LF, CRLF or a lone CR; terminators are not included in the returned lines.
    Decoding is incremental, so a multi-byte character split across chunks decodes correctly;
    invalid bytes become U+FFFD. A UTF-8 BOM is stripped at the very start of the stream only.

    Work is linear in the total input: each chunk is scanned once and the pieces of a long line
    are joined once, when its terminator arrives.

    After :meth:`flush` the decoder is back in its initial state and can decode a new stream.
    """

    _decoder: codecs.IncrementalDecoder
    _parts: list[str]
    _at_start: bool
    # A CR ending the previous text may be the first half of a CRLF whose LF has not arrived
    # yet; the line was already emitted, so that LF must be swallowed.
    _skip_lf: bool

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._parts = []
        self._at_start = True
        self._skip_lf = False

    def feed(self, chunk: bytes) -> list[str]:
        """Decode ``chunk`` and return the lines it completes (possibly none)."""
        return self._split(self._decoder.decode(chunk))

    def flush(self) -> list[str]:
        """End the stream: return the last unterminated line, if any, and reset the decoder.

        Bytes of an incomplete UTF-8 sequence left at the end decode to U+FFFD.
        """
        lines = self._split(self._decoder.decode(b"", final=True))
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
        if self._at_start and text:
            self._at_start = False
            if text[0] == _BOM:
                text = text[1:]
        if self._skip_lf and text:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        if not text:
            return []
        # str.split is much faster than the regex and covers the common LF-only stream.
        pieces = _EOL.split(text) if "\r" in text else text.split("\n")
        tail = pieces.pop()
        if pieces:
            if self._parts:
                self._parts.append(pieces[0])
                pieces[0] = "".join(self._parts)
                self._parts.clear()
            self._skip_lf = text[-1] == "\r"
        if tail:
            self._parts.append(tail)
        return pieces
