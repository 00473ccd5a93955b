"""Fixtures: the demo API served over loopback, and sync/async demo clients bound to it (the
async one once per transport: the default, aiohttp's pool, and httpx's own)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sdkcore_demo import PROFILE, AsyncDemo, Demo, create_app

import sdkcore
from sdkcore.emulator import serve


@pytest.fixture(scope="module")
def demo_app() -> FastAPI:
    """One demo app per test module (its journal is cleared per test)."""
    return create_app()


@pytest.fixture(scope="module")
def demo_server(demo_app: FastAPI) -> Iterator[Any]:
    """The demo API on a free loopback port."""
    with serve(demo_app) as handle:
        yield handle


@pytest.fixture
def journal(demo_app: FastAPI) -> Any:
    """The demo app's request journal, empty at the start of each test."""
    demo_app.state.journal.clear()
    return demo_app.state.journal


@pytest.fixture
def client(demo_server: Any, journal: Any) -> Iterator[Demo]:
    """A blocking demo client."""
    with Demo(base_url=demo_server.url) as c:
        yield c


@pytest.fixture(params=["aiohttp", "httpx"])
async def aclient(
    request: pytest.FixtureRequest, demo_server: Any, journal: Any
) -> AsyncIterator[AsyncDemo]:
    """An async demo client: with its default transport (aiohttp's pool), then forced onto
    httpx's own pool, so every async test covers both."""
    if request.param == "aiohttp":
        async with AsyncDemo(base_url=demo_server.url) as c:
            yield c
        return
    async with (
        sdkcore.async_http_client(transport="httpx", limits=PROFILE.limits) as http,
        AsyncDemo(base_url=demo_server.url, http_client=http) as c,
    ):
        yield c
