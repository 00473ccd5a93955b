"""Starting and stopping emulator servers: `serve`, `emulator_fixture`, `run_server`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI, Request

from sdkcore.emulator import (
    ServerHandle,
    connection_for,
    emulator_fixture,
    install_faults,
    install_journal,
    serve,
)


def make_app() -> FastAPI:
    """A one-route app reporting whether the kit's connection extension is present."""
    app = FastAPI()

    @app.get("/ping")
    def ping(request: Request) -> dict[str, object]:
        return {"pong": True, "connection": connection_for(request.scope) is not None}

    return app


served = emulator_fixture(make_app)
named = emulator_fixture(make_app, scope="module", name="named_emulator")


def free_port() -> int:
    """A port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_on_a_free_port_and_stop() -> None:
    with serve(make_app()) as first, serve(make_app()) as second:
        assert first.host == "127.0.0.1"
        assert first.port != second.port
        assert first.url == f"http://127.0.0.1:{first.port}"
        for handle in (first, second):
            assert httpx.get(f"{handle.url}/ping").json() == {"pong": True, "connection": True}
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{first.url}/ping")


def test_serve_on_a_given_port() -> None:
    port = free_port()
    with serve(make_app(), port=port) as handle:
        assert handle.port == port
        assert httpx.get(f"http://127.0.0.1:{port}/ping").status_code == 200


def test_lifespan_hooks_run() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        events.append("startup")
        yield
        events.append("shutdown")

    with serve(FastAPI(lifespan=lifespan)):
        assert events == ["startup"]
    assert events == ["startup", "shutdown"]


def test_failed_startup_raises() -> None:
    database_missing = True

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if database_missing:
            raise RuntimeError("no database")
        yield

    with pytest.raises(RuntimeError, match="failed to start"), serve(FastAPI(lifespan=lifespan)):
        pass


def test_exit_does_not_hang_on_a_stalled_request() -> None:
    app = make_app()
    install_faults(app)
    journal = install_journal(app)
    errors: list[Exception] = []

    def call(url: str) -> None:
        try:
            httpx.get(f"{url}/ping", headers={"X-Emulator-Fault": "stall=60"}, timeout=60)
        except httpx.HTTPError as exc:
            errors.append(exc)

    with serve(app) as handle:
        caller = threading.Thread(target=call, args=(handle.url,))
        caller.start()
        deadline = time.monotonic() + 5
        while not journal.entries and time.monotonic() < deadline:
            time.sleep(0.01)
    caller.join(10)
    assert not caller.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], httpx.TransportError)


def test_server_handle_url() -> None:
    assert ServerHandle("127.0.0.1", 8000).url == "http://127.0.0.1:8000"
    assert ServerHandle("::1", 8000).url == "http://[::1]:8000"


def test_emulator_fixture(served: ServerHandle) -> None:
    assert httpx.get(f"{served.url}/ping").json()["pong"] is True


def test_named_emulator_fixture(named_emulator: ServerHandle) -> None:
    assert httpx.get(f"{named_emulator.url}/ping").status_code == 200


async def test_serve_with_an_async_client() -> None:
    with serve(make_app()) as handle:
        async with httpx.AsyncClient(base_url=handle.url) as http:
            assert (await http.get("/ping")).json()["pong"] is True


SERVER_SCRIPT = textwrap.dedent(
    """
    from fastapi import FastAPI
    from sdkcore.emulator import bind_socket, run_server

    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"pong": True}

    # Bound here and named before serving: no other process can take the port meanwhile.
    sock = bind_socket("127.0.0.1", 0)
    print(sock.getsockname()[1], flush=True)
    run_server(app, port=sock.getsockname()[1], log_level="warning", sock=sock)
    print("stopped cleanly")
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_run_server_in_the_foreground_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        deadline = time.monotonic() + 15
        while True:
            assert process.poll() is None, process.communicate()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ping", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "run_server did not come up"
                time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "stopped cleanly" in stdout
    assert "Traceback" not in stderr


def test_bound_socket_lets_asyncio_disable_nagle() -> None:
    """asyncio sets TCP_NODELAY only on sockets created with proto IPPROTO_TCP; without it,
    every request on a kept-alive connection stalls on delayed ACKs."""
    import socket

    from sdkcore.emulator._server import _bind

    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
