"""A minimal SDK on sdkcore, shaped like the real ones: a profile, a resource made once per
client (as clawops makes its own), two clients."""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

import httpx

import sdkcore
from sdkcore import Mode, Op, Resource, as_model, endpoint, path_segment

# One pool configuration for every contender: room for the async rows' 500 in-flight
# requests, all kept alive so no contender pays for reconnects (idle ones too: a contender
# waits while the slow httpx pools take their turn, longer than httpx's default 5 s expiry).
LIMITS = httpx.Limits(max_connections=500, max_keepalive_connections=500, keepalive_expiry=60.0)
TIMEOUT = httpx.Timeout(30.0)

PROFILE = sdkcore.ClientProfile(
    name="bench",
    version="0.0.0",
    error_map=sdkcore.ErrorMap(
        status={}, server_error=sdkcore.APIStatusError, fallback=sdkcore.APIStatusError
    ),
    default_timeout=TIMEOUT,
    limits=LIMITS,
)


class Item(sdkcore.CamelModel):
    """What the bench server returns; also validated by the raw baselines."""

    item_id: str
    display_name: str
    price: float


M = TypeVar("M", bound=Mode)


class Items(Resource[M]):
    """The bench server's items."""

    @endpoint
    def get(self, item_id: str) -> Op[Item]:
        """Fetch one item."""
        return Op("GET", "/items/" + path_segment(item_id, argument="item_id"), as_model(Item))

    @endpoint
    def create(self, body: dict[str, Any]) -> Op[Item]:
        """Post an item; the server echoes it."""
        return Op("POST", "/items", as_model(Item), body=body)


class _BenchBase(sdkcore.BaseClient):
    def __init__(self, *, base_url: str) -> None:
        super().__init__(profile=PROFILE, base_url=base_url, auth_headers={})

    def _copy_state(self) -> dict[str, Any]:
        # A copy (`with_options`) must not keep the resource bound to this client.
        state = super()._copy_state()
        state.pop("items", None)
        return state


class Bench(_BenchBase, sdkcore.SyncAPIClient):
    """Blocking client."""

    @cached_property
    def items(self) -> Items[sdkcore.Sync]:
        """Items."""
        return Items(self)


class AsyncBench(_BenchBase, sdkcore.AsyncAPIClient):
    """Async client."""

    @cached_property
    def items(self) -> Items[sdkcore.Async]:
        """Items."""
        return Items(self)
