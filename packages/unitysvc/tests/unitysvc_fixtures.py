"""Shared test values for the unitysvc tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

MAIN_KEY = "svcpass_test_main"
OTHER_KEY = "svcpass_test_other"
CHAT = [{"role": "user", "content": "hello from the tests"}]


def wait_for(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``probe`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.02)
    return result
