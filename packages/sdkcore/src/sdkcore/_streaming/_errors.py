"""Errors shared by the streaming decoders."""

from __future__ import annotations

__all__ = ["IncompleteStreamError"]


class IncompleteStreamError(Exception):
    """The byte stream ended in the middle of a frame.

    A connection that drops mid-event must not look like a clean end of stream, so the decoders
    raise this from ``close()`` instead of discarding (or, worse, emitting) the partial frame.
    The client layer maps it to each SDK's connection error.

    Attributes:
        partial: The undispatched text that was pending when the stream ended (field lines of
            the unfinished SSE frame and/or the unterminated last line).
    """

    partial: str

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial
