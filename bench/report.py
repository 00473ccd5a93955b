"""Output: an aligned text table, results.json and a Markdown table for the README."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .harness import Row

HERE = Path(__file__).resolve().parent
COLUMNS = ("benchmark", "SDK", "baseline", "SDK req/s", "baseline req/s", "ratio")


def machine() -> dict[str, Any]:
    """Facts about where the numbers were measured."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "executable": sys.executable,
    }


def _cells(row: Row) -> tuple[str, ...]:
    return (
        f"{row.benchmark} (n={row.requests}, R={len(row.sdk_rounds)})",
        row.sdk,
        row.baseline,
        f"{row.rps(row.sdk_seconds):,.0f}",
        f"{row.rps(row.baseline_seconds):,.0f}",
        f"{row.ratio:.2f}",
    )


def text_table(rows: Sequence[Row]) -> str:
    """The rows as plain aligned text; numbers right-aligned."""
    body = [_cells(row) for row in rows]
    widths = [max(len(line[i]) for line in [COLUMNS, *body]) for i in range(len(COLUMNS))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i < 3 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(COLUMNS), line(["-" * width for width in widths]), *map(line, body)])


def markdown_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table, ready for the README's performance section."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * 3 + "---:|" * 3]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def header(facts: dict[str, Any]) -> str:
    """Where and how the numbers were measured."""
    return (
        f"Python {facts['python']} ({facts['implementation']}), {facts['cpu_count']} CPUs, "
        f"{facts['platform']}\n"
        "req/s from the median wall time of R interleaved rounds of n requests; "
        "ratio = SDK time / baseline time (> 1: SDK slower)"
    )


def write(rows: Sequence[Row], imports: dict[str, float], facts: dict[str, Any]) -> None:
    """Overwrite bench/results.json and bench/results.md with this run's results."""
    results = {
        "machine": facts,
        "rows": [row.to_dict() for row in rows],
        "import_ms": imports,
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    markdown = [
        header(facts).replace("\n", "  \n"),
        "",
        markdown_table(rows),
        "",
        "| import | ms over `python -c pass` |",
        "|---|---:|",
        *(f"| `import {module}` | {ms:.0f} |" for module, ms in imports.items()),
    ]
    (HERE / "results.md").write_text("\n".join(markdown) + "\n")
