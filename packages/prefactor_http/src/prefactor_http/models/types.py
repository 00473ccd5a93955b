"""Status literals of the Prefactor API."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "AGENT_STATUSES",
    "FINISH_STATUSES",
    "INSTANCE_PURPOSES",
    "SPAN_STATUSES",
    "AgentStatus",
    "FinishStatus",
    "InstancePurpose",
    "SpanStatus",
]

AgentStatus = Literal["pending", "active", "complete", "failed", "cancelled", "terminated"]
"""Status of an agent instance or span (``terminated``: stopped by the service)."""
SpanStatus = Literal["pending", "active", "complete", "failed", "cancelled"]
"""Status a span may be created with (only the service terminates)."""
FinishStatus = Literal["complete", "failed", "cancelled"]
"""Status an instance or span may finish with."""
InstancePurpose = Literal["live", "smoke_test", "eval"]
"""Why an instance ran."""

AGENT_STATUSES: tuple[str, ...] = get_args(AgentStatus)
SPAN_STATUSES: tuple[str, ...] = get_args(SpanStatus)
FINISH_STATUSES: tuple[str, ...] = get_args(FinishStatus)
INSTANCE_PURPOSES: tuple[str, ...] = get_args(InstancePurpose)
