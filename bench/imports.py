"""Import cost of `clawops`, in clean environments holding only its runtime dependencies: ours
(built from the checkout) and each public release, next to `import httpx, pydantic` there, and
what a first use costs on top (client over a mock transport, one `calls.get`, one `calls.list`):
ours loads models and resources on first use, so `import` alone would flatter it."""

from __future__ import annotations

import resource
import statistics
import subprocess
import tempfile
from pathlib import Path

from . import venvs
from .clawops_public import PUBLIC_VERSIONS, public_name
from .harness import Section, Settings

_TIMEOUT = 60.0
_FIRST_USE = (
    f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
    "import clawops_workload as w; calls = w.sdk_calls('mock'); calls['get'](); calls['list']()"
)
PROGRAMS = {
    "bare": "pass",
    "deps": "import httpx, pydantic",
    "clawops": "import clawops",
    "first_use": _FIRST_USE,
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_ms(pythons: dict[str, Path], runs: int) -> dict[str, dict[str, list[float]]]:
    """Per environment and program, the CPU milliseconds each run added to `python -I -c pass`.

    CPU time (user + system, of the child alone), because on a busy machine a fresh
    interpreter's wall time is mostly waiting for a core. Runs are interleaved like the request
    rounds. Bytecode is cached in a temporary directory by one untimed round first, so
    compiling is never measured.
    """
    seconds: dict[str, dict[str, list[float]]] = {
        env: {name: [] for name in PROGRAMS} for env in pythons
    }
    with tempfile.TemporaryDirectory() as cache:
        for round_ in range(runs + 1):
            for env, python in pythons.items():
                for name, program in PROGRAMS.items():
                    command = [str(python), "-I", "-X", f"pycache_prefix={cache}", "-c", program]
                    started = _children_cpu()
                    subprocess.run(command, check=True, timeout=_TIMEOUT)
                    if round_:
                        seconds[env][name].append(_children_cpu() - started)
    return {
        env: {
            name: [(run - bare) * 1000 for run, bare in zip(runs_, by["bare"], strict=True)]
            for name, runs_ in by.items()
            if name != "bare"
        }
        for env, by in seconds.items()
    }


def suite(settings: Settings) -> list[Section]:
    """`import clawops` in ours and each public release; target: no slower than any of them."""
    ours = "clawops (ours)"
    pythons = {ours: venvs.workspace_clawops()}
    for version in PUBLIC_VERSIONS:
        pythons[public_name(version)] = venvs.public_clawops(version)
    measured = import_ms(pythons, settings.pick(9, 5))
    medians = {
        env: {name: statistics.median(values) for name, values in by.items()}
        for env, by in measured.items()
    }
    cells: list[tuple[str, ...]] = [
        (
            env,
            f"{by['clawops']:.0f}",
            f"{by['deps']:.0f}",
            f"{by['clawops'] - by['deps']:+.0f}",
            f"{min(measured[env]['clawops']):.0f}-{max(measured[env]['clawops']):.0f}",
            f"{by['first_use']:.0f}",
        )
        for env, by in medians.items()
    ]
    fastest_public = min(by["clawops"] for env, by in medians.items() if env != ours)
    verdict = "met" if medians[ours]["clawops"] <= fastest_public else "NOT met"
    return [
        Section(
            title="import clawops, clean environment with runtime dependencies only",
            columns=(
                "environment",
                "import clawops (ms)",
                "import httpx, pydantic (ms)",
                "clawops above them (ms)",
                "clawops spread (ms)",
                "import + first get and list (ms)",
            ),
            cells=cells,
            notes=[
                "CPU ms over `python -I -c pass`, median of interleaved fresh interpreters, "
                f"bytecode cached. Target (no slower than every public release): {verdict}.",
                "Last column: import, a client over httpx.MockTransport, one calls.get and one "
                "calls.list (bench/clawops_workload.py); ours builds models and validators "
                "there, on first use, where the public releases built them at import.",
            ],
            data={"import_ms": measured},
        )
    ]
