"""`client.agents`: create, fetch, show, list, update, retire, reinstate and delete agents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkcore import Op, Raw, endpoint

from ..models.agent import Agent, AgentForCreate, AgentForUpdate, AgentSummary
from ..models.base import ListResponse
from ._base import (
    API,
    M,
    PrefactorResource,
    as_details,
    model_or_mapping,
    optional_str,
    path_id,
)

__all__ = ["Agents"]

_AGENT = as_details(Agent)
_MAX_PAGE_SIZE = 100


def _summaries(body: Any) -> list[AgentSummary]:
    if not isinstance(body, Mapping) or body.get("status") != "success":
        raise ValueError("expected a {'status': 'success', 'summaries': [...]} envelope")
    # The whole envelope is checked (pagination and sorting too), as the API promises it.
    return ListResponse[AgentSummary].model_validate(body).summaries


def _list_op(
    query: dict[str, Any], offset: int | None, page_size: int | None
) -> Op[list[AgentSummary]]:
    if offset is not None and (
        isinstance(offset, bool) or not isinstance(offset, int) or offset < 0
    ):
        raise ValueError(f"offset must be an int >= 0, got {offset!r}")
    if page_size is not None and (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not 1 <= page_size <= _MAX_PAGE_SIZE
    ):
        raise ValueError(f"page_size must be an int from 1 to {_MAX_PAGE_SIZE}, got {page_size!r}")
    paging = {"pagination[offset]": offset, "pagination[page_size]": page_size}
    return Op("GET", f"{API}/agent", _summaries, query={**query, **paging})


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
    def show(
        self,
        *,
        agent_id: str | None = None,
        external_identifier: str | None = None,
        environment_id: str | None = None,
        include_counts: bool = False,
        include_risk_rollup: bool = False,
    ) -> Op[Agent]:
        """Find an agent by ``agent_id`` or ``external_identifier`` (exactly one).

        ``environment_id`` scopes the counts and risk rollup to one environment;
        ``include_risk_rollup`` fills `Agent.risk_rollup`.
        """
        if (agent_id is None) == (external_identifier is None):
            raise ValueError("give exactly one of agent_id and external_identifier")
        for name, flag in (
            ("include_counts", include_counts),
            ("include_risk_rollup", include_risk_rollup),
        ):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be a bool, got {type(flag).__name__}")
        query = {
            "agent_id": optional_str(agent_id, "agent_id"),
            "external_identifier": optional_str(external_identifier, "external_identifier"),
            "environment_id": optional_str(environment_id, "environment_id"),
            "include_counts": "true" if include_counts else None,
            "include_risk_rollup": "true" if include_risk_rollup else None,
        }
        return Op("GET", f"{API}/agent/show", _AGENT, query=query)

    @endpoint
    def list_agents(
        self,
        risk_profile_id: str | None = None,
        team_id: str | None = None,
        owner_person_id: str | None = None,
        sorting: str | None = None,
        offset: int | None = None,
        page_size: int | None = None,
    ) -> Op[list[AgentSummary]]:
        """One page of agents, filtered and sorted.

        Args:
            risk_profile_id: Only agents with this risk profile (``"null"``: without one).
            team_id: Only agents of this team (``"null"``: without one).
            owner_person_id: Only agents with this owner (``"null"``: without one).
            sorting: A field (``name``, ``id``, ``inserted_at``, ...), ``-`` first for
                descending; oldest first when omitted.
            offset: 0-based index of the first agent.
            page_size: 1 to 100.
        """
        query = {
            "risk_profile_id": optional_str(risk_profile_id, "risk_profile_id"),
            "team_id": optional_str(team_id, "team_id"),
            "owner_person_id": optional_str(owner_person_id, "owner_person_id"),
            "sorting": optional_str(sorting, "sorting"),
        }
        return _list_op(query, offset, page_size)

    @endpoint
    def list(
        self, offset: int | None = None, page_size: int | None = None
    ) -> Op[list[AgentSummary]]:
        """One page of agents, oldest first (``offset`` 0-based, ``page_size`` 1 to 100)."""
        return _list_op({}, offset, page_size)

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
