"""Servers in their own processes: started on a free loopback port, polled until they answer,
and always terminated."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

HOST = "127.0.0.1"
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 5.0
_REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port nothing listens on right now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _uvicorn(app: str, port: int, *options: str) -> list[str]:
    """uvicorn serving `app` as every bench server runs: no access log, which would cost the
    server per request; httptools' parser, which costs it about half what h11's does (uvicorn
    picks it when installed, as with `uvicorn[standard]`), since with h11 the server, not the
    client, set the rate from 10 in flight up and every client at aiohttp's speed measured the
    same; and keep-alive that outlasts a round (with 500 connections httpx's async pool leaves
    some idle for longer than uvicorn's default 5 s, and a raw client, which does not retry,
    would then hit a connection the server just closed)."""
    return [
        sys.executable, "-m", "uvicorn", app, "--host", HOST, "--port", str(port),
        "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "300",
        "--http", "httptools", *options,
    ]  # fmt: skip


def bench_app_command(port: int) -> list[str]:
    """Serve `bench.app` with uvicorn (see `_uvicorn`)."""
    return _uvicorn("bench.app:app", port)


def wire_command(port: int) -> list[str]:
    """Serve the fixed ClawOps bytes of `bench.clawops_workload` with uvicorn (see `_uvicorn`)."""
    return _uvicorn("bench.clawops_workload:app", port, "--lifespan", "off")


@contextmanager
def running(command: Sequence[str], port: int) -> Iterator[str]:
    """Run `command` (a server listening on `port`) for a ``with`` block; yield its base URL.

    Ready means it answered any HTTP request. Raises RuntimeError, with the server's output,
    if it exits or stays silent for 30 s.
    """
    url = f"http://{HOST}:{port}"
    # A file, not a pipe: a chatty server must never block on a full pipe mid-benchmark.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=_REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(proc, url, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            httpx.get(url, timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.05)
        else:
            return
    log.seek(0)
    output = log.read().decode(errors="replace")
    raise RuntimeError(f"server {proc.args!r} did not become ready:\n{output}")
