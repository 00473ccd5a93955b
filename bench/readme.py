"""The root README's performance tables, made from ``bench/results.json`` alone.

Each table sits between ``<!-- bench-table:NAME -->`` and ``<!-- /bench-table -->`` in the
README; `update` rewrites what is between them from the results of the last ``make bench``
(``python -m bench.report`` runs it), so the README shows exactly what the run measured.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .report import markdown_table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
READMES = (ROOT / "README.md", ROOT / "packages" / "claude_code_api" / "README.md")
"""The files with marked bench tables."""

_BLOCK = re.compile(r"(<!-- bench-table:(?P<name>[\w-]+) -->\n).*?(?=<!-- /bench-table -->)", re.S)

Results = dict[str, Any]


def _section(results: Results, title_start: str) -> dict[str, Any]:
    for section in results["sections"]:
        if section["title"].startswith(title_start):
            found: dict[str, Any] = section
            return found
    raise LookupError(f"bench/results.json has no section {title_start!r}")


def _ratio(section: dict[str, Any], benchmark: str, baseline: str) -> str:
    return f"{_row(section, benchmark, baseline)['paired_ratio']:.2f}"


SYNC_BASELINES = ("httpx.Client + .json()", "clawops 0.1.0 (PyPI)", "clawops 0.70.0 (PyPI)")
_MOCK = "ClawOps calls and messages over httpx.MockTransport"
_LOOPBACK = "ClawOps calls and messages over loopback"
SYNC_ROWS = (
    (_MOCK, "calls.get, mock", "`calls.get`, MockTransport (client CPU)"),
    (_MOCK, "calls.list, mock", "`calls.list` (20 calls, every attribute read), MockTransport"),
    (_MOCK, "messages.create, mock", "`messages.create` (SMS), MockTransport"),
    (_MOCK, "messages.list, mock", "`messages.list` (20 messages), MockTransport"),
    (_LOOPBACK, "calls.get, loopback",
     "`calls.get`, loopback to a fixed-bytes uvicorn app (wall time)"),
    (_LOOPBACK, "calls.list, loopback", "`calls.list` (20), loopback"),
    (_LOOPBACK, "messages.create, loopback", "`messages.create` (SMS), loopback"),
    (_LOOPBACK, "messages.list, loopback", "`messages.list` (20), loopback"),
)  # fmt: skip
# clawops 0.1.0 has no messages: those rows have no ratio against it.
_NOT_IN = {("messages", "clawops 0.1.0 (PyPI)")}


def sync_table(results: Results) -> str:
    """Sync ClawOps calls and messages against raw httpx and both public releases (paired
    ratios)."""
    body = [
        (
            label,
            *(
                "n/a"
                if (name.partition(".")[0], base) in _NOT_IN
                else _ratio(_section(results, title), name, base)
                for base in SYNC_BASELINES
            ),
        )
        for title, name, label in SYNC_ROWS
    ]
    columns = ("workload", "vs raw httpx + `.json()`", "vs clawops 0.1.0", "vs clawops 0.70.0")
    return markdown_table(columns, body, 1)


ASYNC_CLIENTS = {
    "sdk": "AsyncClawOps (aiohttp pool)",
    "aiohttp": "aiohttp",
    "httpx": "httpx.AsyncClient",
    "sdk_httpx": "AsyncClawOps (httpx pool)",
}


def async_table(results: Results) -> str:
    """Async `AsyncClawOps.calls.get` req/s by requests in flight, with both ratios and client
    CPU per request."""
    section = _section(results, "async GET under concurrency")
    columns = section["columns"]
    cells = {(row[0], row[1]): dict(zip(columns, row, strict=True)) for row in section["cells"]}
    levels = list(section["concurrency"])

    def line(label: str, cell: Callable[[str], str]) -> tuple[str, ...]:
        return (label, *(cell(level) for level in levels))

    def value(client: str, column: str) -> Callable[[str], str]:
        return lambda level: str(cells[level, ASYNC_CLIENTS[client]][column])

    rounds = len(section["concurrency"][levels[0]]["rps"][ASYNC_CLIENTS["sdk"]])
    body = [
        line("`AsyncClawOps.calls.get`, own pool (aiohttp's, default with `[aiohttp]`)",
             value("sdk", "req/s (median)")),
        line("raw aiohttp", value("aiohttp", "req/s (median)")),
        line("ratio of the medians", value("sdk", "x aiohttp")),
        line(f"ratio paired by round (median of {rounds})", value("sdk", "paired")),
        line("client CPU per request, SDK / raw aiohttp (us)",
             lambda level: f"{value('sdk', 'client CPU us/req')(level)} / "
             f"{value('aiohttp', 'client CPU us/req')(level)}"),
        line("raw `httpx.AsyncClient`", value("httpx", "req/s (median)")),
        line("`AsyncClawOps` over httpx's pool", value("sdk_httpx", "req/s (median)")),
    ]  # fmt: skip
    head = ("async ClawOps `calls.get`, req/s", f"{levels[0]} in flight", *levels[1:])
    return markdown_table(head, body, 1)


def streaming_table(results: Results) -> str:
    """SSE and NDJSON decoding against httpx-sse and ``json.loads`` per line (CPU time)."""
    section = _section(results, "stream decoding")

    def pair(shape: str) -> str:
        name = f"SSE {shape}, 1024 B chunks"
        return " / ".join(
            _ratio(section, name, base) for base in ("httpx-sse EventSource", "httpx-sse decoders")
        )

    body = [
        ("`sdkcore.iter_sse`, OpenAI-style mix (id/event/comment lines), vs httpx-sse "
         "`EventSource` / its bare decoders", pair("openai-style")),
        ("`sdkcore.iter_sse`, OpenAI's own wire (`data:` lines only), same baselines",
         pair("OpenAI wire")),
        ("`sdkcore.iter_sse`, Anthropic-style (`event:` + `data:`), same baselines",
         pair("anthropic-style")),
        ("`sdkcore.iter_ndjson` vs `json.loads` per line",
         _ratio(section, "NDJSON, 1024 B chunks", "json.loads per line")),
    ]  # fmt: skip
    return markdown_table(("stream decoding, in process (CPU time)", "ratio"), body, 1)


IMPORT_ROWS = {
    "clawops (ours)": "ours",
    "clawops 0.1.0 (PyPI)": "clawops 0.1.0",
    "clawops 0.70.0 (PyPI)": "clawops 0.70.0",
}


def import_table(results: Results) -> str:
    """``import clawops`` against the public releases, each in a clean environment."""
    section = _section(results, "import clawops")
    rows = {row[0]: dict(zip(section["columns"], row, strict=True)) for row in section["cells"]}
    body = [
        (
            label,
            rows[name]["import clawops (ms)"],
            rows[name]["clawops above them (ms)"],
            rows[name]["import + first get and list (ms)"],
        )
        for name, label in IMPORT_ROWS.items()
    ]
    columns = (
        "`import clawops`, clean venv with runtime deps only (CPU ms over `python -I -c pass`)",
        "total",
        "above `import httpx, pydantic`",
        "import + first `get` and `list`",
    )
    return markdown_table(columns, body, 1)


def service_table(results: Results) -> str:
    """The Claude Code service's own throughput and overhead per completion (offline engine)."""
    section = _section(results, "Claude Code API service throughput")
    wanted = ("service", "in flight", "completions/s", "service CPU ms", "overhead ms")
    at = [section["columns"].index(name) for name in wanted]
    body = [tuple(row[i] for i in at) for row in section["cells"]]
    columns = (
        "Claude Code service, offline engine",
        "in flight",
        "completions/s",
        "service CPU ms / completion",
        "overhead ms",
    )
    return markdown_table(columns, body, 1)


def _rate_cell(ratios: Sequence[float], target: float) -> tuple[str, str, str]:
    """Median, spread and verdict of per-round rate ratios (SDK / baseline, > 1: faster)."""
    ordered = sorted(ratios)
    median = statistics.median(ordered)
    verdict = "met" if median >= target else "**not met**"
    return f"{median:.2f}x", f"{ordered[0]:.2f}-{ordered[-1]:.2f}x", verdict


def _row_rates(row: dict[str, Any]) -> list[float]:
    """A harness row's per-round rate ratios: baseline time / SDK time, round by round."""
    pairs = zip(row["sdk_rounds_s"], row["baseline_rounds_s"], strict=True)
    return [baseline / sdk for sdk, baseline in pairs]


def _row(section: dict[str, Any], benchmark: str, baseline: str) -> dict[str, Any]:
    for row in section["rows"]:
        if row["benchmark"] == benchmark and row["baseline"] == baseline:
            found: dict[str, Any] = row
            return found
    raise LookupError(f"no row {benchmark!r} vs {baseline!r} in {section['title']!r}")


def targets_table(results: Results) -> str:
    """Issue #23's runtime targets, each with the ratio measured, its spread over the rounds
    and whether the median meets it; every ratio here is a speed (> 1: the SDK faster)."""
    body: list[tuple[str, ...]] = []
    concurrency = _section(results, "async GET under concurrency")["concurrency"]
    for level, measured in concurrency.items():
        rps = measured["rps"]
        ratios = [
            sdk / raw for sdk, raw in zip(rps[ASYNC_CLIENTS["sdk"]], rps["aiohttp"], strict=True)
        ]
        body.append(
            (f"`AsyncClawOps.calls.get`, {level} in flight, vs raw aiohttp", ">= 0.95x",
             *_rate_cell(ratios, 0.95))
        )  # fmt: skip
    prefactor = _section(results, "Prefactor span creation")
    for level in (1, 10, 100, 500):
        row = _row(prefactor, f"Prefactor spans created, {level} in flight", "raw aiohttp")
        body.append(
            (f"Prefactor `agent_spans.create`, {level} in flight, vs raw aiohttp", ">= 0.95x",
             *_rate_cell(_row_rates(row), 0.95))
        )  # fmt: skip
    mock = _section(results, _MOCK)
    for name, label, limit in (("calls.get", "get", 1.05), ("calls.list", "list(20)", 1.15)):
        row = _row(mock, f"{name}, mock", SYNC_BASELINES[0])
        body.append(
            (f"sync `calls.{label}` (MockTransport, CPU) vs raw httpx + `.json()`",
             f">= {1 / limit:.2f}x (time <= {limit:.2f}x)", *_rate_cell(_row_rates(row), 1 / limit))
        )  # fmt: skip
    streaming = _section(results, "stream decoding")
    for shape, label in (
        ("openai-style", "OpenAI-style mix"),
        ("OpenAI wire", "OpenAI's own wire"),
        ("anthropic-style", "Anthropic-style"),
    ):
        for base in ("httpx-sse EventSource", "httpx-sse decoders"):
            row = _row(streaming, f"SSE {shape}, 1024 B chunks", base)
            body.append(
                (f"SSE decode, {label}, vs {base}", ">= 2x", *_rate_cell(_row_rates(row), 2.0))
            )
    imports = _section(results, "import clawops")["import_ms"]
    ours = statistics.median(imports["clawops (ours)"]["clawops"])
    public = min(
        statistics.median(v["clawops"]) for k, v in imports.items() if k != "clawops (ours)"
    )
    body.append(
        ("`import clawops` vs the fastest public release (CPU ms)", "faster",
         f"{ours:.0f} vs {public:.0f} ms", "", "met" if ours < public else "**not met**")
    )  # fmt: skip
    columns = ("target (issue #23)", "goal", "measured (median)", "spread", "")
    return markdown_table(columns, body, 1)


TABLES: dict[str, Callable[[Results], str]] = {
    "sync": sync_table,
    "async": async_table,
    "streaming": streaming_table,
    "imports": import_table,
    "service": service_table,
    "targets": targets_table,
}


def render(readme: str, results: Results) -> str:
    """``readme`` with every marked table rebuilt from ``results``."""

    def rebuild(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in TABLES:
            raise LookupError(f"README marks an unknown bench table {name!r}")
        return match[1] + TABLES[name](results) + "\n"

    return _BLOCK.sub(rebuild, readme)


def update(paths: Sequence[Path] = READMES) -> list[Path]:
    """Rewrite the marked tables of ``paths`` from bench/results.json; return those changed."""
    results: Results = json.loads(RESULTS.read_text())
    changed = []
    for path in paths:
        text = path.read_text()
        new = render(text, results)
        if new != text:
            path.write_text(new)
            changed.append(path)
    return changed
