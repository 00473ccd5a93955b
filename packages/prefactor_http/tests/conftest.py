"""Fixtures: ``emulator`` (one per module), ``fresh_emulator`` (one per test), ``client`` /
``aclient`` (blocking / async SDK clients on ``emulator``, fast retries)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from prefactor_fixtures import FAST_RETRIES, start_emulator

from prefactor_http import PrefactorHttpClient, SyncPrefactorHttpClient
from prefactor_http.emulator import PrefactorEmulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[PrefactorEmulator]:
    """One emulator per test module."""
    with start_emulator() as emu:
        yield emu


@pytest.fixture
def fresh_emulator() -> Iterator[PrefactorEmulator]:
    """An emulator of this test alone."""
    with start_emulator() as emu:
        yield emu


@pytest.fixture
def client(emulator: PrefactorEmulator) -> Iterator[SyncPrefactorHttpClient]:
    """A blocking client on `emulator` with fast retries; journal cleared."""
    emulator.journal.clear()
    with SyncPrefactorHttpClient(emulator.config(**FAST_RETRIES)) as c:
        yield c


@pytest.fixture
async def aclient(emulator: PrefactorEmulator) -> AsyncIterator[PrefactorHttpClient]:
    """An async client on `emulator` with fast retries; journal cleared."""
    emulator.journal.clear()
    async with PrefactorHttpClient(emulator.config(**FAST_RETRIES)) as c:
        yield c
