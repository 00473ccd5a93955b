"""The service's wire behaviour with a raw HTTP client: auth, validation, idempotency, shapes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import httpx
import pytest

from claude_code_api import ClaudeClient
from claude_code_api.service import ClaudeService

CHAT = {"messages": [{"role": "user", "content": "Hello"}], "model": "haiku"}


def test_missing_key_is_401_with_a_challenge(service: ClaudeService) -> None:
    for path in ("/v1/chat/completions", "/v1/route", "/v1/messages"):
        response = httpx.post(f"{service.url}{path}", json=CHAT)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert httpx.get(f"{service.url}/v1/usage").json() == {"detail": "Not authenticated"}


def test_completion_shape(http: httpx.Client) -> None:
    response = http.post("/v1/chat/completions", json=CHAT)
    assert response.status_code == 200
    body = response.json()
    # The seed's fields, and beside them OpenAI's (the openai SDK uses the same path).
    assert {"id", "model", "content", "usage", "cost", "project_id"} <= set(body)
    assert body["model"] == "offline:haiku"
    usage = body["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    # haiku: USD 0.25 / 1.25 per million input / output tokens
    expected = (usage["input_tokens"] * 250 + usage["output_tokens"] * 1250) / 1e9
    assert body["cost"] == pytest.approx(expected)


def test_offline_engine_is_deterministic(http: httpx.Client) -> None:
    first = http.post("/v1/chat/completions", json=CHAT).json()
    second = http.post("/v1/chat/completions", json=CHAT).json()
    assert first["content"] == second["content"]
    assert first["usage"] == second["usage"]
    assert first["id"] != second["id"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"messages": []}, 422),
        ({"messages": [{"role": "user", "content": "x"}], "model": "gpt-4"}, 422),
        ({"messages": [{"role": "user", "content": "x"}], "timeout": 0}, 422),
        ({"messages": [{"role": "robot", "content": "x"}]}, 422),
        ({"messages": [{"role": "user", "content": "x" * 100_001}]}, 400),
        ({"prompt": "x"}, 422),
    ],
)
def test_bad_requests_are_4xx(http: httpx.Client, body: object, status: int) -> None:
    response = http.post("/v1/chat/completions", json=body)
    assert response.status_code == status
    assert "detail" in response.json()


def test_malformed_json_is_422(http: httpx.Client) -> None:
    response = http.post(
        "/v1/chat/completions",
        content=b'{"messages": [',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_unknown_period_is_400(http: httpx.Client) -> None:
    response = http.get("/v1/usage", params={"period": "year"})
    assert response.status_code == 400
    assert response.json()["detail"] == "period must be day, week or month, got 'year'"


def test_idempotency_key_runs_a_completion_once(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    key = make_key("idem")
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": str(uuid.uuid4())}
    with httpx.Client(base_url=service.url, headers=headers) as http:
        first = http.post("/v1/chat/completions", json=CHAT)
        again = http.post("/v1/chat/completions", json=CHAT)
        other = http.post("/v1/chat/completions", json={**CHAT, "model": "opus"})
        usage = http.get("/v1/usage").json()
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert usage["total_requests"] == 1


def test_retry_after_a_lost_response_does_not_run_twice(
    start_service: Callable[..., ClaudeService],
) -> None:
    svc = start_service(fault_injection=True)
    key = svc.create_key("retry")
    fault = {"X-Emulator-Fault": "reset;processed=1;times=1", "X-Emulator-Fault-Key": "lost"}
    with ClaudeClient(**svc.client_kwargs(key), max_retries=2) as client:
        response = client.complete("Hello", extra_headers=fault)
        usage = client.get_usage()
    assert response.content
    assert usage.total_requests == 1  # the first attempt ran; the retry got its answer
    assert usage.total_tokens == response.usage.total_tokens


def test_project_override_header(http: httpx.Client) -> None:
    body = http.post(
        "/v1/chat/completions", json=CHAT, headers={"X-Project-ID": "project-b"}
    ).json()
    assert body["project_id"] == "project-b"
    refused = http.post("/v1/chat/completions", json=CHAT, headers={"X-Project-ID": "nope"})
    assert refused.status_code == 403


def test_route_follows_the_rule(http: httpx.Client) -> None:
    def pick(prompt: str, context_size: int = 0) -> str:
        body = http.post("/v1/route", json={"prompt": prompt, "context_size": context_size})
        return str(body.json()["recommended_model"])

    assert pick("List 3 colors") == "haiku"
    assert pick("Please analyze the architecture of this system") == "sonnet"
    assert pick("Summarise this", context_size=20_000) == "opus"
    assert (
        pick("Tell me something nice about the weather in spring, at some length please")
        == "sonnet"
    )


def test_auto_uses_haiku_when_the_budget_is_low(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    key = make_key("nearly-spent")
    service.admin.set_budget("nearly-spent", 0.05)
    with ClaudeClient(**service.client_kwargs(key)) as client:
        assert client.route("Please analyze this").recommended_model == "haiku"
        assert client.complete("Please analyze this").model == "offline:haiku"


def test_capabilities(http: httpx.Client) -> None:
    body = http.get("/v1/capabilities").json()
    assert {"name", "description", "tools", "model"} <= set(body["agents"][0])
    assert body["total_agents"] == len(body["agents"])
    assert body["profiles"]["enterprise"]["max_cost_per_task"] == 10.0


def test_health_names_the_engine(service: ClaudeService) -> None:
    body = httpx.get(f"{service.url}/health").json()
    assert body["status"] == "healthy"
    assert body["engine"] == "offline"
    assert body["services"]["database"] == {"status": "ok", "dialect": "sqlite"}


def test_openapi_is_served(service: ClaudeService) -> None:
    assert httpx.get(f"{service.url}/docs").status_code == 200
    paths = httpx.get(f"{service.url}/openapi.json").json()["paths"]
    assert {"/v1/chat/completions", "/v1/batch", "/v1/task", "/v1/usage", "/v1/stream"} <= set(
        paths
    )
    wires = {"/v1/models", "/v1/models/{model_id}", "/v1/messages", "/v1/messages/count_tokens"}
    assert wires <= set(paths)
    schemes = httpx.get(f"{service.url}/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
        "description": "`x-api-key: cc_<40 hex>` (Anthropic wire)",
    }


def test_sse_stream_events(http: httpx.Client) -> None:
    with http.stream("POST", "/v1/stream", json=CHAT) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [
            json.loads(line[len("data: ") :])
            for line in response.iter_lines()
            if line.startswith("data: ")
        ]
    tokens = [e["content"] for e in events if e["type"] == "token"]
    assert events[-1]["type"] == "done"
    assert events[-1]["model"] == "offline:haiku"
    complete = http.post("/v1/chat/completions", json=CHAT).json()
    assert "".join(tokens) == complete["content"]
    assert events[-1]["usage"].items() <= complete["usage"].items()


def test_unknown_engine_is_refused_at_start() -> None:
    with pytest.raises(RuntimeError, match="failed to start"), ClaudeService(engine="gpt"):
        pass
