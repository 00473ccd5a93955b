"""Each seed exception, produced by its real condition over HTTP and checked with its fields."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import claude_code_api
from claude_code_api import (
    APITimeoutError,
    AsyncClaudeClient,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    ClaudeAPIError,
    ClaudeClient,
    RateLimitError,
    TaskTimeoutError,
)
from claude_code_api.service import ClaudeService

SLOW = {"engine_options": {"chunk_delay": 0.25}}


def test_unknown_key_is_authentication_error(service: ClaudeService) -> None:
    bad = ClaudeClient(base_url=service.url, api_key="cc_" + "f" * 40)
    with bad, pytest.raises(AuthenticationError) as caught:
        bad.complete("Hello")
    error = caught.value
    assert error.status_code == 401
    assert error.body["detail"] == "Invalid or revoked API key"
    assert error.request.url.path == "/v1/chat/completions"
    assert isinstance(error, ClaudeAPIError)
    assert "f" * 40 not in str(error) + repr(error)


def test_revoked_key_is_authentication_error(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    key = make_key()
    with ClaudeClient(**service.client_kwargs(key)) as client:
        assert client.complete("before").content
        record = service.admin.find_key(key)
        assert record is not None
        service.admin.update_key(record.id, revoked=True)
        with pytest.raises(AuthenticationError):
            client.complete("after")


def test_profile_refusal_is_permission_error(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    with ClaudeClient(**service.client_kwargs(make_key("free-only", profile="free"))) as client:
        with pytest.raises(claude_code_api.PermissionError) as caught:
            client.agentic_task("Count files", allow_tools=["Bash"])
        assert caught.value.status_code == 403
        assert caught.value.message == (
            "Permission denied: tool(s) Bash not allowed for profile free"
        )
        assert isinstance(caught.value, builtins.PermissionError)
        with pytest.raises(claude_code_api.PermissionError, match="agent"):
            client.agentic_task("Audit", allow_agents=["security-auditor"])
        with pytest.raises(claude_code_api.PermissionError, match="timeout 120 s above"):
            client.agentic_task("Read", allow_tools=["Read"], timeout=120)
        with pytest.raises(claude_code_api.PermissionError, match=r"max_cost 0\.5 USD above"):
            client.agentic_task("Read", allow_tools=["Read"], timeout=30, max_cost=0.5)
        assert client.get_usage().total_requests == 0  # nothing ran


def test_project_the_key_may_not_use_is_permission_error(client: ClaudeClient) -> None:
    with pytest.raises(claude_code_api.PermissionError, match="may not act for project 'other'"):
        client.complete("Hello", project_id="other")


def test_rate_limit_error_carries_retry_after(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    key = make_key(rate_limit=2)
    with ClaudeClient(**service.client_kwargs(key), max_retries=0) as client:
        client.complete("one")
        client.get_usage()
        with pytest.raises(RateLimitError) as caught:
            client.complete("three")
    error = caught.value
    assert error.status_code == 429
    assert error.message == "Rate limit exceeded. Please try again later."
    assert error.retry_after is not None
    assert 1 <= error.retry_after <= 60


def test_completion_over_its_timeout_is_timeout_error(
    start_service: Callable[..., ClaudeService],
) -> None:
    slow = start_service(**SLOW)
    with ClaudeClient(**slow.client_kwargs(slow.create_key())) as client:
        with pytest.raises(claude_code_api.TimeoutError) as caught:
            client.complete("Write a long story", timeout=1)
        assert isinstance(caught.value, TaskTimeoutError)
        assert isinstance(caught.value, builtins.TimeoutError)
        assert caught.value.status_code == 504
        assert caught.value.body["status"] == "timeout"
        usage = client.get_usage()
    assert usage.total_tokens > 0  # what ran before the timeout is booked


def test_task_over_its_timeout_stops_with_status(
    start_service: Callable[..., ClaudeService],
) -> None:
    slow = start_service(**SLOW)
    client = ClaudeClient(**slow.client_kwargs(slow.create_key()))
    with client, pytest.raises(TaskTimeoutError) as caught:
        client.agentic_task("Summarise", allow_tools=["Glob", "Write"], timeout=1)
    body = caught.value.body
    assert body["status"] == "timeout"
    assert body["execution_log"][0]["tool"] == "Glob"
    assert body["id"].startswith("task_")


def test_client_side_timeout_is_timeout_error(
    start_service: Callable[..., ClaudeService],
) -> None:
    slow = start_service(**SLOW)
    key = slow.create_key()
    client = ClaudeClient(base_url=slow.url, api_key=key, timeout=0.5, max_retries=0)
    with client, pytest.raises(APITimeoutError) as caught:
        client.complete("Hello")
    assert isinstance(caught.value, claude_code_api.TimeoutError)
    assert isinstance(caught.value, builtins.TimeoutError)


def test_budget_exceeded_carries_estimate_and_remaining(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    key = make_key("tight")
    service.admin.set_budget("tight", 0.0001)
    with ClaudeClient(**service.client_kwargs(key)) as client:
        with pytest.raises(BudgetExceededError) as caught:
            client.complete("Explain quantum computing", model="opus")
        error = caught.value
        assert error.status_code == 402
        assert error.estimated_cost is not None
        assert error.remaining == pytest.approx(0.0001)
        assert error.estimated_cost > error.remaining
        assert client.get_usage().total_requests == 0
        cheap = client.complete("Hi", model="haiku", max_tokens=5)  # fits the budget
        assert cheap.cost < 0.0001


def test_task_over_max_cost_is_stopped(client: ClaudeClient) -> None:
    with pytest.raises(BudgetExceededError) as caught:
        client.agentic_task("Write a report", allow_tools=["Write"], max_cost=0.00002, model="opus")
    error = caught.value
    assert error.body["status"] == "max_cost_exceeded"
    assert error.estimated_cost is not None
    assert error.estimated_cost > 0.00002
    assert error.remaining == 0.0
    assert error.body["artifacts"][0]["path"] == "SUMMARY.md"


def test_unknown_agent_is_bad_request(client: ClaudeClient) -> None:
    with pytest.raises(BadRequestError, match="allow_agents") as caught:
        client.agentic_task("Audit", allow_agents=["nobody"])
    assert caught.value.status_code == 422


async def test_async_client_raises_the_same_errors(service: ClaudeService) -> None:
    async with AsyncClaudeClient(base_url=service.url, api_key="cc_" + "0" * 40) as bad:
        with pytest.raises(AuthenticationError):
            await bad.complete("Hello")
        with pytest.raises(AuthenticationError):
            async for _ in bad.stream("Hello"):
                pass


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.complete(""), "prompt must be a non-empty string"),
        (lambda c: c.complete("x", model="gpt-4"), "model must be one of"),
        (lambda c: c.complete("x", timeout=0), "timeout must be between 1 and 300"),
        (lambda c: c.agentic_task("x", allow_tools="Read"), "allow_tools must be a list"),
        (lambda c: c.agentic_task("x", max_cost=-1), "max_cost must be a positive"),
        (lambda c: c.batch([]), "prompts must be a non-empty list"),
        (lambda c: c.batch(["ok", ""]), r"prompts\[1\] must be a non-empty string"),
        (lambda c: c.get_usage(period="year"), "period must be one of"),
        (lambda c: c.complete("x", project_id=" "), "project_id must be a non-empty string"),
    ],
)
def test_bad_input_raises_before_any_request(call: Any, message: str) -> None:
    # Nothing listens on port 9: a request would raise a connection error instead.
    client = ClaudeClient(base_url="http://127.0.0.1:9", api_key="cc_" + "1" * 40)
    with client, pytest.raises((ValueError, TypeError), match=message):
        call(client)


def test_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAUDE_API_KEY", raising=False)
    with pytest.raises(ClaudeAPIError, match="CLAUDE_API_KEY"):
        ClaudeClient()


def test_configuration_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_API_KEY", "cc_" + "2" * 40)
    monkeypatch.setenv("CLAUDE_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CLAUDE_TIMEOUT", "12.5")
    with ClaudeClient() as client:
        assert str(client.base_url) == "http://127.0.0.1:9"
        assert client.timeout.read == 12.5
        assert "2" * 40 not in repr(client)
    monkeypatch.setenv("CLAUDE_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="CLAUDE_TIMEOUT"):
        ClaudeClient()


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAUDE_API_URL", raising=False)
    with ClaudeClient(api_key="cc_" + "3" * 40) as client:
        assert client.base_url == httpx.URL("http://localhost:8006")


def test_clear_text_to_a_remote_host_needs_an_explicit_opt_in() -> None:
    key = "cc_" + "4" * 40
    with pytest.raises(ValueError, match="allow_insecure_http"):
        ClaudeClient(base_url="http://claude-api:8006", api_key=key)
    with ClaudeClient(
        base_url="http://claude-api:8006", api_key=key, allow_insecure_http=True
    ) as client:
        assert client.base_url == httpx.URL("http://claude-api:8006")
