"""Agents: the named things whose versions run as instances."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import sdkcore

from .data_risk import DataRisk

__all__ = [
    "Agent",
    "AgentAvailableActions",
    "AgentForCreate",
    "AgentForUpdate",
    "AgentInstanceCounts",
    "AgentStatusName",
    "AgentSummary",
]

AgentStatusName = Literal["pending", "active", "dormant", "retired"]
"""Status of an agent (not of an instance)."""


class AgentAvailableActions(sdkcore.BaseModel):
    """Which lifecycle actions the agent's status allows."""

    update: bool = False
    retire: bool = False
    reinstate: bool = False
    delete: bool = False


class AgentInstanceCounts(sdkcore.BaseModel):
    """Instances of an agent by status."""

    total: int = 0
    pending: int = 0
    active: int = 0
    complete: int = 0
    failed: int = 0
    cancelled: int = 0
    terminated: int = 0
    finished: int = 0


class AgentSummary(sdkcore.BaseModel):
    """An agent as listings show it."""

    type: Literal["agent"]
    id: str
    name: str
    description: str | None = None
    external_identifier: str | None = None
    status: AgentStatusName | str
    owner_person_id: str | None = None
    risk_profile_id: str | None = None
    team_id: str | None = None
    available_actions: AgentAvailableActions | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None


class Agent(AgentSummary):
    """An agent with its instance counts and, from ``agents.show(include_risk_rollup=True)``,
    the data risk its span types and quality schemas add up to."""

    instance_counts: AgentInstanceCounts | None = None
    risk_rollup: DataRisk | None = None


class AgentForCreate(sdkcore.BaseModel):
    """Fields of a new agent (sent inside ``details``)."""

    name: str
    description: str | None = None
    external_identifier: str | None = None
    id: str | None = None
    owner_person_id: str | None = None
    risk_profile_id: str | None = None
    team_id: str | None = None


class AgentForUpdate(sdkcore.BaseModel):
    """Fields to change on an agent; omitted ones stay as they are (``external_identifier``
    is set at creation only). To clear the owner, team or risk profile, pass a dict naming
    the field with None: a model drops None fields."""

    name: str | None = None
    description: str | None = None
    owner_person_id: str | None = None
    risk_profile_id: str | None = None
    team_id: str | None = None
