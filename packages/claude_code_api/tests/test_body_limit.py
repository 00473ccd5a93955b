"""The service refuses a request body over ``max_body_size`` with 413 before reading it whole,
whether its length is declared or it arrives chunked; the SDK maps that to its status error."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from claude_code_api import ClaudeAPIError, ClaudeClient
from claude_code_api.service import ClaudeService, ServiceConfig

LIMIT = 4096


def _chunks(total: int) -> Iterator[bytes]:
    for start in range(0, total, 512):
        yield b" " * min(512, total - start)


def test_over_limit_bodies_get_413(start_service: Callable[..., ClaudeService]) -> None:
    service = start_service(max_body_size=LIMIT)
    key = service.create_key("test")
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    with httpx.Client(base_url=service.url, headers=headers, timeout=30) as http:
        for content in (b" " * (LIMIT + 1), _chunks(64 * LIMIT)):
            response = http.post("/v1/chat/completions", content=content)
            assert response.status_code == 413
            # The seed's detail, and OpenAI's error object on its path.
            assert response.json()["detail"] == f"request body larger than {LIMIT} bytes"
            assert response.json()["error"]["message"] == response.json()["detail"]
    with ClaudeClient(**service.client_kwargs(key)) as client:
        assert client.complete("small enough").content
        with pytest.raises(ClaudeAPIError) as caught:
            client.complete("x" * LIMIT)
        assert getattr(caught.value, "status_code", None) == 413


def test_the_default_limit_is_8_mib_and_checked() -> None:
    assert ServiceConfig().max_body_size == 8 * 1024 * 1024
    with pytest.raises(ValueError, match="max_body_size"):
        ServiceConfig(max_body_size=-1)
