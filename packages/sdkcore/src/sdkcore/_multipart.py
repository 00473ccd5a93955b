"""Request bodies that are not JSON: bytes with their own Content-Type, multipart forms."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["RawBody", "multipart_form"]


@dataclass(frozen=True, slots=True)
class RawBody:
    """An `Op.body` sent as these bytes with this Content-Type, not encoded as JSON."""

    content: bytes
    content_type: str


def _quoted(value: str) -> str:
    # RFC 7578: names and filenames are quoted strings; escape what would end them early.
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart_form(
    fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes, str]]
) -> RawBody:
    """A multipart/form-data body of text ``fields`` and ``files`` (name -> filename, bytes,
    content type), encoded here so every transport sends the same bytes."""
    boundary = secrets.token_hex(16)
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{_quoted(name)}"\r\n\r\n'
        parts.append(head.encode() + value.encode() + b"\r\n")
    for name, (filename, data, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{_quoted(name)}";'
            f' filename="{_quoted(filename)}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return RawBody(b"".join(parts), f"multipart/form-data; boundary={boundary}")
