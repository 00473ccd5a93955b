"""The gateway side of broadcasts (``/gateway/api/b/<name>``) and chains (``.../c/<name>``).

Both call real gateway targets (``p/<id>``, ``g/<group>``, ``a/<alias>``, ...) through the
same routing, secret injection and request log as any dispatch (`_gateway.exchange`), so a
target reaches the catalogue's upstream services; they differ in how the calls are combined:

- a **sync broadcast** calls every target at once and answers 200 with an envelope of the
  results; an **async** one answers 202 at once with one queued task per target, run in the
  background and recorded in ``broadcast_tasks`` (and the request log);
- a **chain** runs its steps one at a time: a step succeeds below 400; its ``on_success`` /
  ``on_failure`` says what comes next (``stop``, ``continue``, ``relay`` its body to the next
  step, or a step name). The answer is the deciding step's response, with the steps that ran
  in ``x-unitysvc-chain-trace``.

The answer is a buffered `httpx.Response`, so the gateway wrappers (``/l/``, ``/m/``, ``/f/``,
``/t/``) compose in front of ``b/`` and ``c/`` paths as in front of any other.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx

from sdkcore.emulator import EmulatorError

from ._control._broadcasts import BROADCASTS
from ._control._chains import ACTIONS, CHAINS
from ._control._common import insert_row
from ._deps import EmulatorState
from ._exchange import exchange
from ._gateway import Forwarded
from ._routing import split_route
from ._store import new_uuid, now

__all__ = ["dispatch_named"]

# A chain may jump back; this bounds the steps one dispatch runs (each at most this often).
_MAX_VISITS = 4
# A target may itself be a broadcast or chain (even this one): this bounds the nesting.
_MAX_HOPS = 4
_HOPS = "x-unitysvc-hops"
_TASKS: set[asyncio.Task[None]] = set()


@dataclass
class _Outcome:
    """One target's or step's answer."""

    name: str
    target_path: str
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: float
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status < 400

    def envelope_entry(self) -> dict[str, Any]:
        try:
            parsed: Any = json.loads(self.body) if self.body else None
        except ValueError:
            parsed = self.body.decode("utf-8", "replace")
        return {
            "target": self.name,
            "target_path": self.target_path,
            "status_code": self.status,
            "ok": self.ok,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "content_type": self.headers.get("content-type"),
            "body": parsed,
            "error": self.error,
        }


async def _call(
    state: EmulatorState,
    parent: Forwarded,
    item: dict[str, Any],
    rest: str,
    body: bytes,
    timeout_ms: int,
) -> _Outcome:
    path = item["target_path"] + (f"/{rest}" if rest else "")
    headers = dict(parent.headers)
    hops = int(headers.get(_HOPS, "0") or 0) + 1
    if hops > _MAX_HOPS:
        raise EmulatorError(508, "broadcasts and chains nest too deep")
    headers[_HOPS] = str(hops)
    override = item.get("routing_key_override")
    if override:
        headers["x-routing-key"] = override if isinstance(override, str) else json.dumps(override)
    query = [(k, v) for k, v in parent.query if not k.startswith("_")]
    fwd = Forwarded(parent.customer, parent.method, path, body, headers, query)
    fwd.recurrent_request_id = parent.recurrent_request_id
    got_headers, content = await exchange(state, fwd, timeout=timeout_ms / 1000)
    assert fwd.status is not None
    return _Outcome(
        item["name"],
        item["target_path"],
        fwd.status,
        got_headers,
        content,
        fwd.elapsed_ms or 0.0,
        fwd.error[2] if fwd.error else None,
    )


def _respond(status: int, headers: dict[str, str], body: bytes) -> httpx.Response:
    # A stream (not content=) so the gateway can relay it like an upstream response.
    return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


def _json(status: int, value: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    body = json.dumps(value, separators=(",", ":")).encode()
    return _respond(status, {"content-type": "application/json", **(headers or {})}, body)


async def dispatch_named(state: EmulatorState, fwd: Forwarded, path: str) -> httpx.Response:
    """Run the broadcast or chain ``path`` names (``b/<name>[/rest]`` or ``c/<name>[/rest]``)."""
    kind, name, rest = split_route(path)
    table = BROADCASTS if kind == "b" else CHAINS
    row = table.by_name(state, fwd.customer, name)
    if not row["enabled"]:
        raise EmulatorError(403, f"{table.what} {name!r} is disabled")
    children = table.child_rows(state, row["id"])
    if kind == "c":
        return await _run_chain(state, fwd, row, children, rest)
    if row["mode"] == "async":
        return _queue_broadcast(state, fwd, row, children, rest)
    outcomes = await asyncio.gather(
        *(_call(state, fwd, t, rest, fwd.body, row["target_timeout_ms"]) for t in children)
    )
    succeeded = sum(1 for o in outcomes if o.ok)
    return _json(
        200,
        {
            "broadcast": row["name"],
            "broadcast_id": row["id"],
            "mode": "sync",
            "results": [o.envelope_entry() for o in outcomes],
            "succeeded": succeeded,
            "failed": len(outcomes) - succeeded,
        },
    )


def _queue_broadcast(
    state: EmulatorState,
    fwd: Forwarded,
    row: dict[str, Any],
    targets: list[dict[str, Any]],
    rest: str,
) -> httpx.Response:
    tasks = []
    stamp = now()
    for target in targets:
        task = {
            "id": new_uuid(),
            "broadcast_id": row["id"],
            "customer_id": fwd.customer,
            "target": target["name"],
            "target_path": target["target_path"],
            "status": "queued",
            "created_at": stamp,
        }
        insert_row(state, "broadcast_tasks", task)
        tasks.append(task)
        job = asyncio.get_running_loop().create_task(
            _run_task(state, fwd, target, rest, row["target_timeout_ms"], task["id"])
        )
        # The loop keeps only weak references to tasks; this set keeps them until done.
        _TASKS.add(job)
        job.add_done_callback(_TASKS.discard)
    body = {"broadcast": row["name"], "broadcast_id": row["id"], "mode": "async", "tasks": tasks}
    return _json(202, body)


async def _run_task(
    state: EmulatorState,
    fwd: Forwarded,
    target: dict[str, Any],
    rest: str,
    timeout_ms: int,
    task_id: str,
) -> None:
    state.db.execute("UPDATE broadcast_tasks SET status = 'running' WHERE id = ?", (task_id,))
    outcome = await _call(state, fwd, target, rest, fwd.body, timeout_ms)
    state.db.execute(
        "UPDATE broadcast_tasks SET status = ?, status_code = ?, elapsed_ms = ?, error = ?, "
        "finished_at = ? WHERE id = ?",
        (
            "succeeded" if outcome.ok else "failed",
            outcome.status,
            outcome.elapsed_ms,
            outcome.error,
            now(),
            task_id,
        ),
    )


def _next(steps: list[dict[str, Any]], index: int, action: str) -> int | None:
    """The index of the step ``action`` leads to from ``index``; None ends the chain."""
    if action == "stop":
        return None
    if action in ACTIONS:
        return index + 1 if index + 1 < len(steps) else None
    return next(i for i, s in enumerate(steps) if s["name"] == action)


async def _run_chain(
    state: EmulatorState,
    fwd: Forwarded,
    row: dict[str, Any],
    steps: list[dict[str, Any]],
    rest: str,
) -> httpx.Response:
    if not steps:
        raise EmulatorError(409, f"chain {row['name']!r} has no steps")
    visits = [0] * len(steps)
    trace: list[str] = []
    body = fwd.body
    index: int | None = 0
    started = time.monotonic()
    while index is not None:
        step = steps[index]
        visits[index] += 1
        if visits[index] > _MAX_VISITS:
            raise EmulatorError(508, f"chain {row['name']!r} loops at step {step['name']!r}")
        timeout = step["timeout_ms"] or row["default_timeout_ms"]
        outcome = await _call(state, fwd, step, rest, body, timeout)
        trace.append(f"{step['name']}={outcome.status}")
        action = step["on_success"] if outcome.ok else step["on_failure"]
        following = _next(steps, index, action)
        if following is None:
            break
        body = outcome.body if action == "relay" else fwd.body
        index = following
    headers = {
        "content-type": outcome.headers.get("content-type", "application/json"),
        "x-unitysvc-chain": row["name"],
        "x-unitysvc-chain-step": outcome.name,
        "x-unitysvc-chain-trace": ",".join(trace),
        "x-unitysvc-chain-ms": f"{(time.monotonic() - started) * 1000:.1f}",
    }
    return _respond(outcome.status, headers, outcome.body)
