"""`client.agent_instances`: register, start, finish, fetch agent instances and record their
quality."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sdkcore import Op, Raw, endpoint, strip_not_given

from ..models.agent_instance import (
    AgentInstance,
    AgentSchemaVersionForRegister,
    AgentVersionForRegister,
)
from ..models.types import FINISH_STATUSES, INSTANCE_PURPOSES, FinishStatus, InstancePurpose
from ._base import (
    API,
    M,
    PrefactorResource,
    as_details,
    check_choice,
    check_mapping,
    check_str,
    iso_timestamp,
    model_or_mapping,
    optional_str,
    path_id,
)

__all__ = ["AgentInstances"]

_INSTANCE = as_details(AgentInstance)


class AgentInstances(PrefactorResource[M]):
    """Agent instances: one run of an agent version, pending -> active -> finished."""

    @property
    def with_raw_response(self) -> AgentInstances[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: AgentInstances[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def register(
        self,
        agent_id: str | None,
        agent_version: dict[str, Any] | AgentVersionForRegister,
        agent_schema_version: dict[str, Any] | AgentSchemaVersionForRegister,
        id: str | None = None,
        idempotency_key: str | None = None,
        update_current_version: bool = True,
        *,
        environment_id: str | None = None,
        purpose: InstancePurpose | None = None,
        external_identifier: str | None = None,
    ) -> Op[AgentInstance]:
        """Register a new (pending) instance of an agent.

        Args:
            agent_id: The agent, which must exist in the token's account (None with a
                deployment-scoped token, which names it).
            agent_version: ``{"name", "external_identifier", "description",
                "runtime_environment"}``; an existing version with the same external
                identifier is reused.
            agent_schema_version: ``{"external_identifier", "span_type_schemas": [...]}`` or
                ``{"external_identifier", "span_schemas": {...}, "span_result_schemas": {...}}``,
                plus ``"quality_schemas": [...]`` for `record_quality`.
            id: Pre-assigned instance id.
            idempotency_key: Makes a repeated call return the first result (generated when
                omitted, so a retry never registers twice).
            update_current_version: Make this version the deployment's current one.
            environment_id: The environment to run in (None: the token's).
            purpose: ``live`` (the API's default), ``smoke_test`` or ``eval``.
            external_identifier: This run's id in your system (unique per agent).
        """
        if not isinstance(update_current_version, bool):
            raise TypeError("update_current_version must be a bool")
        body: dict[str, Any] = {
            "agent_id": optional_str(agent_id, "agent_id"),
            "agent_version": model_or_mapping(
                agent_version, AgentVersionForRegister, "agent_version"
            ),
            "agent_schema_version": model_or_mapping(
                agent_schema_version, AgentSchemaVersionForRegister, "agent_schema_version"
            ),
            "update_current_version": update_current_version,
            "environment_id": optional_str(environment_id, "environment_id"),
            "id": optional_str(id, "id"),
            "purpose": check_choice(purpose, INSTANCE_PURPOSES, "purpose"),
            "external_identifier": optional_str(external_identifier, "external_identifier"),
            "idempotency_key": self._key(idempotency_key),
        }
        body = {key: value for key, value in body.items() if value is not None}
        return self._write(f"{API}/agent_instance/register", _INSTANCE, body)

    @endpoint
    def start(
        self,
        agent_instance_id: str,
        timestamp: datetime | str | None = None,
        idempotency_key: str | None = None,
    ) -> Op[AgentInstance]:
        """Mark a pending instance active (``timestamp`` overrides the start time)."""
        body = {
            "timestamp": iso_timestamp(timestamp, "timestamp"),
            "idempotency_key": self._key(idempotency_key),
        }
        return self._write(self._path(agent_instance_id, "/start"), _INSTANCE, body)

    @endpoint
    def finish(
        self,
        agent_instance_id: str,
        status: FinishStatus | None = None,
        timestamp: datetime | str | None = None,
        idempotency_key: str | None = None,
    ) -> Op[AgentInstance]:
        """Finish an active instance as ``complete`` (the default), ``failed`` or ``cancelled``."""
        body = strip_not_given(
            {
                "status": check_choice(status, FINISH_STATUSES, "status"),
                "timestamp": iso_timestamp(timestamp, "timestamp"),
                "idempotency_key": self._key(idempotency_key),
            }
        )
        return self._write(self._path(agent_instance_id, "/finish"), _INSTANCE, body)

    @endpoint
    def get(self, agent_instance_id: str) -> Op[AgentInstance]:
        """Fetch an instance with its current status and span counts."""
        return Op("GET", self._path(agent_instance_id), _INSTANCE)

    @endpoint
    def record_quality(
        self,
        agent_instance_id: str,
        name: str,
        payload: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Op[AgentInstance]:
        """Record (or, with ``payload=None``, clear) the quality payload ``name``.

        ``name`` is one of the instance's schema version ``quality_schemas``, whose JSON
        Schema the payload must match (a 422 names the failing fields); other names are left
        as they are.
        """
        body = {
            "name": check_str(name, "name"),
            "payload": check_mapping(payload, "payload"),
            "idempotency_key": self._key(idempotency_key),
        }
        return self._write(self._path(agent_instance_id, "/record_quality"), _INSTANCE, body)

    @staticmethod
    def _path(agent_instance_id: str, action: str = "") -> str:
        return f"{API}/agent_instance/{path_id(agent_instance_id, 'agent_instance_id')}{action}"
