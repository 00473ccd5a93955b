"""Constants and helpers shared by the prefactor_http tests and their conftest."""

from __future__ import annotations

import uuid
from typing import Any

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
            "params_schema": {
                "type": "object",
                "properties": {"model": {"type": "string"}, "prompt": {"type": "string"}},
                "required": ["model", "prompt"],
            },
            "result_schema": {"type": "object", "properties": {"response": {"type": "string"}}},
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


def fault(spec: str) -> dict[str, str]:
    """Headers that make the emulator inject ``spec`` (``times=N`` counts per call)."""
    return {"X-Emulator-Fault": spec, "X-Emulator-Fault-Key": uuid.uuid4().hex}


def start_emulator(**options: Any) -> PrefactorEmulator:
    """An emulator (not yet started) with a second account and the seed's tokens."""
    return PrefactorEmulator(
        other_tokens={OTHER_TOKEN: OTHER_ACCOUNT, **dict.fromkeys(SEED_TOKENS, DEFAULT_ACCOUNT_ID)},
        other_agents={OTHER_ACCOUNT: (OTHER_AGENT,)},
        **options,
    )
