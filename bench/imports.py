"""Import cost: fresh interpreters importing a module, minus a bare interpreter's start-up."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

_TIMEOUT = 30.0


def import_ms(modules: Sequence[str], *, runs: int = 7) -> dict[str, float]:
    """Median milliseconds `import <module>` adds to `python -c "pass"`, for each module.

    Runs are interleaved like the request rounds. Bytecode is cached in a temporary directory
    by one untimed round first, so compiling is never measured: installed packages may ship
    without caches, and PYTHONDONTWRITEBYTECODE would otherwise make every run compile.
    """
    programs = {"": "pass", **{module: f"import {module}" for module in modules}}
    seconds: dict[str, list[float]] = {name: [] for name in programs}
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for round_ in range(runs + 1):
            for name, program in programs.items():
                command = [sys.executable, "-c", program]
                started = time.perf_counter()
                subprocess.run(command, check=True, env=env, timeout=_TIMEOUT)
                if round_:
                    seconds[name].append(time.perf_counter() - started)
    bare = statistics.median(seconds[""])
    return {module: (statistics.median(seconds[module]) - bare) * 1000 for module in modules}
