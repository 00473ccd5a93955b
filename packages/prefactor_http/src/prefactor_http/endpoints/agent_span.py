"""``prefactor_http.endpoints.agent_span``: `AgentSpanClient`, prefactor-http 0.4.3's name for
``client.agent_spans``."""

from ..resources.agent_spans import AgentSpans as AgentSpanClient

__all__ = ["AgentSpanClient"]
