"""`install_body_limit`: bodies over the limit get 413 before they are read whole, declared
(Content-Length) or streamed (chunked); upload routes can be allowed more."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from sdkcore.emulator import (
    DEFAULT_MAX_BODY_SIZE,
    BodyLimit,
    Database,
    ServedEmulator,
    install_body_limit,
    install_error_handlers,
    install_journal,
    serve,
)

LIMIT = 1024


def _app(*, journal: bool) -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/uploads/{name}")
    async def upload(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"size": size}

    install_error_handlers(app, lambda status, message, details: {"problem": message})
    if journal:
        install_journal(app)
    install_body_limit(app, LIMIT)
    return app


def _chunks(total: int, size: int = 256) -> Iterator[bytes]:
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


@pytest.fixture(params=[True, False], ids=["journal", "bare"])
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    with serve(_app(journal=request.param)) as handle:
        yield handle.url


def test_bodies_up_to_the_limit_pass(url: str) -> None:
    assert httpx.post(f"{url}/echo", content=b"x" * LIMIT).json() == {"size": LIMIT}
    streamed = httpx.post(f"{url}/echo", content=_chunks(LIMIT))
    assert streamed.json() == {"size": LIMIT}


def test_a_declared_length_over_the_limit_is_refused(url: str) -> None:
    response = httpx.post(f"{url}/echo", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.json() == {"problem": f"request body larger than {LIMIT} bytes"}


def test_a_chunked_body_over_the_limit_is_refused(url: str) -> None:
    response = httpx.post(f"{url}/echo", content=_chunks(LIMIT * 64))
    assert response.status_code == 413
    assert response.json()["problem"].startswith("request body larger")
    # The connection is still usable after the refused body was discarded.
    assert httpx.post(f"{url}/echo", content=b"{}").json() == {"size": 2}


def test_upload_routes_can_be_allowed_more() -> None:
    app = _app(journal=False)
    limit = install_body_limit(app)
    assert limit is app.state.body_limit
    assert limit.max_bytes == LIMIT
    limit.allow(r"/uploads/.*", 64 * LIMIT, method="post")
    limit.allow(r"/echo")
    with serve(app) as handle:
        upload = httpx.post(f"{handle.url}/uploads/a", content=_chunks(64 * LIMIT))
        assert upload.json() == {"size": 64 * LIMIT}
        too_big = httpx.post(f"{handle.url}/uploads/a", content=_chunks(64 * LIMIT + 1))
        assert too_big.status_code == 413
        unlimited = httpx.post(f"{handle.url}/echo", content=b"x" * (128 * LIMIT))
        assert unlimited.json() == {"size": 128 * LIMIT}


def test_the_journal_installs_the_default_limit() -> None:
    app = FastAPI()
    install_journal(app)
    emulator = ServedEmulator(app, Database())
    assert emulator.body_limit.max_bytes == DEFAULT_MAX_BODY_SIZE == 8 * 1024 * 1024
    emulator.body_limit.max_bytes = 10
    with emulator:
        response = httpx.post(f"{emulator.url}/anything", content=b"x" * 11)
        assert response.status_code == 413
        assert response.json() == {"error": "request body larger than 10 bytes"}
        assert len(emulator.journal) == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: BodyLimit(-1), "max_bytes must be a non-negative number of bytes"),
        (lambda: BodyLimit().allow("(", 5), "invalid path pattern"),
        (lambda: BodyLimit().allow("/x", -5), "max_bytes must be"),
    ],
)
def test_bad_limits_are_refused(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
