"""A 200 MB body is refused with 413 without the emulator holding it: the server process's
resident memory stays flat, whether the size is declared up front or the body is chunked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BODY = 200 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)
# Far below the body: what the server may grow by while answering (allocator noise, buffers).
ALLOWED_GROWTH = 40 * 1024 * 1024

SERVER = """
import sys
from clawops.emulator import create_app
from clawops.emulator._cli import build_config
from sdkcore.emulator import serve

config = build_config(api_key="sk_test_limit", account_ids=["AC_limit"])
with serve(create_app(config)) as handle:
    print(handle.url, flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    """The ClawOps emulator in a process of its own: its URL and pid."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), "the emulator did not start"
        yield url, process.pid
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _body() -> Iterator[bytes]:
    for _ in range(BODY // len(CHUNK)):
        yield CHUNK


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_200_mb_body_is_refused_and_never_held(server: tuple[str, int], declared: bool) -> None:
    url, pid = server
    headers = {"Authorization": "Bearer sk_test_limit", "Content-Type": "application/json"}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        # Warm up: the first request builds the app's middleware and validators.
        assert client.get("/v1/accounts/AC_limit/calls").status_code == 200
        before = _rss(pid)
        headers = {"Content-Length": str(BODY)} if declared else {}
        response = client.post("/v1/accounts/AC_limit/calls", content=_body(), headers=headers)
        assert response.status_code == 413, response.text
        assert "larger than 8388608 bytes" in response.text
        grown = _rss(pid) - before
        assert grown < ALLOWED_GROWTH, f"server RSS grew by {grown / 2**20:.0f} MiB"
        # The same connection still serves requests.
        assert client.get("/v1/accounts/AC_limit/calls").status_code == 200
