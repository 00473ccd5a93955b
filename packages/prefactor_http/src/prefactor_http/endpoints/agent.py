"""``prefactor_http.endpoints.agent``: `AgentClient`, prefactor-http 0.4.3's name for
``client.agents``."""

from ..resources.agents import Agents as AgentClient

__all__ = ["AgentClient"]
