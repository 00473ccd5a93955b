"""Constants and helpers shared by the prefactor_http tests and their conftest."""

from __future__ import annotations

from typing import Any

import httpx
from prefactor_llm_schemas import LLM_PARAMS_SCHEMA, LLM_RESULT_SCHEMA

from prefactor_http import HttpClientConfig
from prefactor_http.emulator import DEFAULT_ACCOUNT_ID, PrefactorEmulator

SEED_TOKENS = ("your-api-token", "your-token")
"""Tokens the seed's examples use; the test emulators accept them."""
OTHER_TOKEN = "pfx_test_other_account"
OTHER_ACCOUNT = "acct_other"
OTHER_AGENT = "agent_other"

LLM_SCHEMA_VERSION: dict[str, Any] = {
    "external_identifier": "v1.0.0",
    "span_type_schemas": [
        {
            "name": "agent:llm",
            "title": "LLM Call",
            "params_schema": LLM_PARAMS_SCHEMA,
            "result_schema": LLM_RESULT_SCHEMA,
        }
    ],
}
"""The schema version of the seed's examples."""

VERSION: dict[str, Any] = {"name": "My Agent", "external_identifier": "v1.0.0"}

FAST_RETRIES: dict[str, Any] = {
    "initial_retry_delay": 0.01,
    "max_retry_delay": 0.05,
    "request_timeout": 5.0,
}
"""Config fields for retries fast enough for tests, still exercising backoff."""

_current_url: list[str] = []


def point_seed_examples_at(url: str) -> None:
    """Make `seed_config` build configs for the emulator at ``url``."""
    _current_url[:] = [url]


def seed_config(**fields: Any) -> HttpClientConfig:
    """`HttpClientConfig` as the seed's examples call it, pointed at the test emulator.

    The seed examples import this as ``HttpClientConfig`` (their only change): they name
    https://api.prefactor.ai, which the tests replace with the local emulator.
    """
    return HttpClientConfig(**{**fields, "api_url": _current_url[0]})


def start_emulator(**options: Any) -> PrefactorEmulator:
    """An emulator (not yet started) with a second account and the seed's tokens."""
    return PrefactorEmulator(
        other_tokens={OTHER_TOKEN: OTHER_ACCOUNT, **dict.fromkeys(SEED_TOKENS, DEFAULT_ACCOUNT_ID)},
        other_agents={OTHER_ACCOUNT: (OTHER_AGENT,)},
        **options,
    )


def ok(response: httpx.Response) -> Any:
    """The details (else the body) of a 200 success envelope."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    return body.get("details", body)


def error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The body of an error envelope with ``status`` and ``code``."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "error"
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def register_response(http: httpx.Client, **extra: Any) -> httpx.Response:
    """Register an instance of ``agent_123`` over plain HTTP (``extra`` joins the body)."""
    body = {"agent_id": "agent_123", "agent_version": VERSION, **extra}
    body.setdefault("agent_schema_version", LLM_SCHEMA_VERSION)
    return http.post("/agent_instance/register", json=body)


def register(http: httpx.Client, **extra: Any) -> dict[str, Any]:
    """The instance `register_response` registered."""
    return ok(register_response(http, **extra))  # type: ignore[no-any-return]
