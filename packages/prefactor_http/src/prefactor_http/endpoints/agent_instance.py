"""``prefactor_http.endpoints.agent_instance``: `AgentInstanceClient`, prefactor-http 0.4.3's
name for ``client.agent_instances``."""

from ..resources.agent_instances import AgentInstances as AgentInstanceClient

__all__ = ["AgentInstanceClient"]
