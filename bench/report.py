"""Output: aligned text tables, results.json and Markdown tables for the README."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .harness import Row, Section

HERE = Path(__file__).resolve().parent
ROW_COLUMNS = (
    "benchmark",
    "SDK",
    "baseline",
    "SDK req/s",
    "baseline req/s",
    "ratio",
    "spread",
    "target",
)
_LEFT = 3
"""Leading columns of a row table that are text (the rest are right-aligned numbers)."""


def machine() -> dict[str, Any]:
    """Facts about where the numbers were measured."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "executable": sys.executable,
    }


def _target(row: Row) -> str:
    if row.target is None:
        return ""
    return f"<= {row.target:.2f} {'met' if row.met else 'NOT met'}"


def row_cells(row: Row) -> tuple[str, ...]:
    """One comparison as table cells."""
    low, high = row.spread
    return (
        f"{row.benchmark} (n={row.requests}, R={len(row.sdk_rounds)})",
        row.sdk,
        row.baseline,
        f"{row.rps(row.sdk_seconds):,.0f}",
        f"{row.rps(row.baseline_seconds):,.0f}",
        f"{row.paired_ratio:.2f}",
        f"{low:.2f}-{high:.2f}",
        _target(row),
    )


def _tables(section: Section) -> list[tuple[Sequence[str], list[tuple[str, ...]], int]]:
    tables: list[tuple[Sequence[str], list[tuple[str, ...]], int]] = []
    if section.rows:
        tables.append((ROW_COLUMNS, [row_cells(row) for row in section.rows], _LEFT))
    if section.cells:
        tables.append((section.columns, section.cells, 1))
    return tables


def text_table(columns: Sequence[str], body: Sequence[Sequence[str]], left: int) -> str:
    """Plain aligned text; the first `left` columns left-aligned, the others right-aligned."""
    widths = [max(len(line[i]) for line in [columns, *body]) for i in range(len(columns))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(columns), line(["-" * width for width in widths]), *map(line, body)])


def markdown_table(columns: Sequence[str], body: Sequence[Sequence[str]], left: int) -> str:
    """A Markdown table, ready for the README's performance section."""
    align = "|" + "---|" * left + "---:|" * (len(columns) - left)
    lines = ["| " + " | ".join(columns) + " |", align]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


def header(facts: dict[str, Any]) -> str:
    """Where and how the numbers were measured."""
    return (
        f"Python {facts['python']} ({facts['implementation']}), {facts['cpu_count']} CPUs, "
        f"{facts['platform']}\n"
        "req/s from the median time of R interleaved rounds of n requests (wall time, or the "
        "client thread's CPU time where a section says so); ratio = median of the per-round "
        "SDK time / baseline time (> 1: SDK slower); spread = lowest-highest per-round ratio"
    )


def text(sections: Sequence[Section]) -> str:
    """Every section as plain text."""
    parts = []
    for section in sections:
        parts.append(f"== {section.title}")
        parts += [text_table(*table) for table in _tables(section)]
        parts += section.notes
    return "\n\n".join(parts)


def write(
    sections: Sequence[Section],
    facts: dict[str, Any],
    *,
    quick: bool = False,
    suite_seconds: dict[str, float] | None = None,
) -> None:
    """Overwrite bench/results.json and bench/results.md with this run's results; the
    seconds each suite took size the next run's progress bars."""
    results = {
        "machine": facts,
        "quick": quick,
        "suite_seconds": suite_seconds or {},
        "sections": [
            {
                "title": section.title,
                "rows": [row.to_dict() for row in section.rows],
                "columns": list(section.columns),
                "cells": [list(cells) for cells in section.cells],
                "notes": section.notes,
                **section.data,
            }
            for section in sections
        ],
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    markdown = [header(facts).replace("\n", "  \n")]
    for section in sections:
        markdown += ["", f"### {section.title}", ""]
        markdown += [markdown_table(*table) + "\n" for table in _tables(section)]
        markdown += section.notes
    (HERE / "results.md").write_text("\n".join(markdown).rstrip() + "\n")


if __name__ == "__main__":
    # ``python -m bench.report``: rebuild the README's tables from the last run's results.
    from . import readme

    for path in readme.update():
        print(f"rewrote the bench tables of {path.name} from results.json")
