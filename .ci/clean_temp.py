"""Run a command with a temp dir of its own; fail when it leaves files or processes behind.

``python .ci/clean_temp.py pytest ...`` sets TMPDIR (and TEMP/TMP) to a fresh directory and
runs the command. When it has exited, what is left in that directory (pytest's own
``pytest-of-*`` base, which it keeps by design, aside) and every process still running
with that TMPDIR in its environment (started by the run and never stopped; they are
terminated) are named and fail the run (exit 1); the directory is removed either way. A
private directory makes the check exact: other programs using the machine's temp dir at
the same time cannot be mistaken for leftovers of the tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


def _processes_with(variable: bytes) -> list[tuple[int, str]]:
    """Running processes (pid, command line) whose environment holds ``variable``."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if variable in (entry / "environ").read_bytes().split(b"\0"):
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                found.append((int(entry.name), command.decode(errors="replace").strip()))
        except OSError:  # gone meanwhile, or not ours
            continue
    return found


def main(argv: list[str]) -> int:
    """Run ``argv``; return its exit status, or 1 when it passed but left temp files."""
    if not argv:
        print("usage: python .ci/clean_temp.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    private = tempfile.mkdtemp(prefix="sdk-tests-tmp-")
    # /tmp's own mode: the store tests run PostgreSQL as another user, in folders made here.
    os.chmod(private, 0o1777)
    try:
        env = {**os.environ, "TMPDIR": private, "TEMP": private, "TMP": private}
        status = subprocess.run(argv, env=env, check=False).returncode
        processes = _processes_with(f"TMPDIR={private}".encode())
        for pid, _ in processes:
            os.kill(pid, signal.SIGTERM)
        files = sorted(name for name in os.listdir(private) if not name.startswith("pytest-of-"))
    finally:
        shutil.rmtree(private, ignore_errors=True)
    leftovers = [f"process {pid}: {command}" for pid, command in processes]
    leftovers += [f"{private}/{name}" for name in files]
    if leftovers:
        print(f"the run left {len(leftovers)} things behind:", file=sys.stderr)
        for line in leftovers:
            print(f"  {line}", file=sys.stderr)
        return status or 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
