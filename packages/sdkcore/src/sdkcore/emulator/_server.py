"""Running emulator apps with uvicorn: in a background thread for tests, or in the foreground."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from ._connection import EmulatorHTTPProtocol

__all__ = ["ServerHandle", "bind_socket", "emulator_fixture", "run_server", "serve"]

logger = logging.getLogger(__name__)

_START_TIMEOUT = 10.0
_STOP_GRACE = 5.0


@dataclass(frozen=True)
class ServerHandle:
    """Where a running emulator listens."""

    host: str
    port: int

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def _config(
    app: ASGIApp, host: str, port: int, log_level: str, shutdown_timeout: int, **options: Any
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        http=EmulatorHTTPProtocol,
        lifespan="on",
        # Forwarded headers sent by a test must not rewrite the client address.
        proxy_headers=False,
        # Seconds to let in-flight requests finish at shutdown before cancelling them.
        timeout_graceful_shutdown=shutdown_timeout,
        **options,
    )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP lets asyncio enable TCP_NODELAY on accepted connections; with
    # proto 0 it does not, and every kept-alive request waits ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


@contextmanager
def serve(
    app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"
) -> Iterator[ServerHandle]:
    """Serve ``app`` from a background thread for the duration of a ``with`` block.

    The socket is bound here (port 0 picks a free port) before uvicorn starts, so the
    returned `ServerHandle` is final and no other process can take the port. Startup and
    shutdown lifespan hooks run. Raises RuntimeError when the server does not come up
    within 10 seconds (e.g. a failing startup hook). On exit the server shuts down
    gracefully; requests still in flight after a second are cancelled.
    """
    sock = _bind(host, port)
    # log_config=None leaves logging alone, so test runners still capture uvicorn's output.
    # A test's in-flight request (e.g. a stalled one) should not hold up teardown for long.
    server = uvicorn.Server(_config(app, host, port, log_level, 1, log_config=None))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by the starting thread
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"emulator-{sock.getsockname()[1]}", daemon=True)
    try:
        thread.start()
        _wait_started(server, thread, failure)
        yield ServerHandle(host, sock.getsockname()[1])
    finally:
        _stop(server, thread)
        sock.close()


def _wait_started(
    server: uvicorn.Server, thread: threading.Thread, failure: list[BaseException]
) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            cause = failure[0] if failure else None
            raise RuntimeError(
                f"emulator server failed to start ({cause!r}); see the uvicorn log for the cause"
            ) from cause
        if time.monotonic() > deadline:
            raise RuntimeError(f"emulator server did not start within {_START_TIMEOUT:g} s")
        time.sleep(0.01)


def _stop(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(_STOP_GRACE)
    if thread.is_alive():
        server.force_exit = True
        thread.join(_STOP_GRACE)
    if thread.is_alive():
        logger.warning("emulator server thread %s did not stop", thread.name)


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host`` and ``port`` (0: a free port), for `run_server`'s
    ``sock``: binding first tells the real port before serving, with no window in which
    another process could take it."""
    return _bind(host, port)


def run_server(
    app: ASGIApp,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    log_level: str = "info",
    sock: socket.socket | None = None,
) -> None:
    """Serve ``app`` in the foreground until Ctrl-C or SIGTERM, for console scripts.

    With ``sock`` (see `bind_socket`) it serves on that socket instead of binding ``port``.
    """
    server = uvicorn.Server(_config(app, host, port, log_level, 5))
    # uvicorn re-raises the captured SIGINT after its graceful shutdown.
    with suppress(KeyboardInterrupt):
        server.run(sockets=None if sock is None else [sock])


def emulator_fixture(
    factory: Callable[[], ASGIApp], *, scope: str = "function", name: str | None = None
) -> Any:
    """Return a pytest fixture serving ``factory()`` and yielding its `ServerHandle`.

    Use in a conftest: ``emulator = emulator_fixture(create_app)``. The fixture is named after
    the variable it is assigned to, or ``name``. pytest is imported only here, so the kit
    does not need it at runtime.
    """
    import pytest

    def fixture() -> Iterator[ServerHandle]:
        with serve(factory()) as handle:
            yield handle

    return pytest.fixture(fixture, scope=scope, name=name)  # type: ignore[call-overload]
