"""``python -m bench``: run every suite against servers in their own processes and report."""

from __future__ import annotations

import argparse
import dataclasses
import secrets
import time

from . import report, servers
from .harness import Row
from .imports import import_ms
from .prefactor import prefactor_rows
from .suites import (
    QUICK,
    Emulator,
    Settings,
    async_rows,
    clawops_overhead_rows,
    clawops_rows,
    sync_rows,
)

# With --quick: seconds after start when rows stop starting rounds, so that start-up, the
# rows and teardown stay near three minutes even on a busy machine.
TIME_LIMIT = 200.0
_NUMBER = "07052358010"


def run(settings: Settings) -> tuple[list[Row], dict[str, float]]:
    """The import times (taken first, while no server competes for the CPUs), then every row."""
    imports = import_ms(["clawops", "httpx"], runs=settings.import_runs)
    # In-process rows first, on a small heap: later suites leave garbage whose collection would
    # land on whichever contender allocates most, blurring a CPU-only comparison.
    overhead = clawops_overhead_rows(settings)
    port = servers.free_port()
    with servers.running(servers.bench_app_command(port), port) as url:
        rows = sync_rows(url, settings) + async_rows(url, settings)
    api_key, account_id = f"sk_test_{secrets.token_hex(8)}", f"AC{secrets.token_hex(16)}"
    port = servers.free_port()
    command = servers.emulator_command(port, api_key=api_key, account_id=account_id, number=_NUMBER)
    with servers.running(command, port) as url:
        rows += clawops_rows(Emulator(url, api_key, account_id, _NUMBER), settings)
    rows += prefactor_rows(settings)
    return overhead + rows, imports


def main() -> None:
    """Parse options, run, print the table and write the result files."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small counts and a time limit (~3 minutes)"
    )
    started = time.monotonic()
    if parser.parse_args().quick:
        settings = dataclasses.replace(QUICK, deadline=started + TIME_LIMIT)
    else:
        settings = Settings()
    facts = report.machine()
    print(report.header(facts), flush=True)
    rows, imports = run(settings)
    print(f"\n{report.text_table(rows)}\n")
    for module, ms in imports.items():
        print(f"import {module}: {ms:.0f} ms over python -c pass")
    report.write(rows, imports, facts)
    elapsed = time.monotonic() - started
    print(f"\nwrote bench/results.json and bench/results.md; {elapsed:.0f} s in all")


if __name__ == "__main__":
    main()
