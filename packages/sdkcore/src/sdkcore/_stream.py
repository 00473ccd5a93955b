"""Streaming results: a response body decoded lazily into items, on either face.

A transport failure or a body cut mid-frame raises the SDK's connection error (timeout error
for a stalled stream); it is never mistaken for the end of the stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._closing import AsyncCloseable, Closeable
from ._operation import DualOp, ResultFactory
from ._streaming import Decoder, IncompleteStreamError, aiter_decoded, iter_decoded

if TYPE_CHECKING:
    from ._client import BaseClient

__all__ = ["AsyncStream", "BaseStream", "Stream", "StreamFactory"]

T = TypeVar("T")


class BaseStream(Generic[T]):
    """State shared by both faces: the open response, its decoder and item conversion."""

    def __init__(
        self, *, client: BaseClient, response: httpx.Response, spec: StreamFactory[T]
    ) -> None:
        self._client = client
        self.response = response
        self._decoder = spec.decoder()
        self._item = spec.item
        self._until = spec.until

    @property
    def status_code(self) -> int:
        """HTTP status of the streamed response."""
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Headers of the streamed response."""
        return self.response.headers

    def _accept(self, decoded: Any) -> bool:
        return self._until is None or not self._until(decoded)

    def _error(self, exc: Exception) -> Exception:
        errors = self._client._profile.error_map
        request = self.response.request
        if isinstance(exc, httpx.TimeoutException):
            return errors.timeout(request=request)
        if isinstance(exc, IncompleteStreamError):
            return errors.connection("Stream ended in the middle of a frame.", request=request)
        return errors.connection(f"Stream interrupted: {exc}", request=request)


class Stream(BaseStream[T], Closeable):
    """Items of a streamed response for a blocking client; iterate once, then it is closed."""

    def __iter__(self) -> Iterator[T]:
        try:
            for decoded in iter_decoded(self.response.iter_bytes(), self._decoder):
                if not self._accept(decoded):
                    break
                yield self._item(decoded)
        except (httpx.TransportError, IncompleteStreamError) as exc:
            raise self._error(exc) from exc
        finally:
            self.response.close()

    def close(self) -> None:
        """Release the connection without reading the rest of the body."""
        self.response.close()


class AsyncStream(BaseStream[T], AsyncCloseable):
    """Items of a streamed response for an async client; iterate once, then it is closed."""

    async def __aiter__(self) -> AsyncIterator[T]:
        try:
            async for decoded in aiter_decoded(self.response.aiter_bytes(), self._decoder):
                if not self._accept(decoded):
                    break
                yield self._item(decoded)
        except (httpx.TransportError, IncompleteStreamError) as exc:
            raise self._error(exc) from exc
        finally:
            await self.response.aclose()

    async def close(self) -> None:
        """Release the connection without reading the rest of the body."""
        await self.response.aclose()


class StreamFactory(ResultFactory[Stream[T], AsyncStream[T]]):
    """How a streamed response is read (decoder, item conversion, end marker), and the
    factory of the face's stream class."""

    def __init__(
        self,
        decoder: Callable[[], Decoder[Any]],
        item: Callable[[Any], T],
        *,
        until: Callable[[Any], bool] | None = None,
    ) -> None:
        self.decoder = decoder
        self.item = item
        self.until = until

    def sync(self, client: BaseClient, op: DualOp[Any, Any], value: Any) -> Stream[T]:
        """A blocking stream."""
        return Stream(client=client, response=value, spec=self)

    def async_(self, client: BaseClient, op: DualOp[Any, Any], value: Any) -> AsyncStream[T]:
        """An async stream."""
        return AsyncStream(client=client, response=value, spec=self)
