"""SVG bar charts of a `make bench` results file, one per workload family (results section).

The docs build draws them from `bench/results.json`, so the charts always show the numbers the
tables show. Plain SVG written here: a chart library would be a large dependency for a few bars.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

WIDTH = 820
LABEL_WIDTH = 360
BAR_HEIGHT = 16
ROW_GAP = 8
TOP = 54
RIGHT_PAD = 70

# A row's baseline is a public package when its name says so; otherwise a raw client.
_PUBLIC = re.compile(r"PyPI|public|\d+\.\d+\.\d+")
_COLOURS = {"raw": "#3f51b5", "public": "#ef6c00", "ours": "#2e7d32"}
_LEGEND = {
    "raw": "vs a raw client (httpx, aiohttp, httpx-sse, json)",
    "public": "vs a public package from PyPI",
    "ours": "ours",
}
# Sections tabulated as cells: which column holds the value and which its per-round spread.
_CELL_COLUMNS = {
    "req/s spread": "req/s (median)",
    "clawops spread (ms)": "import clawops (ms)",
}
# Sections tabulated as cells of our own figures alone: the value column, without a spread.
_PLAIN_VALUES = ("completions/s",)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, spread (lowest, highest) and colour key."""

    label: str
    value: float
    spread: tuple[float, float] | None
    kind: str


@dataclass(frozen=True)
class Chart:
    """A drawn chart: a file-name slug, its title and the SVG document."""

    slug: str
    title: str
    svg: str


def slugify(text: str) -> str:
    """A file-name-safe slug of a section title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def charts(results: dict[str, Any]) -> list[Chart]:
    """Every chart the results file supports, in the order of its sections."""
    drawn = []
    for section in results.get("sections", []):
        title = str(section.get("title", ""))
        if section.get("rows"):
            bars, axis = (
                _ratio_bars(section["rows"]),
                "ratio: SDK time / baseline time (< 1: ours faster)",
            )
            reference: float | None = 1.0
        else:
            found = _cell_bars(section.get("columns", []), section.get("cells", []))
            if found is None:
                continue
            bars, axis = found
            reference = None
        if bars:
            drawn.append(Chart(slugify(title), title, _svg(title, axis, bars, reference)))
    return drawn


def _ratio_bars(rows: Iterable[dict[str, Any]]) -> list[Bar]:
    bars = []
    for row in rows:
        value = row.get("paired_ratio") or row.get("ratio")
        if value is None:
            continue
        low_high = row.get("ratio_spread")
        spread = (float(low_high[0]), float(low_high[1])) if low_high else None
        kind = "public" if _PUBLIC.search(str(row.get("baseline", ""))) else "raw"
        label = f"{row.get('benchmark', '')}: vs {row.get('baseline', '')}"
        bars.append(Bar(label, float(value), spread, kind))
    return bars


def _number(text: str) -> float:
    return float(text.replace(",", "").rstrip("x").lstrip("+"))


def _cell_bars(
    columns: Sequence[str], cells: Sequence[Sequence[str]]
) -> tuple[list[Bar], str] | None:
    spread_column = next((c for c in columns if c in _CELL_COLUMNS), None)
    value_column = (
        _CELL_COLUMNS[spread_column]
        if spread_column
        else next((c for c in columns if c in _PLAIN_VALUES), None)
    )
    if value_column is None or not cells:
        return None
    value_at = columns.index(value_column)
    labels = [i for i, name in enumerate(columns) if i < value_at and name != "rounds"]
    bars = []
    for cell in cells:
        label = " · ".join(cell[i] for i in labels)
        spread = None
        if spread_column is not None:
            low, _, high = cell[columns.index(spread_column)].partition("-")
            spread = (_number(low), _number(high)) if high else None
        kind = (
            "ours"
            if ("ours" in label or "sdkcore" in label or spread_column is None)
            else ("public" if _PUBLIC.search(label) else "raw")
        )
        bars.append(Bar(label, _number(cell[value_at]), spread, kind))
    return bars, value_column


def _svg(title: str, axis: str, bars: Sequence[Bar], reference: float | None) -> str:
    top = max([b.value for b in bars] + [hi for b in bars if b.spread for hi in b.spread[1:]])
    if reference is not None:
        top = max(top, reference)
    scale = (WIDTH - LABEL_WIDTH - RIGHT_PAD) / (top * 1.05 or 1.0)
    height = TOP + len(bars) * (BAR_HEIGHT + ROW_GAP) + 40
    whiskers = "; whiskers: lowest-highest round" if any(b.spread for b in bars) else ""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12" role="img">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="8" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<text x="8" y="38" fill="#555">{escape(axis)}{whiskers}</text>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + ROW_GAP)
        width = bar.value * scale
        label = escape(bar.label[:58])
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end">{label}</text>')
        out.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{_COLOURS[bar.kind]}"><title>{escape(bar.label)}: {bar.value:,.2f}</title>'
            "</rect>"
        )
        if bar.spread:
            low, high = (LABEL_WIDTH + v * scale for v in bar.spread)
            mid = y + BAR_HEIGHT / 2
            out.append(
                f'<path d="M{low:.1f} {mid}H{high:.1f}M{low:.1f} {mid - 4}V{mid + 4}'
                f'M{high:.1f} {mid - 4}V{mid + 4}" stroke="#222" fill="none"/>'
            )
        right = LABEL_WIDTH + max(width, bar.spread[1] * scale if bar.spread else 0) + 4
        shown = f"{bar.value:,.2f}" if bar.value < 100 else f"{bar.value:,.0f}"
        out.append(f'<text x="{right:.1f}" y="{y + 12}" fill="#333">{shown}</text>')
    if reference is not None:
        x = LABEL_WIDTH + reference * scale
        out.append(
            f'<path d="M{x:.1f} {TOP - 6}V{height - 34}" stroke="#c62828" stroke-dasharray="4 3"/>'
        )
        out.append(f'<text x="{x + 3:.1f}" y="{TOP - 8}" fill="#c62828">1.0 = baseline</text>')
    legend_y = height - 14
    kinds = sorted({b.kind for b in bars})
    for offset, kind in enumerate(kinds):
        x = 8 + offset * 270
        out.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{_COLOURS[kind]}"/>'
        )
        out.append(f'<text x="{x + 16}" y="{legend_y}">{escape(_LEGEND[kind])}</text>')
    out.append("</svg>")
    return "\n".join(out)
