"""Fixtures: ``emu_*`` for the emulator tests; ``emulator``, ``client`` and ``aclient`` for the
SDK tests (one emulator per module, fresh clients per test; ``aclient`` once per transport)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from clawops_sdk_fixtures import OTHER_ACCOUNT, RESTRICTED_KEY, SIGNING_KEY

import sdkcore
from clawops import AsyncClawOps, ClawOps
from clawops.emulator import ClawOpsEmulator

_EMU_RESTRICTED_KEY = "sk_test_only_other"

# Calls ring and answer almost at once but last a minute, so tests can watch and end them.
_EMU_DEFAULTS: dict[str, Any] = {
    "account_ids": ("AC_test_emulator", "AC_other_emulator"),
    "restricted_keys": {_EMU_RESTRICTED_KEY: ["AC_other_emulator"]},
    "ring_after": 0.02,
    "answer_after": 0.02,
    "call_duration": 60.0,
    "callback_backoff": 0.05,
}


@pytest.fixture
def emu_start() -> Iterator[Callable[..., ClawOpsEmulator]]:
    """Start emulators (test defaults overridden by keyword); all stop after the test."""
    with contextlib.ExitStack() as stack:

        def start(**options: Any) -> ClawOpsEmulator:
            return stack.enter_context(ClawOpsEmulator(**{**_EMU_DEFAULTS, **options}))

        yield start


@pytest.fixture(scope="module")
def emu_shared() -> Iterator[ClawOpsEmulator]:
    """One emulator per test module, for tests whose state no other test depends on."""
    with ClawOpsEmulator(**_EMU_DEFAULTS) as emu:
        yield emu


@pytest.fixture
def emu_server(emu_start: Callable[..., ClawOpsEmulator]) -> ClawOpsEmulator:
    """A running emulator with accounts ``AC_test_emulator`` and ``AC_other_emulator``."""
    return emu_start()


@pytest.fixture
def emu_restricted_key() -> str:
    """An API key of `emu_server` that may use ``AC_other_emulator`` only."""
    return _EMU_RESTRICTED_KEY


@pytest.fixture
def emu_connect() -> Iterator[Callable[..., httpx.Client]]:
    """Open httpx clients on an account's routes; all close after the test."""
    with contextlib.ExitStack() as stack:

        def connect(
            emu: ClawOpsEmulator, account_id: str | None = None, api_key: str | None = None
        ) -> httpx.Client:
            client = httpx.Client(
                base_url=f"{emu.url}/v1/accounts/{account_id or emu.account_id}",
                headers={"Authorization": f"Bearer {api_key or emu.api_key}"},
                timeout=5.0,
            )
            return stack.enter_context(client)

        yield connect


@pytest.fixture
def emu_http(emu_server: ClawOpsEmulator, emu_connect: Callable[..., httpx.Client]) -> httpx.Client:
    """An httpx client on `emu_server`'s first account, with its full-access key."""
    return emu_connect(emu_server)


@pytest.fixture
def emu_shared_http(
    emu_shared: ClawOpsEmulator, emu_connect: Callable[..., httpx.Client]
) -> httpx.Client:
    """An httpx client on `emu_shared`'s first account, with its full-access key."""
    return emu_connect(emu_shared)


@pytest.fixture
def emu_wait() -> Callable[..., Any]:
    """``emu_wait(probe, timeout=10)``: poll until ``probe()`` is truthy and return it."""

    def wait(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while not (result := probe()):
            if time.monotonic() > deadline:
                pytest.fail(f"condition not met within {timeout} s")
            time.sleep(0.01)
        return result

    return wait


@pytest.fixture(scope="module")
def emulator() -> Iterator[ClawOpsEmulator]:
    """An emulator with two accounts, fast call progression and a restricted second key."""
    with ClawOpsEmulator(
        account_ids=("AC1a2b3c4d", OTHER_ACCOUNT),
        signing_key=SIGNING_KEY,
        numbers=("07052358010",),
        restricted_keys={RESTRICTED_KEY: [OTHER_ACCOUNT]},
        ring_after=0.05,
        answer_after=0.1,
        call_duration=0.3,
        callback_backoff=0.05,
    ) as emu:
        yield emu


@pytest.fixture
def client(emulator: ClawOpsEmulator) -> Iterator[ClawOps]:
    """A blocking client bound to the emulator; journal cleared."""
    emulator.journal.clear()
    with ClawOps(**emulator.client_kwargs()) as c:
        yield c


@pytest.fixture(params=["aiohttp", "httpx"])
async def aclient(
    request: pytest.FixtureRequest, emulator: ClawOpsEmulator
) -> AsyncIterator[AsyncClawOps]:
    """An async client bound to the emulator; journal cleared. Once with the default transport
    (aiohttp's pool), once forced onto httpx's own pool."""
    emulator.journal.clear()
    if request.param == "aiohttp":
        async with AsyncClawOps(**emulator.client_kwargs()) as c:
            yield c
        return
    async with (
        sdkcore.async_http_client(transport="httpx") as http,
        AsyncClawOps(**emulator.client_kwargs(), http_client=http) as c,
    ):
        yield c
