"""Run every SDK quickstart against its embedded emulator: `python -m demo`."""

from __future__ import annotations

import sys
import time

from . import _claude_code_api, _clawops, _prefactor, _unitysvc

QUICKSTARTS = [
    ("ClawOps Voice API (clawops)", _clawops.run),
    ("Prefactor API (prefactor_http)", _prefactor.run),
    ("Claude Code API (claude_code_api)", _claude_code_api.run),
    ("UnitySVC customer API (unitysvc)", _unitysvc.run),
]


def main() -> int:
    """Run the quickstarts in order; a failure stops the demo with a non-zero exit."""
    for title, run in QUICKSTARTS:
        print(f"\n== {title}")
        started = time.monotonic()
        run(lambda line: print(f"   {line}"))
        print(f"   done in {time.monotonic() - started:.1f} s")
    print("\nAll quickstarts ran against local emulators; no network was used.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
