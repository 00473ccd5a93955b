"""Map a Content-Type to the kind of stream decoding it calls for."""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["ContentKind", "content_kind"]

ContentKind: TypeAlias = Literal["sse", "ndjson", "line", "bytes"]
"""How a streamed body is decoded: SSE events, NDJSON values, text lines, or raw bytes."""

_NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)


def content_kind(content_type: str | None) -> ContentKind:
    """Classify a Content-Type header value for streaming (parameters and case are ignored).

    ``text/event-stream`` is ``"sse"``; ``application/x-ndjson``, ``application/ndjson``,
    ``application/jsonl`` and ``application/x-jsonlines`` are ``"ndjson"``; any other ``text/*``
    is ``"line"``; anything else, or a missing header, is ``"bytes"``.
    """
    if not content_type:
        return "bytes"
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "text/event-stream":
        return "sse"
    if media_type in _NDJSON_TYPES:
        return "ndjson"
    if media_type.startswith("text/"):
        return "line"
    return "bytes"
