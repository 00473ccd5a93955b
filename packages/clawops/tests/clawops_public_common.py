"""What the clawops_public_*_script.py runs share. They run in the public package's own venv,
where this folder is on the path (it holds the script) but our packages are not: standard
library only."""

from __future__ import annotations

import time
from typing import Any

FROM = "07052358010"
"""The number the emulator registers on its default account."""


def wait(probe: Any, seconds: float = 20.0) -> Any:
    """Call ``probe`` until it returns something true, and return that; time out after
    ``seconds``."""
    deadline = time.monotonic() + seconds
    while not (value := probe()):
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.05)
    return value
