"""Control plane for chains: ``/v1/chains`` (the gateway side is `_fanout`).

A step's ``on_success`` / ``on_failure`` is ``stop``, ``continue``, ``relay`` or the name of
another step of the same chain; a write leaving a jump to a missing step is refused (422).
"""

from __future__ import annotations

from pydantic import Field, StrictBool

from sdkcore.emulator import EmulatorError

from .._deps import EmulatorState
from .._routes import ControlRouter
from ._common import Body, JsonInt
from ._named import MAX_ORDER, MAX_TIMEOUT_MS, Name, NamedTable, OptionalTimeout, TargetPath
from ._named_routes import add_named_routes

__all__ = ["ACTIONS", "CHAINS", "router"]

router = ControlRouter()

ACTIONS = ("stop", "continue", "relay")


def _check_jumps(state: EmulatorState, chain_id: str) -> None:
    steps = CHAINS.child_rows(state, chain_id)
    names = {s["name"] for s in steps}
    for step in steps:
        if step["name"] in ACTIONS:
            raise EmulatorError(422, f"a step may not be named {step['name']!r}")
        for key in ("on_success", "on_failure"):
            if step[key] not in ACTIONS and step[key] not in names:
                raise EmulatorError(
                    422, f"step {step['name']!r}: {key}={step[key]!r} names no step of the chain"
                )


CHAINS = NamedTable(
    table="chains",
    children="chain_steps",
    parent_key="chain_id",
    children_field="steps",
    what="chain",
    child_what="step",
    parent_columns=("name", "description", "default_timeout_ms", "enabled"),
    child_columns=(
        "name",
        "target_path",
        "on_success",
        "on_failure",
        "sort_order",
        "timeout_ms",
    ),
    nullable=("timeout_ms",),
    check=_check_jumps,
)

Action = Name


class StepCreate(Body):
    """One step: a gateway-relative target and what its success and failure lead to."""

    name: Name
    target_path: TargetPath
    sort_order: JsonInt = Field(ge=0, le=MAX_ORDER)
    on_success: Action = "stop"
    on_failure: Action = "relay"
    timeout_ms: OptionalTimeout = None


class StepUpdate(Body):
    """Body of a step update; only the fields sent change."""

    name: Name = "unset"
    target_path: TargetPath = "unset"
    on_success: Action = "stop"
    on_failure: Action = "relay"
    timeout_ms: OptionalTimeout = None
    sort_order: JsonInt = Field(default=0, ge=0, le=MAX_ORDER)


class ChainCreate(Body):
    """Body of a chain create."""

    name: Name
    description: str | None = Field(default=None, max_length=2000)
    default_timeout_ms: JsonInt = Field(default=10000, ge=1, le=MAX_TIMEOUT_MS)
    enabled: StrictBool = True
    steps: list[StepCreate] = Field(default_factory=list, max_length=50)


class ChainUpdate(Body):
    """Body of a chain update; only the fields sent change."""

    description: str | None = Field(default=None, max_length=2000)
    default_timeout_ms: JsonInt = Field(default=10000, ge=1, le=MAX_TIMEOUT_MS)
    enabled: StrictBool = True


add_named_routes(router, CHAINS, ChainCreate, ChainUpdate, StepCreate, StepUpdate)
