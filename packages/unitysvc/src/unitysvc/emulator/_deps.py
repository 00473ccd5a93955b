"""Request plumbing shared by the routers: state, authentication, errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, cast

import httpx
from fastapi import Depends, Request
from pydantic import BaseModel
from starlette.requests import HTTPConnection

from sdkcore.emulator import Database, EmulatorError, bearer_token

from ._config import EmulatorConfig

__all__ = [
    "Customer",
    "EmulatorState",
    "ErrorBody",
    "State",
    "authenticate",
    "error_body",
    "gateway_base",
    "not_found",
    "state_of",
]


@dataclass
class EmulatorState:
    """What the routers of one app share; kept on ``app.state.unitysvc``.

    ``upstream_url`` is filled in once the catalogue's upstream server listens; ``http`` is
    the gateway's pooled client to the upstreams, open while the app is served;
    ``files_dir`` holds the bytes of account files.
    """

    config: EmulatorConfig
    db: Database
    files_dir: Path
    upstream_url: str = ""
    http: httpx.AsyncClient | None = None
    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    # Where the gateway sends ``b/`` and ``c/`` paths (`_fanout.dispatch_named`, set by
    # `create_app`): broadcasts and chains call their targets through the gateway, so the
    # gateway cannot import them back without an import cycle.
    dispatch_named: Callable[[EmulatorState, Any, str], Awaitable[httpx.Response]] | None = None

    def customer(self, token: str | None) -> str | None:
        """The customer id of an API key, or None for an unknown key."""
        if token is None:
            return None
        return self.config.customers().get(token)

    def key_of(self, customer_id: str) -> str:
        """The API key of a customer (the scheduler sends its runs with it)."""
        for key, customer in self.config.customers().items():
            if customer == customer_id:
                return key
        raise KeyError(customer_id)


class ErrorBody(BaseModel):
    """FastAPI's error shape: a message, or on 422 the list of field errors."""

    detail: Any


def error_body(status_code: int, message: str, details: Any) -> dict[str, Any]:
    """FastAPI's error shape: ``{"detail": message}``, or the list of field errors on 422."""
    return {"detail": details if details is not None else message}


def state_of(request: HTTPConnection) -> EmulatorState:
    """The `EmulatorState` of the app serving ``request``."""
    return cast(EmulatorState, request.app.state.unitysvc)


def authenticate(request: HTTPConnection) -> str:
    """The customer id of the request's Bearer key; 401 when missing or unknown."""
    customer = state_of(request).customer(bearer_token(request))
    if customer is None:
        raise EmulatorError(
            401, "Invalid or missing API key", headers={"WWW-Authenticate": "Bearer"}
        )
    return customer


async def _state(request: Request) -> EmulatorState:
    return state_of(request)


async def _customer(request: Request) -> str:
    return authenticate(request)


State = Annotated[EmulatorState, Depends(_state)]
Customer = Annotated[str, Depends(_customer)]


def not_found(what: str) -> EmulatorError:
    """A 404 naming what was not found."""
    return EmulatorError(404, f"{what} not found")


def gateway_base(request: HTTPConnection, gateway: str = "api") -> str:
    """The public base URL of a gateway on this server, e.g. ``http://h:p/gateway/api``."""
    return str(request.base_url).rstrip("/") + "/gateway/" + gateway
