"""Request plumbing shared by the routers: state, authentication, bodies, errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, cast
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from sdkcore.emulator import Database, EmulatorError, bearer_token

from ._callbacks import CallbackDispatcher
from ._config import EmulatorConfig

__all__ = [
    "ACCOUNT_PREFIX",
    "OPTIONAL_URL_PATTERN",
    "URL_PATTERN",
    "AccountId",
    "EmulatorState",
    "ErrorBody",
    "State",
    "check_url",
    "error_body",
    "read_body",
    "require",
    "state_of",
]

ACCOUNT_PREFIX = "/v1/accounts/{account_id}"

URL_PATTERN = (
    r"^[Hh][Tt][Tt][Pp][Ss]?://"
    r"[A-Za-z0-9._~%!$&'()*+,;=:@-]+(?:[/?#]|$)"
)
"""What `check_url` accepts, for the OpenAPI document: an http(s) URL whose authority holds only
the unbracketed characters RFC 3986 allows there, which `urlsplit` always takes. (A bracketed
IPv6 host is refused: the pattern could not tell a valid one from one `urlsplit` rejects.)"""
OPTIONAL_URL_PATTERN = f"^$|{URL_PATTERN}"
"""An optional URL field: empty means "none"."""

_ModelT = TypeVar("_ModelT", bound=BaseModel)


@dataclass(frozen=True)
class EmulatorState:
    """What the routers of one app share; kept on ``app.state.clawops``."""

    config: EmulatorConfig
    db: Database
    dispatcher: CallbackDispatcher


class ErrorBody(BaseModel):
    """The body of every ClawOps error response; messaging errors also name their ``code``."""

    error: str
    code: str | None = None


def error_body(status_code: int, message: str, details: Any) -> dict[str, str]:
    """Build the ClawOps error body, ``{"error": message}``, for any failure."""
    return {"error": message}


def state_of(request: Request) -> EmulatorState:
    """Return the `EmulatorState` of the app serving ``request``."""
    return cast(EmulatorState, request.app.state.clawops)


async def _state(request: Request) -> EmulatorState:
    return state_of(request)


State = Annotated[EmulatorState, Depends(_state)]


async def _authorized_account(account_id: str, request: Request) -> str:
    # An unknown account answers 403 like an inaccessible one (the documented "account
    # mismatch"), so a key cannot probe which account ids exist.
    token = bearer_token(request)
    challenge = {"WWW-Authenticate": "Bearer"}
    if token is None:
        raise EmulatorError(401, "Missing API key", headers=challenge)
    config = state_of(request).config
    if token not in config.api_keys:
        raise EmulatorError(401, "Invalid API key", headers=challenge)
    if not config.can_access(token, account_id):
        raise EmulatorError(403, f"API key does not have access to account {account_id}")
    return account_id


AccountId = Annotated[str, Depends(_authorized_account)]
"""The path's account id, once the request's API key is known to be allowed on it."""


async def read_body(request: Request, model: type[_ModelT]) -> _ModelT:
    """Parse the JSON body (empty means ``{}``) into ``model``.

    Read inside the endpoint, after authentication, so a bad key always gets 401 even
    when the body is broken. Invalid JSON and wrongly typed fields answer 422.
    """
    raw = await request.body()
    try:
        return model.model_validate_json(raw if raw.strip() else b"{}")
    except ValidationError as exc:
        errors = [
            {**error, "loc": ("body", *error["loc"])}
            for error in exc.errors(include_url=False, include_context=False)
        ]
        raise RequestValidationError(errors) from None


def require(value: str | None, field: str) -> str:
    """Return ``value``; a missing or empty required field answers 400."""
    if not value:
        raise EmulatorError(400, f"Missing required field: {field}")
    return value


def check_url(value: str, field: str) -> str:
    """Return ``value`` if it is an absolute http(s) URL; otherwise answer 400."""
    if re.match(URL_PATTERN, value) is None or not urlsplit(value).netloc:
        raise EmulatorError(400, f"Invalid {field}: expected an absolute http(s) URL")
    return value
