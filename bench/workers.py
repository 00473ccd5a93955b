"""Contenders in other processes: each runs `clawops_workload.py` in its own environment and
times its own batches, driven one command at a time so that they never run at once."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from .harness import Workload

SCRIPT = Path(__file__).resolve().parent / "clawops_workload.py"
_STOP_TIMEOUT = 10.0


class Worker:
    """One contender's process: `python -I clawops_workload.py --contender ... --target ...`."""

    def __init__(self, python: Path, contender: str, target: str) -> None:
        # -I: nothing from the checkout or the environment leaks into a public package's run.
        command = [str(python), "-I", str(SCRIPT), "--contender", contender, "--target", target]
        self._proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.info = self._read()

    def _read(self) -> dict[str, Any]:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"bench worker {self._proc.args!r} exited: {self._proc.wait()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, command: Mapping[str, Any]) -> dict[str, Any]:
        """Send one command and wait for its answer."""
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(command) + "\n")
        return self._read()

    def workload(self, name: str, clock: str) -> Workload:
        """`name` ("get" or "list") as a harness workload timed inside the worker by `clock`
        ("wall" or "cpu")."""

        def run(n: int) -> float:
            seconds: float = self.ask({"run": name, "n": n})[clock]
            return seconds

        return run

    def close(self) -> None:
        """Close its stdin (it exits) and reap it."""
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            self._proc.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


@contextmanager
def workers(pythons: Mapping[str, tuple[Path, str]], target: str) -> Iterator[dict[str, Worker]]:
    """A started worker per contender name (its interpreter and contender kind)."""
    with ExitStack() as stack:
        started: dict[str, Worker] = {}
        for name, (python, contender) in pythons.items():
            worker = Worker(python, contender, target)
            stack.callback(worker.close)
            started[name] = worker
        yield started
