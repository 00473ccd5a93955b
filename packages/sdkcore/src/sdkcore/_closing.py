"""Context-manager support for objects that own a resource released by `close()`."""

from __future__ import annotations

from types import TracebackType

from typing_extensions import Self

__all__ = ["AsyncCloseable", "Closeable"]


class Closeable:
    """`with obj:` closes `obj` on exit."""

    def close(self) -> None:
        """Release the resource."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncCloseable:
    """`async with obj:` closes `obj` on exit."""

    async def close(self) -> None:
        """Release the resource."""
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
