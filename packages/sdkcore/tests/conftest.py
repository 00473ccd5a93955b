"""Fixtures: the demo API served over loopback, and sync/async demo clients bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sdkcore_demo import AsyncDemo, Demo, create_app

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


@pytest.fixture
async def aclient(demo_server: Any, journal: Any) -> AsyncIterator[AsyncDemo]:
    """An async demo client."""
    async with AsyncDemo(base_url=demo_server.url) as c:
        yield c
