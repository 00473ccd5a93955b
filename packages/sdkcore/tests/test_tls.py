"""`verify` of the pool a client makes for itself, on both faces, against a real TLS server
with a self-signed certificate (made by the `openssl` command, which .ci/run's machine has)."""

from __future__ import annotations

import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sdkcore_demo import AsyncDemo, Demo, DemoConnectionError

BODY = b'{"itemId": "x", "displayName": "over tls"}'


@pytest.fixture(scope="module")
def tls_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    command = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
    ]
    subprocess.run(
        [*command, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while self._head():
                self.wfile.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY
                )

        def _head(self) -> bool:
            while (line := self.rfile.readline()) not in (b"\r\n", b""):
                pass
            return line == b"\r\n"

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True

        def get_request(self) -> tuple[Any, Any]:
            sock, address = super().get_request()
            try:
                return context.wrap_socket(sock, server_side=True), address
            except OSError:
                sock.close()
                raise

    with Server(("127.0.0.1", 0), Handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"https://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def test_sync_verify(tls_url: str) -> None:
    with Demo(base_url=tls_url, verify=False) as client:
        assert client.items.get("x").display_name == "over tls"
    with Demo(base_url=tls_url, max_retries=0) as client, pytest.raises(DemoConnectionError):
        client.items.get("x")  # self-signed: refused by default


async def test_async_verify(tls_url: str) -> None:
    async with AsyncDemo(base_url=tls_url, verify=False) as client:
        assert (await client.items.get("x")).display_name == "over tls"
    async with AsyncDemo(base_url=tls_url, max_retries=0) as client:
        with pytest.raises(DemoConnectionError):
            await client.items.get("x")
