"""A streaming reader of ``multipart/form-data`` bodies: fields come out whole, a file part
chunk by chunk, so an upload goes to disk without the body ever being held in memory."""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass

from sdkcore.emulator import EmulatorError

__all__ = ["FormReader", "Part", "boundary_of"]

_HEAD_LIMIT = 16384
_PARAM = re.compile(r'(\w+)="([^"]*)"')


def boundary_of(content_type: str | None) -> bytes:
    """The boundary of a ``multipart/form-data`` content type; 400 for any other type."""
    media, _, params = (content_type or "").partition(";")
    found = re.search(r'boundary="?([^";]+)"?', params)
    if media.strip().lower() != "multipart/form-data" or found is None:
        raise EmulatorError(400, "the body must be multipart/form-data with a boundary")
    return found.group(1).encode("latin-1")


@dataclass(frozen=True)
class Part:
    """The headers of one part: its field name, and for a file its filename and type."""

    name: str
    filename: str | None
    content_type: str | None


def _malformed(why: str) -> EmulatorError:
    return EmulatorError(400, f"malformed multipart body: {why}")


class FormReader:
    """Parts of a multipart body read from ``chunks``, in order: `next_part` gives a part's
    headers, then `body` (or `value`) its content."""

    def __init__(self, chunks: AsyncIterable[bytes], boundary: bytes) -> None:
        """Read the body from ``chunks`` (e.g. ``request.stream()``)."""
        self._chunks = chunks.__aiter__()
        self._delimiter = b"\r\n--" + boundary
        # A leading CRLF makes the first boundary look like every later one.
        self._buffer = bytearray(b"\r\n")
        self._started = False
        self._in_body = False

    async def _more(self) -> bool:
        async for chunk in self._chunks:
            self._buffer += chunk
            return True
        return False

    async def next_part(self) -> Part | None:
        """The next part's headers (skipping what is unread of the current one), or None
        after the closing boundary."""
        if not self._started or self._in_body:
            async for _ in self.body():
                pass
            self._started = True
        while len(self._buffer) < 2:
            if not await self._more():
                raise _malformed("no closing boundary")
        if self._buffer[:2] == b"--":
            return None
        while (end := self._buffer.find(b"\r\n\r\n")) < 0:
            if len(self._buffer) > _HEAD_LIMIT or not await self._more():
                raise _malformed("part headers do not end")
        head = self._buffer[2:end].decode("utf-8", "replace")
        del self._buffer[: end + 4]
        self._in_body = True
        headers = {}
        for line in head.split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = dict(_PARAM.findall(headers.get("content-disposition", "")))
        if "name" not in params:
            raise _malformed("a part has no name")
        return Part(params["name"], params.get("filename"), headers.get("content-type"))

    async def body(self) -> AsyncIterator[bytes]:
        """The current part's content, chunk by chunk (before the first part: the preamble)."""
        keep = len(self._delimiter)
        while True:
            found = self._buffer.find(self._delimiter)
            if found >= 0:
                if found:
                    yield bytes(self._buffer[:found])
                del self._buffer[: found + keep]
                self._in_body = False
                return
            if len(self._buffer) > keep:
                chunk = bytes(self._buffer[:-keep])
                del self._buffer[:-keep]
                yield chunk
            if not await self._more():
                raise _malformed("the body ends inside a part")

    async def drain(self) -> None:
        """Read and drop the rest of the body."""
        self._buffer.clear()
        async for _ in self._chunks:
            pass

    async def value(self, limit: int) -> str:
        """The current part's content as text, at most ``limit`` bytes (else 400)."""
        data = bytearray()
        async for chunk in self.body():
            data += chunk
            if len(data) > limit:
                raise _malformed("a form field is too long")
        return data.decode("utf-8", "replace")
