"""Safe defaults: no key over clear-text HTTP, 429 as `RateLimitError` with its wait, and the
public package's attribute names on SIP credentials."""

from __future__ import annotations

import pytest

import clawops
import sdkcore
from clawops import AsyncClawOps, ClawOps, RateLimitError, RetryPolicy
from clawops.emulator import ClawOpsEmulator
from sdkcore.emulator import fault_headers


@pytest.mark.parametrize("client_class", [ClawOps, AsyncClawOps])
@pytest.mark.parametrize(
    "base_url", ["http://api.claw-ops.com", "http://192.168.1.20:8080", "http://emulator:8080"]
)
def test_clear_text_http_to_another_host_is_refused(
    client_class: type[ClawOps] | type[AsyncClawOps], base_url: str
) -> None:
    with pytest.raises(ValueError, match=r"^base_url .*allow_insecure_http=True"):
        client_class(api_key="sk_test_x", account_id="AC1", base_url=base_url)


def test_clear_text_http_from_the_environment_is_refused_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAWOPS_BASE_URL", "http://10.0.0.7:8080")
    with pytest.raises(ValueError, match="base_url"):
        ClawOps(api_key="sk_test_x", account_id="AC1")


def test_insecure_http_is_accepted_with_the_explicit_opt_in(emulator: ClawOpsEmulator) -> None:
    with ClawOps(**emulator.client_kwargs(), allow_insecure_http=True) as local:
        assert isinstance(local.calls.list().data, list)
    with ClawOps(
        api_key="sk_test_x",
        account_id="AC1",
        base_url="http://emulator:8080/",
        allow_insecure_http=True,
    ) as remote:
        assert str(remote.base_url) == "http://emulator:8080"
        assert "sk_test_x" not in repr(remote)


def test_rate_limit_error_is_in_the_hierarchy() -> None:
    assert issubclass(RateLimitError, clawops.APIStatusError)
    assert issubclass(RateLimitError, sdkcore.RateLimitError)
    assert issubclass(RateLimitError, clawops.ClawOpsError)
    assert "RateLimitError" in clawops.__all__


def test_429_after_exhausted_retries_raises_rate_limit_error(
    client: ClawOps, emulator: ClawOpsEmulator
) -> None:
    quick = client.with_options(
        retry_policy=RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.05)
    )
    emulator.journal.clear()
    with pytest.raises(RateLimitError) as info:
        quick.calls.list(extra_headers=fault_headers("status=429;retry_after_ms=30"))
    error = info.value
    assert (error.status_code, error.retry_after) == (429, 0.03)
    assert error.response.headers["retry-after-ms"] == "30"
    assert isinstance(error.body, dict)
    assert error.message == error.body["error"]
    assert len(emulator.journal.entries) == 3


async def test_async_429_with_a_long_retry_after_raises_at_once(
    aclient: AsyncClawOps, emulator: ClawOpsEmulator
) -> None:
    emulator.journal.clear()
    with pytest.raises(RateLimitError) as info:
        await aclient.calls.list(extra_headers=fault_headers("status=429;retry_after=120"))
    assert info.value.retry_after == 120.0
    assert len(emulator.journal.entries) == 1


def test_429_retry_after_as_http_date(client: ClawOps) -> None:
    with pytest.raises(RateLimitError) as info:
        client.calls.list(
            max_retries=0,
            extra_headers=fault_headers("status=429;retry_after=30;retry_after_date=1"),
        )
    assert info.value.retry_after is not None
    assert 0 < info.value.retry_after <= 31


def test_sip_credential_answers_to_the_public_package_names(client: ClawOps) -> None:
    created = client.sip.credentials.create(display_name="Desk")
    assert (created.id, created.username) == (created.credential_id, created.sip_username)
    fetched = client.sip.credentials.get(created.id)
    assert fetched.id == created.id
    assert fetched.username == created.username
    assert created.id in [c.id for c in client.sip.credentials.list()]
    client.sip.credentials.delete(created.id)
