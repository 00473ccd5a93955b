"""ClawOps `calls.get` and `calls.list` (20 calls, every attribute read), `messages.create` and
`messages.list` (20 messages): this SDK against raw `httpx.Client` + `response.json()` and
against the public `clawops` releases (0.70.0 only for messages), all running the same workload
file (`clawops_workload.py`), over `httpx.MockTransport` and over loopback."""

from __future__ import annotations

import sys
from pathlib import Path

from . import servers, venvs
from .harness import Plan, Row, Section, Settings, compare
from .workers import Worker, workers

PUBLIC_VERSIONS = ("0.1.0", "0.70.0")
"""The seed's release and the newest on PyPI when this bench was written."""

OURS = "ClawOps (ours)"
RAW = "httpx.Client + .json()"
RAW_TARGETS = {"get": 1.10, "list": 1.50}
WORKLOADS = {
    "get": ("calls.get", "get"),
    "list": ("calls.list", "list"),
    "send": ("messages.create", "get"),
    "messages": ("messages.list", "list"),
}
"""Each workload's row title and the size it shares counts and targets with (one object, or a
page of 20)."""
MESSAGE_WORKLOADS = ("send", "messages")
PUBLIC_TARGET = 0.90
"""At least 10 % faster than each public release."""
COUNTS = {
    "mock": {"get": (2000, 400), "list": (1000, 200)},
    # A loopback round trip costs several mock calls; fewer keep its rounds as short.
    "loopback": {"get": (600, 200), "list": (300, 100)},
}
"""Calls per round (full size, quick) by target and workload."""


def public_name(version: str) -> str:
    """How a public release is named in the tables."""
    return f"clawops {version} (PyPI)"


def suite(settings: Settings) -> list[Section]:
    """Both workloads over the mock transport, then over loopback to the fixed-bytes app."""
    here = Path(sys.executable)
    pythons = {OURS: (here, "sdk"), RAW: (here, "httpx")}
    for version in PUBLIC_VERSIONS:
        pythons[public_name(version)] = (venvs.public_clawops(version), "sdk")
    mock = _section(
        "mock", "over httpx.MockTransport (client cost alone)", "mock", pythons, settings
    )
    port = servers.free_port()
    with servers.running(servers.wire_command(port), port) as url:
        loopback = _section(
            "loopback",
            "over loopback (a uvicorn app answering fixed bytes)",
            url,
            pythons,
            settings,
        )
    return [mock, loopback]


def _section(
    label: str,
    where: str,
    target: str,
    pythons: dict[str, tuple[Path, str]],
    settings: Settings,
) -> Section:
    baselines = [name for name in pythons if name != OURS]
    targets = {RAW: 0.0, **{name: PUBLIC_TARGET for name in baselines if name != RAW}}
    # Over the mock the client is all there is: its thread's CPU time, which other processes
    # on a busy machine do not inflate. Over loopback: wall time, server and network included.
    clock = "cpu" if target == "mock" else "wall"
    rows: list[Row] = []
    with workers(pythons, target) as started:
        # clawops 0.1.0 has no messages: the messaging rows compare ours with the others.
        senders = {n: w for n, w in started.items() if n != public_name(PUBLIC_VERSIONS[0])}
        for workload, (title, size) in WORKLOADS.items():
            running = senders if workload in MESSAGE_WORKLOADS else started
            _same_values(running, workload)
            plan = Plan(
                n=settings.pick(*COUNTS[label][size]),
                rounds=settings.pick(7, 5),
                warmup=settings.pick(200, 50),
                deadline=settings.deadline,
            )
            targets[RAW] = RAW_TARGETS[size]
            rows += compare(
                f"{title}, {label}",
                {name: w.workload(workload, clock) for name, w in running.items()},
                plan,
                sdk=OURS,
                baselines=[name for name in baselines if name in running],
                targets={name: t for name, t in targets.items() if name in running},
            )
        versions = {name: worker.info for name, worker in started.items()}
    return Section(
        title=f"ClawOps calls and messages {where}; {clock} time",
        rows=rows,
        notes=[
            "calls.list and messages.list read a page of 20; every contender reads every "
            "attribute. Targets: <= 1.10 (get, create) / 1.50 (list) x raw httpx; <= 0.90 x "
            "each public release (0.70.0 only for messages: 0.1.0 has none).",
        ],
        data={"workers": versions},
    )


def _same_values(started: dict[str, Worker], workload: str) -> None:
    """Every SDK contender reads the same values, and raw httpx as many, from `workload`."""
    samples = {name: w.ask({"sample": workload})["values"] for name, w in started.items()}
    ours = samples[OURS]
    for name, values in samples.items():
        same = len(values) == len(ours) if name == RAW else values == ours
        if not same:
            raise RuntimeError(f"{name} read other values than {OURS} in {workload}: {values}")
