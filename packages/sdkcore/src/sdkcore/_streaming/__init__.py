"""Sans-I/O streaming decoders: text lines, server-sent events and NDJSON.

The decoders take raw byte chunks of any size through ``feed`` and return the items those
chunks complete; ``close`` ends the stream and raises :class:`IncompleteStreamError` when it was
cut mid-frame. ``iter_*`` / ``aiter_*`` drive them over sync and async chunk sources.
"""

from ._errors import IncompleteStreamError
from ._iter import (
    Decoder,
    aiter_decoded,
    aiter_lines,
    aiter_ndjson,
    aiter_sse,
    iter_decoded,
    iter_lines,
    iter_ndjson,
    iter_sse,
)
from ._kind import ContentKind, content_kind
from ._lines import LineDecoder
from ._ndjson import NDJSONDecodeError, NDJSONDecoder
from ._sse import ServerSentEvent, SSEDecoder

__all__ = [
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
]
