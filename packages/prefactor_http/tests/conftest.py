"""Fixtures: ``emulator`` (one per module), ``fresh_emulator`` (one per test), ``client`` /
``aclient`` (blocking / async SDK clients on ``emulator``, fast retries), ``http`` (plain
httpx on ``emulator``'s API root)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
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


@pytest.fixture
def http(emulator: PrefactorEmulator) -> Iterator[httpx.Client]:
    """Plain HTTP on the emulator with its token."""
    headers = {"Authorization": f"Bearer {emulator.api_token}"}
    with httpx.Client(base_url=f"{emulator.url}/api/v1", headers=headers, timeout=5) as client:
        yield client
