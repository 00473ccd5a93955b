"""A message send under injected faults is stored at most once; messaging state survives a
restart of the emulator on the same database."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clawops import (
    APIConnectionError,
    AsyncClawOps,
    ClawOps,
    InternalServerError,
    RetryPolicy,
    ServiceUnavailableError,
)
from clawops.emulator import ClawOpsEmulator
from sdkcore.emulator import fault_headers

FROM = "07052358010"
QUICK = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.05)


@pytest.fixture(scope="module")
def emulator() -> Iterator[ClawOpsEmulator]:
    """A fresh emulator for this module's counts."""
    with ClawOpsEmulator(numbers=(FROM,), message_delay=0.01) as emu:
        yield emu


def recipient() -> str:
    return f"010{random.randrange(10**8):08d}"


def posts(emulator: ClawOpsEmulator) -> int:
    return sum(
        1 for e in emulator.journal.entries if e.method == "POST" and e.path.endswith("/messages")
    )


@pytest.mark.parametrize(
    ("spec", "error", "stored"),
    [
        ("status=503", ServiceUnavailableError, 0),
        ("status=500", InternalServerError, 0),
        ("reset", APIConnectionError, 0),
        ("reset;processed=1", APIConnectionError, 1),
        ("truncate", APIConnectionError, 1),
    ],
)
def test_send_is_never_repeated(
    client: ClawOps, emulator: ClawOpsEmulator, spec: str, error: type[Exception], stored: int
) -> None:
    to = recipient()
    quick = client.with_options(retry_policy=QUICK)
    before = posts(emulator)
    with pytest.raises(error):
        quick.messages.create(
            to=to, from_=FROM, body="once", extra_headers=fault_headers(f"{spec};times=1")
        )
    assert posts(emulator) - before == 1
    assert client.messages.list(number=to).meta.total == stored


def test_send_refused_unprocessed_is_retried_once(
    client: ClawOps, emulator: ClawOpsEmulator
) -> None:
    to = recipient()
    before = posts(emulator)
    message = client.with_options(retry_policy=QUICK).messages.create(
        to=to,
        from_=FROM,
        body="retried",
        extra_headers=fault_headers("status=429;retry_after=0;times=1"),
    )
    assert posts(emulator) - before == 2
    assert [m.message_id for m in client.messages.list(number=to)] == [message.message_id]


def test_listing_is_retried_after_a_reset(client: ClawOps) -> None:
    raw = client.with_options(retry_policy=QUICK).messages.with_raw_response.list(
        extra_headers=fault_headers("reset;times=1")
    )
    assert raw.retries_taken == 1


async def test_async_send_after_written_request_is_stored_once(
    aclient: AsyncClawOps, emulator: ClawOpsEmulator
) -> None:
    to = recipient()
    quick = aclient.with_options(retry_policy=QUICK)
    for spec in ("reset;processed=1;times=1", "status=503;times=1"):
        with pytest.raises((APIConnectionError, ServiceUnavailableError)):
            await quick.messages.create(
                to=to, from_=FROM, body="once", extra_headers=fault_headers(spec)
            )
    assert (await aclient.messages.list(number=to)).meta.total == 1


def test_messaging_state_survives_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "clawops.db")
    options = {"numbers": (FROM,), "message_delay": 0.3, "db": db}
    with ClawOpsEmulator(**options) as first, ClawOps(**first.client_kwargs()) as client:
        message = client.messages.create(to="01012345678", from_=FROM, body="persisted")
        block = client.blocked_recipients.create(recipient="01099990000", channel="message")
        channel = client.kakao.channels.list().data[0].id
    time.sleep(0.7)
    with ClawOpsEmulator(**options) as second, ClawOps(**second.client_kwargs()) as client:
        assert client.messages.get(message.message_id).status == "sent"
        assert client.blocked_recipients.retrieve(block.id).active is True
        assert [c.id for c in client.kakao.channels.list()] == [channel]
        assert client.kakao.templates.list(channel_id=channel).meta.total == 4
        assert [s.number for s in client.sender_numbers.list().sender_numbers] == [FROM]
