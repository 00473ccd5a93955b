"""``python -m bench``: run every suite, print the tables and write the result files."""

from __future__ import annotations

import argparse
import time

from rich.console import Console

from . import (
    claude_code_api,
    claude_scale,
    claude_service,
    clawops_public,
    concurrency,
    imports,
    prefactor,
    readme,
    report,
    streaming,
    suites,
    unitysvc_suite,
)
from .harness import Section, Settings, Suite
from .progress import SuiteProgress, previous_seconds

SUITES: list[Suite] = [
    # Import times first, while no server competes for the CPUs; this also makes the
    # environments of the public packages that the next suite runs in.
    imports.suite,
    # In-process decoding next, on a small heap: garbage later suites leave would be collected
    # on whichever contender allocates most, blurring a CPU-only comparison.
    streaming.suite,
    clawops_public.suite,
    suites.suite,
    concurrency.suite,
    unitysvc_suite.suite,
    prefactor.suite,
    claude_code_api.suite,
    # Last: they start PostgreSQL and multi-worker services, the heaviest load on the machine.
    claude_service.suite,
    claude_scale.suite,
]
"""Each suite starts its own servers and contenders; add yours here."""

# Seconds after start when rows stop starting rounds (each row still runs one), so that a run
# stays near its budget even on a busy machine. Every suite still runs one round per row after
# it, and server start-up adds up: a --quick run took 5 minutes on 2 cores, a full one is longer.
TIME_LIMIT = {True: 180.0, False: 900.0}


def main() -> None:
    """Parse options, run every suite, print the tables and write the result files."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small counts and a time limit (~5 minutes)"
    )
    names = {_name(suite): suite for suite in SUITES}
    parser.add_argument(
        "--suite",
        action="append",
        choices=sorted(names),
        help="run only this suite (repeatable); the result files are then left as they are",
    )
    started = time.monotonic()
    options = parser.parse_args()
    quick = options.quick
    chosen = options.suite or list(names)
    settings = Settings(quick=quick, deadline=started + TIME_LIMIT[quick])
    facts = report.machine()
    console = Console()
    console.print(report.header(facts), highlight=False, markup=False)
    expected = previous_seconds(report.HERE / "results.json", quick=quick)
    bars = SuiteProgress(chosen, expected, settings.deadline, console)
    sections: list[Section] = []
    with bars.shown():
        for name in chosen:
            with bars.running(name):
                done = names[name](settings)
            console.print("\n" + report.text(done), highlight=False, markup=False)
            sections += done
    elapsed = time.monotonic() - started
    if options.suite:
        print(f"\n{elapsed:.0f} s in all (some suites only: result files not written)")
        return
    report.write(sections, facts, quick=quick, suite_seconds=bars.seconds)
    print(f"\nwrote bench/results.json and bench/results.md; {elapsed:.0f} s in all")
    if not quick:
        for path in readme.update():
            print(f"rewrote the bench tables of {path.name} from results.json")


def _name(suite: Suite) -> str:
    """A suite's name on the command line: its module's, e.g. `claude_service`."""
    return suite.__module__.rsplit(".", 1)[-1]


if __name__ == "__main__":
    main()
