"""A downloaded call recording."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RecordingDownload"]


@dataclass(frozen=True)
class RecordingDownload:
    """A recording's bytes with their media type and file name.

    Attributes:
        data: The audio file (WAV, PCM 16-bit mono 8 kHz on the ClawOps API).
        content_type: The response's media type, e.g. "audio/wav".
        filename: The name the server gave the file, or None when it gave none.
    """

    data: bytes
    content_type: str
    filename: str | None

    def __repr__(self) -> str:
        """Type, name and size, not the bytes."""
        return (
            f"RecordingDownload(content_type={self.content_type!r}, filename={self.filename!r},"
            f" size={len(self.data)})"
        )
