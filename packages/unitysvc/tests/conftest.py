"""Fixtures: one emulator per test module (two customers, fast workers), fresh clients per
test; ``fresh_emulator`` for tests that need state of their own."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from unitysvc_fixtures import MAIN_KEY, OTHER_KEY

from unitysvc import AsyncClient, Client
from unitysvc.emulator import UnitysvcEmulator

_OPTIONS: dict[str, Any] = {
    "api_keys": (MAIN_KEY, OTHER_KEY),
    "activation_delay": 0.05,
    "tick": 0.02,
    # Headroom for a loaded 2-core machine (a 1 s wait once turned a replay into a 504), and
    # still under test_gateway's 3 s slow upstream, which must time out.
    "upstream_timeout": 2.5,
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[UnitysvcEmulator]:
    """The emulator shared by one test module."""
    with UnitysvcEmulator(**_OPTIONS) as emu:
        yield emu


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., UnitysvcEmulator]]:
    """Start emulators of this test's own (test options overridden by keyword)."""
    with contextlib.ExitStack() as stack:

        def start(**options: Any) -> UnitysvcEmulator:
            return stack.enter_context(UnitysvcEmulator(**{**_OPTIONS, **options}))

        yield start


@pytest.fixture
def client(emulator: UnitysvcEmulator) -> Iterator[Client]:
    """A blocking client of the first customer; journal cleared."""
    emulator.journal.clear()
    with Client(**emulator.client_kwargs()) as c:
        yield c


@pytest.fixture
async def aclient(emulator: UnitysvcEmulator) -> AsyncIterator[AsyncClient]:
    """An async client of the first customer; journal cleared."""
    emulator.journal.clear()
    async with AsyncClient(**emulator.client_kwargs()) as c:
        yield c


@pytest.fixture
def other_client(emulator: UnitysvcEmulator) -> Iterator[Client]:
    """A blocking client of the second customer."""
    with Client(**{**emulator.client_kwargs(), "api_key": OTHER_KEY}) as c:
        yield c
