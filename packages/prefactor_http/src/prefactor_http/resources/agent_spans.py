"""`client.agent_spans`: create and finish the spans of an instance."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sdkcore import Op, Raw, endpoint, strip_not_given

from ..models.agent_span import AgentSpan
from ..models.types import FINISH_STATUSES, SPAN_STATUSES, AgentStatus, FinishStatus
from ._base import (
    API,
    M,
    PrefactorResource,
    as_details,
    check_choice,
    check_mapping,
    check_str,
    iso_timestamp,
    optional_str,
    path_id,
)

__all__ = ["AgentSpans"]

_SPAN = as_details(AgentSpan)

ControlSignalCallback = Callable[[str | None], None]
"""Called with the reason when the service answers that the instance must stop."""


def _span_cast(callback: ControlSignalCallback | None) -> Callable[[Any], AgentSpan]:
    """The span cast; with a callback, it first hands over a ``control.terminate`` signal."""
    if callback is None:
        return _SPAN
    if not callable(callback):
        raise TypeError("control_signal_callback must be callable")

    def cast(body: Any) -> AgentSpan:
        control = body.get("control") if isinstance(body, Mapping) else None
        if isinstance(control, Mapping) and control.get("terminate"):
            reason = control.get("reason")
            callback(reason if isinstance(reason, str) else None)
        return _SPAN(body)

    return cast


class AgentSpans(PrefactorResource[M]):
    """Spans: the steps of an instance, nested through ``parent_span_id``."""

    @property
    def with_raw_response(self) -> AgentSpans[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: AgentSpans[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def create(
        self,
        agent_instance_id: str,
        schema_name: str,
        status: AgentStatus,
        payload: dict[str, Any] | None = None,
        result_payload: dict[str, Any] | None = None,
        id: str | None = None,
        parent_span_id: str | None = None,
        started_at: datetime | str | None = None,
        finished_at: datetime | str | None = None,
        idempotency_key: str | None = None,
        control_signal_callback: ControlSignalCallback | None = None,
    ) -> Op[AgentSpan]:
        """Create a span on an active instance.

        Args:
            agent_instance_id: The instance.
            schema_name: A span type of the instance's schema version; ``payload`` must match
                its ``params_schema`` and ``result_payload`` its ``result_schema``.
            status: Initial status (``pending``, ``active``, or a finished one).
            payload: The span's parameters (``{}`` when omitted).
            result_payload: The span's result, for a span created finished.
            id: Pre-assigned span id.
            parent_span_id: The enclosing span, for nesting.
            started_at: Overrides the start time.
            finished_at: Overrides the finish time.
            idempotency_key: Makes a repeated call return the first span (generated when
                omitted, so a retry never creates two).
            control_signal_callback: Called with the reason when the answer says the
                instance was terminated.
        """
        details = strip_not_given(
            {
                "agent_instance_id": check_str(agent_instance_id, "agent_instance_id"),
                "schema_name": check_str(schema_name, "schema_name"),
                "status": check_choice(check_str(status, "status"), SPAN_STATUSES, "status"),
                "payload": check_mapping(payload, "payload") or {},
                "result_payload": check_mapping(result_payload, "result_payload"),
                "id": optional_str(id, "id"),
                "parent_span_id": optional_str(parent_span_id, "parent_span_id"),
                "started_at": iso_timestamp(started_at, "started_at"),
                "finished_at": iso_timestamp(finished_at, "finished_at"),
                "idempotency_key": self._key(idempotency_key),
            }
        )
        cast = _span_cast(control_signal_callback)
        return self._write(f"{API}/agent_spans", cast, {"details": details})

    @endpoint
    def finish(
        self,
        agent_span_id: str,
        status: FinishStatus | None = None,
        result_payload: dict[str, Any] | None = None,
        timestamp: datetime | str | None = None,
        idempotency_key: str | None = None,
        control_signal_callback: ControlSignalCallback | None = None,
    ) -> Op[AgentSpan]:
        """Finish a span as ``complete`` (the default), ``failed`` or ``cancelled``
        (``control_signal_callback`` as for `create`)."""
        body = strip_not_given(
            {
                "status": check_choice(status, FINISH_STATUSES, "status"),
                "result_payload": check_mapping(result_payload, "result_payload"),
                "timestamp": iso_timestamp(timestamp, "timestamp"),
                "idempotency_key": self._key(idempotency_key),
            }
        )
        path = f"{API}/agent_spans/{path_id(agent_span_id, 'agent_span_id')}/finish"
        return self._write(path, _span_cast(control_signal_callback), body)
