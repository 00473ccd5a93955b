"""`client.agents`: create, fetch, list, update, retire, reinstate and delete agents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkcore import Op, Raw, endpoint

from ..models.agent import Agent, AgentForCreate, AgentForUpdate, AgentSummary
from ._base import API, M, PrefactorResource, as_details, model_or_mapping, path_id

__all__ = ["Agents"]

_AGENT = as_details(Agent)
_MAX_PAGE_SIZE = 100


def _summaries(body: Any) -> list[AgentSummary]:
    if not isinstance(body, Mapping) or body.get("status") != "success":
        raise ValueError("expected a {'status': 'success', 'summaries': [...]} envelope")
    summaries = body["summaries"]
    if not isinstance(summaries, list):
        raise TypeError("summaries must be a list")
    return [AgentSummary.model_validate(item) for item in summaries]


class Agents(PrefactorResource[M]):
    """Agents of the token's account."""

    @property
    def with_raw_response(self) -> Agents[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Agents[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self, details: AgentForCreate | dict[str, Any], idempotency_key: str | None = None
    ) -> Op[Agent]:
        """Create an agent (``details``: name, description, external_identifier, id)."""
        body = {
            "details": model_or_mapping(details, AgentForCreate, "details"),
            "idempotency_key": self._key(idempotency_key),
        }
        return self._write(f"{API}/agent", _AGENT, body)

    @endpoint
    def get(self, agent_id: str) -> Op[Agent]:
        """Fetch one agent."""
        return Op("GET", self._path(agent_id), _AGENT)

    @endpoint
    def list(
        self, offset: int | None = None, page_size: int | None = None
    ) -> Op[list[AgentSummary]]:
        """One page of agents, oldest first (``offset`` 0-based, ``page_size`` 1 to 100)."""
        if offset is not None and (
            isinstance(offset, bool) or not isinstance(offset, int) or offset < 0
        ):
            raise ValueError(f"offset must be an int >= 0, got {offset!r}")
        if page_size is not None and (
            isinstance(page_size, bool)
            or not isinstance(page_size, int)
            or not 1 <= page_size <= _MAX_PAGE_SIZE
        ):
            raise ValueError(
                f"page_size must be an int from 1 to {_MAX_PAGE_SIZE}, got {page_size!r}"
            )
        query = {"pagination[offset]": offset, "pagination[page_size]": page_size}
        return Op("GET", f"{API}/agent", _summaries, query=query)

    @endpoint
    def update(
        self,
        agent_id: str,
        details: AgentForUpdate | dict[str, Any],
        idempotency_key: str | None = None,
    ) -> Op[Agent]:
        """Change an agent's name or description."""
        body = {
            "details": model_or_mapping(details, AgentForUpdate, "details"),
            "idempotency_key": self._key(idempotency_key),
        }
        return self._write(self._path(agent_id), _AGENT, body, method="PUT")

    @endpoint
    def retire(self, agent_id: str, idempotency_key: str | None = None) -> Op[Agent]:
        """Retire an agent: it takes no new instances until reinstated."""
        body = {"idempotency_key": self._key(idempotency_key)}
        return self._write(self._path(agent_id, "/retire"), _AGENT, body)

    @endpoint
    def reinstate(self, agent_id: str, idempotency_key: str | None = None) -> Op[Agent]:
        """Reinstate a retired agent."""
        body = {"idempotency_key": self._key(idempotency_key)}
        return self._write(self._path(agent_id, "/reinstate"), _AGENT, body)

    @endpoint
    def delete(self, agent_id: str, idempotency_key: str | None = None) -> Op[Agent]:
        """Delete an agent that has no instances; returns it as it was."""
        body = {"idempotency_key": self._key(idempotency_key)}
        return self._write(self._path(agent_id), _AGENT, body, method="DELETE")

    @staticmethod
    def _path(agent_id: str, action: str = "") -> str:
        return f"{API}/agent/{path_id(agent_id, 'agent_id')}{action}"
