"""``client.chains``: ordered steps at ``/c/<name>`` where each step's success or failure
picks what happens next, which covers failover and ordered workflows in one construct.

A step succeeds when its target answers below 400; a 4xx/5xx, a timeout or an unreachable
upstream is a failure. ``on_success`` / ``on_failure`` is one of:

- ``"stop"``: answer with this step's response;
- ``"continue"``: run the next step (by ``sort_order``) with the original request;
- ``"relay"``: run the next step with this step's response body as its request;
- the name of another step of the chain: run that step with the original request.

Running past the last step answers with the last response. Example (failover)::

    ch = client.chains.create(
        name="llm-failover",
        steps=[
            {"name": "primary", "target_path": "p/<flaky-id>", "on_failure": "continue"},
            {"name": "backup", "target_path": "g/llm"},
        ],
    )
    resp = ch.dispatch(json={"messages": [...]})   # POST /c/llm-failover
    resp.headers["x-unitysvc-chain-step"]          # the step that answered
"""

from __future__ import annotations

import builtins
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from pydantic import Field

import sdkcore
from sdkcore import Async, BaseModel, DualOp, Mode, Op, Sync, as_model, dual, endpoint

from ._args import check_int
from ._routes import (
    NamedRoute,
    RouteList,
    RouteResource,
    check_item,
    check_name,
    check_targets,
    partial_body,
)
from ._wrappers import check_relative
from .models import Message

__all__ = ["ACTIONS", "AsyncChains", "Chain", "ChainList", "ChainStep", "Chains"]

M = TypeVar("M", bound=Mode)
_UNSET: Any = sdkcore.NOT_GIVEN
ACTIONS = ("stop", "continue", "relay")
_MAX_TIMEOUT_MS = 600_000


class ChainStep(BaseModel):
    """One step of a chain: a gateway-relative target and where success/failure lead."""

    id: str
    chain_id: str
    name: str
    target_path: str
    on_success: str = "stop"
    on_failure: str = "continue"
    sort_order: int = 0
    timeout_ms: int | None = None


class Chain(NamedRoute):
    """Active-record wrapper around a chain, dispatchable at ``c/<name>``.

    Step methods pre-bind the id (``add_step``, ``update_step``, ``remove_step``,
    ``replace_steps``), plus ``refresh``, ``update`` and ``delete``; the fluent wrappers
    compose before a dispatch: ``ch.cached(ttl="1h").dispatch(json=body)``.
    """

    prefix: ClassVar[str] = "c"
    resource: ClassVar[str] = "chains"

    default_timeout_ms: int = 10000
    steps: builtins.list[ChainStep] = Field(default_factory=builtins.list)

    def __repr__(self) -> str:
        return f"<Chain name={self.name!r} steps={len(self.steps)}>"

    def add_step(self, **step: Any) -> Any:
        """Add a step (see `Chains.add_step`)."""
        return self._client.chains.add_step(self.id, **step)

    def update_step(self, step_id: str | UUID, **fields: Any) -> Any:
        """Update one step (see `Chains.update_step`)."""
        return self._client.chains.update_step(self.id, step_id, **fields)

    def remove_step(self, step_id: str | UUID) -> Any:
        """Remove a step by id."""
        return self._client.chains.remove_step(self.id, step_id)

    def replace_steps(self, steps: builtins.list[dict[str, Any]]) -> Any:
        """Replace every step at once; returns the updated chain."""
        return self._client.chains.replace_steps(self.id, steps)


class ChainList(RouteList):
    """The customer's chains: ``data`` (`Chain` records) and ``count``."""

    data: builtins.list[Chain] = Field(default_factory=builtins.list)


def _action(value: Any, argument: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str")
    if value not in ACTIONS:
        check_name(value, f"{argument} (stop, continue, relay or a step name)")
    return value


def _timeout(value: Any, argument: str) -> int | None:
    return None if value is None else check_int(value, argument, 1, _MAX_TIMEOUT_MS)


def _step(item: dict[str, Any], index: int, argument: str) -> dict[str, Any]:
    where = f"{argument}[{index}]" if index >= 0 else argument
    name = check_name(item["name"], f"{where}.name")
    if name in ACTIONS:
        raise ValueError(f"{where}.name may not be one of {', '.join(ACTIONS)}")
    return {
        "name": name,
        "target_path": item["target_path"],
        "sort_order": check_int(item.get("sort_order", max(index, 0)), f"{where}.sort_order", 0),
        "on_success": _action(item.get("on_success", "stop"), f"{where}.on_success"),
        "on_failure": _action(item.get("on_failure", "continue"), f"{where}.on_failure"),
        "timeout_ms": _timeout(item.get("timeout_ms"), f"{where}.timeout_ms"),
    }


def _steps(steps: Any) -> builtins.list[dict[str, Any]]:
    checked = check_targets(steps, "steps", _step)
    names = {s["name"] for s in checked}
    for index, s in enumerate(checked):
        for key in ("on_success", "on_failure"):
            if s[key] not in ACTIONS and s[key] not in names:
                raise ValueError(f"steps[{index}].{key}={s[key]!r} names no step of this chain")
    return checked


class _Chains(RouteResource[M, Chain, ChainList]):
    """Operations on the customer's chains (``/v1/chains/``), for either face.

    ``dispatch(name, ...)`` posts to ``/c/<name>[/path]`` and returns the response of the step
    that answered, which carries ``x-unitysvc-chain-step`` (the answering step) and
    ``x-unitysvc-chain-trace`` (``step=status`` for every step run, in order).
    """

    _record = Chain
    _list = ChainList
    _children = "steps"

    @dual
    def get(self, chain_id: str | UUID) -> DualOp[Chain, Chain]:
        """Get one chain (with its steps) by id."""
        return self._record_op("GET", self._path(chain_id))

    @dual
    def create(
        self,
        *,
        name: str,
        description: str | None = None,
        default_timeout_ms: int = 10000,
        enabled: bool = True,
        steps: builtins.list[dict[str, Any]] | None = None,
    ) -> DualOp[Chain, Chain]:
        """Create a chain, dispatchable at ``/c/<name>``.

        ``steps`` is a list of dicts with ``name`` and ``target_path`` and optional
        ``sort_order`` (default: list position), ``on_success`` (default "stop"),
        ``on_failure`` (default "continue") and ``timeout_ms``.
        """
        body: dict[str, Any] = {
            "name": check_name(name),
            "description": description,
            "default_timeout_ms": check_int(
                default_timeout_ms, "default_timeout_ms", 1, _MAX_TIMEOUT_MS
            ),
            "enabled": partial_body({"enabled": enabled}, bools=("enabled",))["enabled"],
        }
        if steps is not None:
            body["steps"] = _steps(steps)
        return self._record_op("POST", self._collection, body)

    @dual
    def update(
        self,
        chain_id: str | UUID,
        *,
        description: Any = _UNSET,
        default_timeout_ms: Any = _UNSET,
        enabled: Any = _UNSET,
    ) -> DualOp[Chain, Chain]:
        """Update a chain's metadata; only the fields passed are sent."""
        fields = {
            "description": description,
            "default_timeout_ms": default_timeout_ms,
            "enabled": enabled,
        }
        body = partial_body(fields, ints=("default_timeout_ms",), bools=("enabled",))
        return self._record_op("PATCH", self._path(chain_id), body)

    @endpoint
    def delete(self, chain_id: str | UUID) -> Op[Message]:
        """Delete a chain and its steps."""
        return self._delete(self._path(chain_id))

    @endpoint
    def add_step(
        self,
        chain_id: str | UUID,
        *,
        name: str,
        target_path: str,
        sort_order: int,
        on_success: str = "stop",
        on_failure: str = "continue",
        timeout_ms: int | None = None,
    ) -> Op[ChainStep]:
        """Add a step to a chain; returns the created step."""
        item = {
            "name": name,
            "target_path": target_path,
            "sort_order": sort_order,
            "on_success": on_success,
            "on_failure": on_failure,
            "timeout_ms": timeout_ms,
        }
        return self._add_child(chain_id, ChainStep, check_item(item, "step", _step))

    @endpoint
    def update_step(
        self,
        chain_id: str | UUID,
        step_id: str | UUID,
        *,
        name: Any = _UNSET,
        target_path: Any = _UNSET,
        on_success: Any = _UNSET,
        on_failure: Any = _UNSET,
        timeout_ms: Any = _UNSET,
        sort_order: Any = _UNSET,
    ) -> Op[ChainStep]:
        """Update one step; only the fields passed are sent."""
        body = partial_body(
            {
                "name": name,
                "target_path": target_path,
                "on_success": on_success,
                "on_failure": on_failure,
                "timeout_ms": timeout_ms,
                "sort_order": sort_order,
            },
            ints=("timeout_ms", "sort_order"),
        )
        for key in ("on_success", "on_failure"):
            if key in body:
                _action(body[key], key)
        if "name" in body:
            check_name(body["name"])
        if "target_path" in body:
            check_relative(body["target_path"], "step[0].target_path")
        path = self._child_path(chain_id, step_id)
        return Op("PATCH", path, as_model(ChainStep), body=body)

    @endpoint
    def remove_step(self, chain_id: str | UUID, step_id: str | UUID) -> Op[Message]:
        """Remove one step from a chain."""
        return self._delete(self._child_path(chain_id, step_id))

    @dual
    def replace_steps(
        self, chain_id: str | UUID, steps: builtins.list[dict[str, Any]]
    ) -> DualOp[Chain, Chain]:
        """Replace every step of a chain at once; returns the updated chain."""
        return self._record_op("PUT", self._children_path(chain_id), _steps(steps))


class Chains(_Chains[Sync]):
    """Operations on the customer's chains (``/v1/chains/``)."""


class AsyncChains(_Chains[Async]):
    """Async sibling of `Chains`: the same methods, awaited."""
