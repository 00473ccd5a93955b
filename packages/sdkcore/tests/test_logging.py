"""DEBUG logs say what happened, never what is secret."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import httpx
import pytest
from sdkcore_demo import API_KEY, Demo

import sdkcore


def test_debug_log_has_method_url_status_attempt(
    client: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="demo")
    headers = {"X-Emulator-Fault": "status=503;times=1", "X-Emulator-Fault-Key": uuid.uuid4().hex}
    client.items.get("it_001", extra_headers=headers)
    lines = [r.getMessage() for r in caplog.records if r.name == "demo"]
    assert any("GET" in line and "/items/it_001" in line and "-> 503" in line for line in lines)
    assert any("-> 200 (attempt 2" in line for line in lines)
    assert all(API_KEY not in line for line in lines)


def test_failures_are_logged_with_retry_delay(
    client: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="demo")
    headers = {"X-Emulator-Fault": "reset;times=1", "X-Emulator-Fault-Key": uuid.uuid4().hex}
    client.items.get("it_001", extra_headers=headers)
    assert any("retrying in" in r.getMessage() for r in caplog.records if r.name == "demo")


def test_redactor_masks_headers_urls_and_secrets() -> None:
    redactor = sdkcore.Redactor([API_KEY, None, "abc"])
    masked = redactor.headers({"Authorization": "Bearer x", "X-Api-Key": "k", "X-Other": API_KEY})
    assert masked == {
        "Authorization": "<redacted>",
        "X-Api-Key": "<redacted>",
        "X-Other": "<redacted>",
    }
    url = redactor.url(httpx.URL("https://h/p?api_key=secret&page=2"))
    assert "secret" not in url
    assert "page=2" in url
    assert redactor.url(httpx.URL(f"https://h/{API_KEY}")) == "https://h/<redacted>"
    assert redactor.text("abc stays, too short to be a key") == "abc stays, too short to be a key"


def test_logger_is_package_named() -> None:
    assert sdkcore.get_logger("demo") is logging.getLogger("demo")


def test_no_log_records_without_debug(client: Demo, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="demo")
    client.items.get("it_001")
    records: list[Any] = [r for r in caplog.records if r.name == "demo"]
    assert records == []
