"""Run tests in a seeded random order, to find tests that depend on the order they run in.

``python .ci/shuffled.py SEED PATH...`` collects the tests under the paths, shuffles their ids
with ``random.Random(SEED)`` and runs them in that order in one process (``-n 0``, stopping at
the first failure), through ``.ci/clean_temp.py`` so leftovers fail the run too. The same seed
gives the same order, so a failure can be replayed. pytest-randomly is not a dependency.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Collect, shuffle and run; return pytest's exit status."""
    if len(argv) < 2 or not argv[0].isdigit():
        print("usage: python .ci/shuffled.py SEED PATH...", file=sys.stderr)
        return 2
    seed, paths = int(argv[0]), argv[1:]
    collect = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    listing = subprocess.run([*collect, *paths], capture_output=True, text=True, check=False)
    ids = [line for line in listing.stdout.splitlines() if "::" in line]
    if not ids:
        print(listing.stdout + listing.stderr, file=sys.stderr)
        return 5
    random.Random(seed).shuffle(ids)
    print(f"seed {seed}: {len(ids)} tests in shuffled order", flush=True)
    run = [sys.executable, "-m", "pytest", "-n", "0", "-x", "-q", "-p", "no:cacheprovider", *ids]
    checked = [sys.executable, str(HERE / "clean_temp.py"), *run]
    return subprocess.run(checked, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
