"""Resources of the Prefactor API, written once for the sync and async clients."""

from .agent_instances import AgentInstances
from .agent_spans import AgentSpans
from .agents import Agents
from .bulk import Bulk
from .service import Service

__all__ = ["AgentInstances", "AgentSpans", "Agents", "Bulk", "Service"]
