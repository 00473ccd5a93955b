"""Control plane for chains: ``/v1/chains`` (the gateway side is `_fanout`).

A step's ``on_success`` / ``on_failure`` is ``stop``, ``continue``, ``relay`` or the name of
another step of the same chain; a write leaving a jump to a missing step is refused (422).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictBool

from sdkcore.emulator import EmulatorError

from .._deps import Customer, EmulatorState, State
from .._routes import ControlRouter
from ._common import Body, JsonInt, Limit, Skip
from ._named import MAX_ORDER, MAX_TIMEOUT_MS, Name, NamedTable, OptionalTimeout, TargetPath

__all__ = ["ACTIONS", "CHAINS", "router"]

router = ControlRouter()

ACTIONS = ("stop", "continue", "relay")


def _check_jumps(state: EmulatorState, chain: dict[str, Any]) -> None:
    steps = CHAINS.child_rows(state, chain["id"])
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


@router.api("GET", "/chains/")
async def list_chains(
    state: State, customer: Customer, skip: Skip = 0, limit: Limit = 100
) -> dict[str, Any]:
    """The customer's chains, with their steps."""
    return CHAINS.page(state, customer, skip, limit)


@router.api("POST", "/chains/", status_code=201)
async def create_chain(state: State, customer: Customer, body: ChainCreate) -> dict[str, Any]:
    """Create a chain, dispatchable at ``/gateway/api/c/<name>``."""
    fields = body.model_dump(exclude={"steps"})
    return CHAINS.create(state, customer, fields, [s.model_dump() for s in body.steps])


@router.api("GET", "/chains/{chain_id}")
async def get_chain(state: State, customer: Customer, chain_id: str) -> dict[str, Any]:
    """One chain."""
    return CHAINS.as_json(state, CHAINS.own(state, customer, chain_id))


@router.api("PATCH", "/chains/{chain_id}")
async def update_chain(
    state: State, customer: Customer, chain_id: str, body: ChainUpdate
) -> dict[str, Any]:
    """Change the fields sent."""
    return CHAINS.update(state, customer, chain_id, body.model_dump(exclude_unset=True))


@router.api("DELETE", "/chains/{chain_id}")
async def delete_chain(state: State, customer: Customer, chain_id: str) -> dict[str, Any]:
    """Delete a chain and its steps."""
    return CHAINS.delete(state, customer, chain_id)


@router.api("POST", "/chains/{chain_id}/steps", status_code=201)
async def add_step(
    state: State, customer: Customer, chain_id: str, body: StepCreate
) -> dict[str, Any]:
    """Add one step."""
    return CHAINS.add_child(state, customer, chain_id, body.model_dump())


@router.api("PUT", "/chains/{chain_id}/steps")
async def replace_steps(
    state: State,
    customer: Customer,
    chain_id: str,
    body: Annotated[list[StepCreate], Field(max_length=50)],
) -> dict[str, Any]:
    """Replace every step at once; returns the chain."""
    return CHAINS.replace_children(state, customer, chain_id, [s.model_dump() for s in body])


@router.api("PATCH", "/chains/{chain_id}/steps/{step_id}")
async def update_step(
    state: State, customer: Customer, chain_id: str, step_id: str, body: StepUpdate
) -> dict[str, Any]:
    """Change the step fields sent."""
    changes = body.model_dump(exclude_unset=True)
    return CHAINS.update_child(state, customer, chain_id, step_id, changes)


@router.api("DELETE", "/chains/{chain_id}/steps/{step_id}")
async def remove_step(
    state: State, customer: Customer, chain_id: str, step_id: str
) -> dict[str, Any]:
    """Remove one step."""
    return CHAINS.remove_child(state, customer, chain_id, step_id)
