"""Retries against real faults: statuses, Retry-After, resets, timeouts, idempotency keys."""

from __future__ import annotations

import email.utils
import pickle
import time
from typing import Any

import httpx
import pytest
from sdkcore_demo import (
    AsyncDemo,
    Demo,
    DemoConnectionError,
    DemoRateLimited,
    DemoServerError,
    DemoTimeout,
)

import sdkcore
from sdkcore.emulator import fault_headers


def attempts(journal: Any, path: str) -> list[Any]:
    return [entry for entry in journal.entries if entry.path == path]


def test_retries_503_then_succeeds(client: Demo, journal: Any) -> None:
    raw = client.items.with_raw_response.get(
        "it_001", extra_headers=fault_headers("status=503;times=2")
    )
    assert raw.parse().item_id == "it_001"
    assert raw.retries_taken == 2
    assert len(attempts(journal, "/items/it_001")) == 3


async def test_async_retries_429_with_retry_after(aclient: AsyncDemo, journal: Any) -> None:
    raw = await aclient.items.with_raw_response.get(
        "it_002", extra_headers=fault_headers("status=429;retry_after=0;times=1")
    )
    assert raw.retries_taken == 1


@pytest.mark.parametrize(
    "spec",
    ["status=503;retry_after_ms=5;times=1", "status=503;retry_after=1;retry_after_date=1;times=1"],
)
def test_retry_after_variants_are_honoured(client: Demo, spec: str) -> None:
    raw = client.items.with_raw_response.get("it_001", extra_headers=fault_headers(spec))
    assert raw.retries_taken == 1


def test_exhausted_retries_raise_the_typed_error(client: Demo, journal: Any) -> None:
    with pytest.raises(DemoServerError) as info:
        client.items.get("it_001", extra_headers=fault_headers("status=503"))
    assert info.value.status_code == 503
    assert len(attempts(journal, "/items/it_001")) == 3


def test_max_retries_zero_and_per_request_override(client: Demo, journal: Any) -> None:
    with pytest.raises(DemoRateLimited):
        client.items.get("it_001", max_retries=0, extra_headers=fault_headers("status=429"))
    assert len(attempts(journal, "/items/it_001")) == 1
    journal.clear()
    no_retry = client.with_options(max_retries=0)
    with pytest.raises(DemoRateLimited):
        no_retry.items.get("it_001", extra_headers=fault_headers("status=429"))
    assert len(attempts(journal, "/items/it_001")) == 1
    journal.clear()
    raw = no_retry.items.with_raw_response.get(
        "it_001", max_retries=4, extra_headers=fault_headers("status=429;retry_after=0;times=4")
    )
    assert raw.retries_taken == 4


def test_too_long_retry_after_is_not_waited_for(client: Demo, journal: Any) -> None:
    with pytest.raises(DemoRateLimited) as info:
        client.items.get("it_001", extra_headers=fault_headers("status=429;retry_after=3600"))
    assert len(attempts(journal, "/items/it_001")) == 1
    assert info.value.retry_after == 3600.0


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("status=429;retry_after_ms=20", 0.02),
        ("status=429;retry_after=0.03", 0.03),
        ("status=429", None),
    ],
)
def test_rate_limit_after_exhausted_retries_carries_retry_after(
    client: Demo, journal: Any, spec: str, expected: float | None
) -> None:
    with pytest.raises(sdkcore.RateLimitError) as info:
        client.items.get("it_001", extra_headers=fault_headers(spec))
    error = info.value
    assert isinstance(error, DemoRateLimited)
    assert isinstance(error, sdkcore.APIStatusError)
    assert (error.status_code, error.retry_after) == (429, expected)
    assert len(attempts(journal, "/items/it_001")) == 3
    assert pickle.loads(pickle.dumps(error)).retry_after == expected


async def test_async_rate_limit_with_http_date_retry_after(
    aclient: AsyncDemo, journal: Any
) -> None:
    # Emulator dates round up to the next whole second, so the wait lies in (0, 61].
    with pytest.raises(DemoRateLimited) as info:
        await aclient.items.get(
            "it_002", extra_headers=fault_headers("status=429;retry_after=60;retry_after_date=1")
        )
    assert info.value.retry_after is not None
    assert 0 < info.value.retry_after <= 61
    assert len(attempts(journal, "/items/it_002")) == 1


def test_error_map_defaults_429_to_rate_limit_error() -> None:
    errors = sdkcore.ErrorMap(
        status={}, server_error=sdkcore.APIStatusError, fallback=sdkcore.APIStatusError
    )
    assert errors.status_class(429) is sdkcore.RateLimitError
    assert errors.status_class(428) is sdkcore.APIStatusError


def test_unsafe_post_is_not_retried_after_a_server_error(client: Demo, journal: Any) -> None:
    with pytest.raises(DemoServerError):
        client.items.echo(
            method="POST", body={}, safe=False, extra_headers=fault_headers("status=503;times=1")
        )
    assert len(attempts(journal, "/echo")) == 1


def test_unsafe_post_is_retried_when_the_server_did_not_process_it(
    client: Demo, journal: Any
) -> None:
    result = client.items.echo(
        method="POST",
        body={},
        safe=False,
        extra_headers=fault_headers("status=429;retry_after=0;times=1"),
    )
    assert result["method"] == "POST"
    assert len(attempts(journal, "/echo")) == 2


def test_post_marked_safe_is_retried(client: Demo, journal: Any) -> None:
    client.items.echo(
        method="POST", body={}, safe=True, extra_headers=fault_headers("status=500;times=2")
    )
    assert len(attempts(journal, "/echo")) == 3


def test_idempotency_key_is_generated_once_and_reused(client: Demo, journal: Any) -> None:
    item = client.items.create("widget", extra_headers=fault_headers("status=503;times=2"))
    sent = attempts(journal, "/items")
    keys = {dict(entry.headers)["idempotency-key"] for entry in sent}
    assert len(sent) == 3
    assert len(keys) == 1
    assert next(iter(keys)).startswith("demo-retry-")
    again = client.items.create("widget", idempotency_key=next(iter(keys)))
    assert again.item_id == item.item_id


async def test_reset_is_retried_for_get_and_typed_when_exhausted(
    aclient: AsyncDemo, journal: Any
) -> None:
    item = await aclient.items.get("it_004", extra_headers=fault_headers("reset;times=1"))
    assert item.item_id == "it_004"
    with pytest.raises(DemoConnectionError) as info:
        await aclient.items.get("it_004", extra_headers=fault_headers("reset"))
    assert not isinstance(info.value, DemoTimeout)
    assert info.value.request.url.path == "/items/it_004"


def test_reset_on_unsafe_post_is_not_retried(client: Demo, journal: Any) -> None:
    with pytest.raises(DemoConnectionError):
        client.items.echo(
            method="POST", body={}, safe=False, extra_headers=fault_headers("reset;times=1")
        )
    assert len(attempts(journal, "/echo")) == 1


def test_truncated_body_is_a_connection_error(client: Demo) -> None:
    with pytest.raises(DemoConnectionError):
        client.items.get("it_001", max_retries=0, extra_headers=fault_headers("truncate"))


def test_read_timeout_maps_to_timeout_error(client: Demo) -> None:
    with pytest.raises(DemoTimeout) as info:
        client.items.get(
            "it_001", timeout=0.2, max_retries=0, extra_headers=fault_headers("delay=2")
        )
    assert isinstance(info.value, sdkcore.APIConnectionError)
    assert str(info.value) == "Request timed out."


async def test_timeout_then_success_with_retry(aclient: AsyncDemo) -> None:
    # The delay is far past the timeout, and the timeout far past an answer on a loaded machine.
    item = await aclient.items.get(
        "it_001", timeout=1.0, extra_headers=fault_headers("delay=5;times=1")
    )
    assert item.item_id == "it_001"


def test_connect_errors_are_retried_and_mapped() -> None:
    with socket_free_port() as port:
        client = Demo(base_url=f"http://127.0.0.1:{port}")
        with pytest.raises(DemoConnectionError) as info:
            client.items.get("x")
        assert isinstance(info.value.__cause__, httpx.ConnectError)
        client.close()


def test_deadline_stops_retrying(client: Demo, journal: Any) -> None:
    # Waits of 0.25 s fit at most 6 times in 1.5 s, so at most 7 of the 101 allowed attempts
    # happen however fast the machine; a second one needs only the first back within 1.25 s.
    policy = sdkcore.RetryPolicy(max_retries=100, initial_delay=0.25, max_delay=0.25, jitter=0.0)
    bounded = client.with_options(retry_policy=policy.with_changes(deadline=1.5))
    with pytest.raises(DemoServerError):
        bounded.items.get("it_001", extra_headers=fault_headers("status=503"))
    assert 2 <= len(attempts(journal, "/items/it_001")) <= 7


def test_parse_retry_after() -> None:
    now = time.time()
    future = email.utils.formatdate(now + 30, usegmt=True)
    assert sdkcore.parse_retry_after({"retry-after": "2"}) == 2.0
    assert sdkcore.parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert sdkcore.parse_retry_after({"retry-after-ms": "x", "retry-after": "1"}) == 1.0
    parsed = sdkcore.parse_retry_after({"retry-after": future}, now=now)
    assert parsed is not None
    assert 28 <= parsed <= 31
    assert sdkcore.parse_retry_after({"retry-after": "soon"}) is None
    assert sdkcore.parse_retry_after({}) is None
    assert sdkcore.parse_retry_after({"retry-after": "-5"}) == 0.0
    naive = email.utils.formatdate(now + 30)  # "-0000": no zone, which still means GMT
    parsed_naive = sdkcore.parse_retry_after({"retry-after": naive}, now=now)
    assert parsed_naive is not None
    assert 28 <= parsed_naive <= 31


def test_backoff_grows_with_jitter_and_cap() -> None:
    policy = sdkcore.RetryPolicy(initial_delay=0.5, max_delay=8.0, multiplier=2.0, jitter=0.25)
    for n in range(8):
        delay = policy.backoff(n)
        base = min(0.5 * 2**n, 8.0)
        assert base * 0.75 <= delay <= min(base * 1.25, 8.0)
    assert sdkcore.RetryPolicy(jitter=0.0).backoff(1) == 1.0


def test_retry_status_rules() -> None:
    policy = sdkcore.RetryPolicy()
    assert policy.is_retryable_status(503, safe=True)
    assert policy.is_retryable_status(599, safe=True)
    assert not policy.is_retryable_status(400, safe=True)
    assert not policy.is_retryable_status(503, safe=False)
    assert policy.is_retryable_status(429, safe=False)
    assert sdkcore.RetryPolicy(retry_unsafe=True).is_retryable_status(503, safe=False)
    assert not sdkcore.RetryPolicy(retry_server_errors=False).is_retryable_status(599, safe=True)


class socket_free_port:
    """A loopback port that refuses connections: bound but not listening for the length of
    the block (a port released at once could be taken by another process meanwhile)."""

    def __enter__(self) -> int:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        port: int = self._sock.getsockname()[1]
        return port

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


def test_give_up_hook_sees_the_final_error_and_the_retries_taken(demo_server: Any) -> None:
    seen: list[tuple[type[Exception], int]] = []

    class Exhausting(Demo):
        def _give_up(self, op: Any, error: Exception, retries: int) -> Exception:
            seen.append((type(error), retries))
            return RuntimeError(f"gave up after {retries} retries")

    with (
        Exhausting(base_url=demo_server.url, max_retries=2) as client,
        pytest.raises(RuntimeError, match="after 2 retries") as info,
    ):
        client.items.get("it_001", extra_headers=fault_headers("status=503"))
    assert seen == [(DemoServerError, 2)]
    assert info.value.__cause__ is None
