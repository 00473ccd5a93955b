"""Socket-level control of one HTTP connection, for faults that ASGI cannot express.

ASGI apps never see the socket, so the kit serves through `EmulatorHTTPProtocol`, a uvicorn
h11 protocol that hands each request's scope a `Connection` in
``scope["extensions"]["sdkcore.emulator.connection"]``.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any, cast

from starlette.types import Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

__all__ = ["Connection", "EmulatorHTTPProtocol", "connection_for"]

_EXTENSION = "sdkcore.emulator.connection"


class Connection:
    """The client connection a request arrived on."""

    def __init__(self, protocol: H11Protocol) -> None:
        """Wrap the uvicorn protocol instance that owns the connection."""
        self._protocol = protocol

    @property
    def closed(self) -> bool:
        """Whether the connection is closed or closing (e.g. the client went away)."""
        return self._protocol.transport.is_closing()

    def _abandon_response(self) -> None:
        # Tell uvicorn the client is gone so it neither complains that the app did not
        # finish its response nor writes a 500 onto the dead socket.
        cycle = self._protocol.cycle
        if cycle is not None:
            cycle.disconnected = True

    def reset(self) -> None:
        """Drop the connection at once with a TCP reset, discarding unsent data."""
        self._abandon_response()
        transport = self._protocol.transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # Linger 0 turns close into RST, so the client sees a reset rather than EOF.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()

    def close(self) -> None:
        """Close the connection after flushing what was written, mid-response or not."""
        self._abandon_response()
        self._protocol.transport.close()


class EmulatorHTTPProtocol(H11Protocol):
    """uvicorn's h11 protocol, exposing each request's `Connection` to the app.

    `serve` and `run_server` use it; pass it as ``http=`` to ``uvicorn.Config`` to get the
    connection-level faults (``reset``, ``truncate``, ``cut_stream``) elsewhere.
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        """Create the protocol for one accepted connection."""
        super().__init__(config, server_state, app_state, _loop)
        connection = Connection(self)
        inner = self.app

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            scope["extensions"] = {**scope.get("extensions", {}), _EXTENSION: connection}
            await inner(cast(Any, scope), receive, send)

        self.app = cast(Any, app)


def connection_for(scope: Scope) -> Connection | None:
    """Return the `Connection` of a request served through `EmulatorHTTPProtocol`."""
    connection = (scope.get("extensions") or {}).get(_EXTENSION)
    return connection if isinstance(connection, Connection) else None
