"""``prefactor_http.endpoints``, the module paths of prefactor-http 0.4.3: its endpoint client
names for the resources of `prefactor_http` (``client.agents`` is an `AgentClient`)."""

from .agent import AgentClient
from .agent_instance import AgentInstanceClient
from .agent_span import AgentSpanClient
from .bulk import BulkClient

__all__ = ["AgentClient", "AgentInstanceClient", "AgentSpanClient", "BulkClient"]
