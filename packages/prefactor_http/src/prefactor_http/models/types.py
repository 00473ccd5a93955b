"""Status literals of the Prefactor API."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["AGENT_STATUSES", "FINISH_STATUSES", "AgentStatus", "FinishStatus"]

AgentStatus = Literal["pending", "active", "complete", "failed", "cancelled"]
"""Status of an agent instance or span."""
FinishStatus = Literal["complete", "failed", "cancelled"]
"""Status an instance or span may finish with."""

AGENT_STATUSES: tuple[str, ...] = get_args(AgentStatus)
FINISH_STATUSES: tuple[str, ...] = get_args(FinishStatus)
