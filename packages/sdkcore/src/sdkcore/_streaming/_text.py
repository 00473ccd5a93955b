"""Incremental UTF-8 bytes -> text in which every line ends with a single LF, sans I/O."""

from __future__ import annotations

from codecs import utf_8_decode as _utf_8_decode

__all__ = ["TextDecoder"]

_BOM = "\ufeff"


class TextDecoder:
    """Decode a UTF-8 byte stream chunk by chunk, normalising CR and CRLF line endings to LF.

    Only CR, LF and CRLF end a line (``str.splitlines`` would also split on ``\\v``, ``\\f``,
    ``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029, which are ordinary characters in SSE and
    NDJSON payloads). Normalising once per chunk lets the parsers split with plain
    ``str.split("\\n")`` at C speed instead of scanning for three kinds of terminator.

    A multi-byte character split across chunks decodes correctly; invalid bytes become U+FFFD.
    A UTF-8 BOM is stripped at the very start of the stream only. A CR at the end of a chunk
    is emitted as LF at once (the line it ends is complete), and an LF starting the next
    non-empty text is then dropped, since the two were one CRLF.
    """

    __slots__ = ("_at_start", "_skip_lf", "_undecoded")

    def __init__(self) -> None:
        # Bytes of a UTF-8 sequence cut by the end of the previous chunk.
        self._undecoded = b""
        self._at_start = True
        self._skip_lf = False

    def decode(self, chunk: bytes, final: bool = False) -> str:
        """Return the text ``chunk`` completes; ``final`` flushes an incomplete sequence as
        U+FFFD (the decoder must then not be fed again)."""
        # What codecs' incremental decoder does, without its Python-level frame per chunk.
        if self._undecoded:
            chunk = self._undecoded + chunk
        text, used = _utf_8_decode(chunk, "replace", final)
        self._undecoded = chunk[used:]
        if not text:
            return text
        if self._at_start:
            self._at_start = False
            if text[0] == _BOM:
                text = text[1:]
                if not text:
                    return text
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        if "\r" in text:
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text
