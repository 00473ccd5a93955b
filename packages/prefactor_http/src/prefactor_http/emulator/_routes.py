"""The HTTP routes: each reads its parameters and runs the matching action."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.convertors import StringConvertor, register_url_convertor

from sdkcore.emulator import Database, bearer_token

from ..models.agent import Agent, AgentSummary
from ..models.agent_instance import AgentInstance
from ..models.agent_span import AgentSpan
from ..models.base import ApiResponse, ListResponse
from ..models.bulk import BULK_ACTIONS, BulkResponse
from ._actions import MAX_OFFSET, Action, perform
from ._agents import AGENT_ACTIONS, SORTABLE
from ._bodies import (
    AgentCreateBody,
    AgentKeyBody,
    AgentUpdateBody,
    BulkBody,
    InstanceFinishBody,
    InstanceStartBody,
    RecordQualityBody,
    RegisterBody,
    SpanCreateBody,
    SpanFinishBody,
)
from ._config import EmulatorConfig
from ._envelope import ApiError
from ._instances import INSTANCE_ACTIONS
from ._openapi import Ping, documented
from ._spans import SPAN_ACTIONS

__all__ = ["EmulatorState", "router"]

_MIN_BULK_KEY = 8
_SORTING = rf"^-?({'|'.join(SORTABLE)})$"
_MAX_KEY = 64

router = APIRouter(prefix="/api/v1")

_AGENT = ApiResponse[Agent]
_INSTANCE = ApiResponse[AgentInstance]
_SPAN = ApiResponse[AgentSpan]

ACTIONS: dict[str, Action] = {**AGENT_ACTIONS, **INSTANCE_ACTIONS, **SPAN_ACTIONS}
"""Every action, by the name bulk items give as ``_type``."""


def _id_except(name: str, word: str) -> None:
    """Register path convertor ``name``: one segment other than ``word``.

    ``/agent/show`` and ``/agent_instance/register`` are routes of their own, so another
    method there must answer 405 (listing only their own methods in ``Allow``) instead of
    acting on a resource that happens to be called "show" or "register".
    """

    class Convertor(StringConvertor):
        regex = rf"(?!{word}$)[^/]+"

    register_url_convertor(name, Convertor())


_id_except("prefactor_agent_id", "show")
_id_except("prefactor_instance_id", "register")


@dataclass(frozen=True)
class EmulatorState:
    """What the routes of one app share; kept on ``app.state.prefactor``."""

    config: EmulatorConfig
    db: Database


def _state(request: Request) -> EmulatorState:
    state = request.app.state.prefactor
    assert isinstance(state, EmulatorState)
    return state


_BEARER = HTTPBearer(auto_error=False, description="The account's API token")


async def _account(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> str:
    # The scheme object only documents the header; the kit's parser decides, as elsewhere.
    token = bearer_token(request)
    challenge = {"WWW-Authenticate": "Bearer"}
    if token is None:
        raise ApiError(401, "unauthorized", "missing bearer token", headers=challenge)
    account = _state(request).config.tokens.get(token)
    if account is None:
        raise ApiError(401, "unauthorized", "invalid API token", headers=challenge)
    return account


Account = Annotated[str, Depends(_account)]
"""The account of the request's bearer token (401 when it has none)."""

Id = Annotated[str, Path(pattern=r"\S")]
"""A resource id in the path: not blank."""


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "malformed_json", f"request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "request body must be a JSON object")
    return body


def _key(value: Any, field: str, minimum: int = 1) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not minimum <= len(value) <= _MAX_KEY:
        message = f"must be a string of {minimum} to {_MAX_KEY} characters"
        raise ApiError(422, "validation_error", f"{field} {message}", {field: [message]})
    return value


async def _write(request: Request, account: str, action: str, **path: str) -> dict[str, Any]:
    """Run a write whose parameters are the body (minus its key) plus the path ids."""
    body = await _body(request)
    key = _key(body.pop("idempotency_key", None), "idempotency_key") or _key(
        request.headers.get("idempotency-key"), "Idempotency-Key"
    )
    return _perform(_state(request).db, account, action, {**body, **path}, key)


def _perform(
    db: Database, account: str, action: str, params: dict[str, Any], key: str | None
) -> dict[str, Any]:
    return perform(db, account, action, ACTIONS[action], params, key)


def _read(request: Request, account: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
    return _perform(_state(request).db, account, action, params, None)


@router.get("/ping", **documented(ApiResponse[Ping]))
async def ping(account: Account) -> dict[str, Any]:
    """Check a token: its account."""
    return {"status": "success", "details": {"account_id": account}}


@router.get("/agent", **documented(ListResponse[AgentSummary]))
async def list_agents(
    request: Request,
    account: Account,
    offset: Annotated[int | None, Query(alias="pagination[offset]", ge=0, le=MAX_OFFSET)] = None,
    page_size: Annotated[int | None, Query(alias="pagination[page_size]", ge=1, le=100)] = None,
    sorting: Annotated[str | None, Query(pattern=_SORTING)] = None,
    risk_profile_id: str | None = None,
    team_id: str | None = None,
    owner_person_id: str | None = None,
) -> dict[str, Any]:
    """One page of agents (``pagination[offset]``, ``pagination[page_size]``), sorted by
    ``sorting`` (a field, ``-`` first for descending) and filtered by owner, team or risk
    profile (``null`` matches agents without one)."""
    params = {
        "pagination": {"offset": offset, "page_size": page_size},
        "sorting": sorting,
        "risk_profile_id": risk_profile_id,
        "team_id": team_id,
        "owner_person_id": owner_person_id,
    }
    return _read(request, account, "agents/list", params)


@router.post("/agent", **documented(_AGENT, AgentCreateBody))
async def create_agent(request: Request, account: Account) -> dict[str, Any]:
    """Create an agent from ``details``."""
    return await _write(request, account, "agents/create")


@router.get("/agent/show", **documented(_AGENT))
async def show_agent(
    request: Request,
    account: Account,
    agent_id: str | None = None,
    external_identifier: str | None = None,
    environment_id: str | None = None,
    include_counts: bool = False,
    include_risk_rollup: bool = False,
) -> dict[str, Any]:
    """Find an agent by ``agent_id`` or ``external_identifier`` (exactly one), with its
    instance counts (always; of ``environment_id`` when given) and, with
    ``include_risk_rollup``, the data risk its span types and quality schemas add up to."""
    params = {
        "agent_id": agent_id,
        "external_identifier": external_identifier,
        "environment_id": environment_id,
        "include_counts": include_counts,
        "include_risk_rollup": include_risk_rollup,
    }
    return _read(request, account, "agents/show", params)


@router.get("/agent/{agent_id:prefactor_agent_id}", **documented(_AGENT))
async def get_agent(request: Request, account: Account, agent_id: Id) -> dict[str, Any]:
    """Fetch an agent."""
    return _read(request, account, "agents/get", {"agent_id": agent_id})


@router.put("/agent/{agent_id:prefactor_agent_id}", **documented(_AGENT, AgentUpdateBody))
async def update_agent(request: Request, account: Account, agent_id: Id) -> dict[str, Any]:
    """Change an agent's name or description."""
    return await _write(request, account, "agents/update", agent_id=agent_id)


@router.post(
    "/agent/{agent_id:prefactor_agent_id}/retire",
    **documented(_AGENT, AgentKeyBody, required=False),
)
async def retire_agent(request: Request, account: Account, agent_id: Id) -> dict[str, Any]:
    """Retire an agent."""
    return await _write(request, account, "agents/retire", agent_id=agent_id)


@router.post(
    "/agent/{agent_id:prefactor_agent_id}/reinstate",
    **documented(_AGENT, AgentKeyBody, required=False),
)
async def reinstate_agent(request: Request, account: Account, agent_id: Id) -> dict[str, Any]:
    """Reinstate a retired agent."""
    return await _write(request, account, "agents/reinstate", agent_id=agent_id)


@router.delete(
    "/agent/{agent_id:prefactor_agent_id}", **documented(_AGENT, AgentKeyBody, required=False)
)
async def delete_agent(request: Request, account: Account, agent_id: Id) -> dict[str, Any]:
    """Delete an agent without instances."""
    return await _write(request, account, "agents/delete", agent_id=agent_id)


@router.post("/agent_instance/register", **documented(_INSTANCE, RegisterBody))
async def register_instance(request: Request, account: Account) -> dict[str, Any]:
    """Register a pending instance of an agent."""
    return await _write(request, account, "agent_instances/register")


@router.get("/agent_instance/{agent_instance_id:prefactor_instance_id}", **documented(_INSTANCE))
async def get_instance(request: Request, account: Account, agent_instance_id: Id) -> dict[str, Any]:
    """Fetch an instance with its span counts."""
    params = {"agent_instance_id": agent_instance_id}
    return _read(request, account, "agent_instances/get", params)


@router.post(
    "/agent_instance/{agent_instance_id:prefactor_instance_id}/start",
    **documented(_INSTANCE, InstanceStartBody, required=False),
)
async def start_instance(
    request: Request, account: Account, agent_instance_id: Id
) -> dict[str, Any]:
    """Start a pending instance."""
    return await _write(
        request, account, "agent_instances/start", agent_instance_id=agent_instance_id
    )


@router.post(
    "/agent_instance/{agent_instance_id:prefactor_instance_id}/finish",
    **documented(_INSTANCE, InstanceFinishBody, required=False),
)
async def finish_instance(
    request: Request, account: Account, agent_instance_id: Id
) -> dict[str, Any]:
    """Finish an active instance."""
    return await _write(
        request, account, "agent_instances/finish", agent_instance_id=agent_instance_id
    )


@router.post(
    "/agent_instance/{agent_instance_id:prefactor_instance_id}/record_quality",
    **documented(_INSTANCE, RecordQualityBody),
)
async def record_quality(
    request: Request, account: Account, agent_instance_id: Id
) -> dict[str, Any]:
    """Set (or, with a null payload, clear) one named quality payload of an instance."""
    return await _write(
        request, account, "agent_instances/record_quality", agent_instance_id=agent_instance_id
    )


@router.post("/agent_spans", **documented(_SPAN, SpanCreateBody))
async def create_span(request: Request, account: Account) -> dict[str, Any]:
    """Create a span from ``details``."""
    body = await _body(request)
    details = body.get("details")
    if not isinstance(details, dict):
        message = "details must be an object"
        raise ApiError(422, "validation_error", message, {"details": ["must be an object"]})
    key = (
        _key(details.pop("idempotency_key", None), "details.idempotency_key")
        or _key(body.get("idempotency_key"), "idempotency_key")
        or _key(request.headers.get("idempotency-key"), "Idempotency-Key")
    )
    return _perform(_state(request).db, account, "agent_spans/create", details, key)


@router.post(
    "/agent_spans/{agent_span_id}/finish", **documented(_SPAN, SpanFinishBody, required=False)
)
async def finish_span(request: Request, account: Account, agent_span_id: Id) -> dict[str, Any]:
    """Finish a span."""
    return await _write(request, account, "agent_spans/finish", agent_span_id=agent_span_id)


def _bulk_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise ApiError(
            422, "validation_error", "items must be a non-empty list", {"items": ["is empty"]}
        )
    errors: dict[str, list[str]] = {}
    duplicates: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if not isinstance(item, dict):
            errors[where] = ["must be an object"]
            continue
        action = item.get("_type")
        if not isinstance(action, str) or action not in BULK_ACTIONS:
            errors[f"{where}._type"] = [f"must be one of {', '.join(sorted(BULK_ACTIONS))}"]
        key = item.get("idempotency_key")
        if not isinstance(key, str) or not _MIN_BULK_KEY <= len(key) <= _MAX_KEY:
            errors[f"{where}.idempotency_key"] = [
                f"must be a string of {_MIN_BULK_KEY} to {_MAX_KEY} characters"
            ]
        elif key in seen:
            duplicates[f"{where}.idempotency_key"] = ["is not unique within the request"]
        else:
            seen.add(key)
    if errors:
        raise ApiError(422, "validation_error", "invalid bulk request", errors)
    if duplicates:
        # Well formed, but one key cannot name two outputs: a key conflict, as on reuse.
        message = "idempotency keys must be unique within a bulk request"
        raise ApiError(409, "idempotency_conflict", message, duplicates)
    return items


@router.post("/bulk", **documented(BulkResponse, BulkBody))
async def bulk(request: Request, account: Account) -> dict[str, Any]:
    """Run the items in order, each in its own transaction, up to the first failure."""
    items = _bulk_items(await _body(request))
    db = _state(request).db
    outputs: dict[str, Any] = {}
    for item in items:
        params = {k: v for k, v in item.items() if k not in ("_type", "idempotency_key")}
        if item["_type"] == "agent_spans/create" and isinstance(params.get("details"), dict):
            params = params["details"]
        key = item["idempotency_key"]
        try:
            outputs[key] = _perform(db, account, item["_type"], params, key)
        except ApiError as exc:
            outputs[key] = exc.envelope()
            break
    return {"status": "success", "outputs": outputs}
