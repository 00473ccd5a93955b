"""`create_app`: the UnitySVC emulator (control plane and gateways) as one FastAPI app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.routing import Match

from sdkcore.emulator import install_error_handlers, install_faults, install_journal

from . import _control, _gateway, _objects, _workers
from ._config import EmulatorConfig
from ._deps import EmulatorState, error_body
from ._idempotency import IdempotencyMiddleware
from ._store import open_database

__all__ = ["app_state", "create_app"]


def create_app(config: EmulatorConfig) -> FastAPI:
    """Build the emulator app for ``config``, its database opened and ready.

    The control plane answers under ``/v1`` (and ``/v1/customer``), the gateways under
    ``/gateway/api``, ``/gateway/s3`` and ``/gateway/smtp``. While served, a background task
    activates enrollments and fires recurrent requests. Set ``app_state(app).upstream_url``
    to where the catalogue's upstream app listens (`UnitysvcEmulator` and the CLI do).
    """
    state = EmulatorState(
        config=config, db=open_database(config.db), upstream_url=config.upstream_url
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.http = httpx.AsyncClient(
            timeout=httpx.Timeout(config.upstream_timeout, connect=5.0),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        )
        task = asyncio.create_task(_workers.run_workers(state), name="unitysvc-workers")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await state.http.aclose()

    app = FastAPI(
        title="UnitySVC customer API emulator",
        description="A stateful local stand-in for the UnitySVC control plane and its gateways.",
        lifespan=lifespan,
        redirect_slashes=False,
    )
    app.state.unitysvc = state
    install_error_handlers(app, error_body)
    app.add_exception_handler(405, _method_not_allowed)
    app.include_router(_control.router)
    app.include_router(_gateway.router)
    app.include_router(_objects.router)
    app.add_middleware(IdempotencyMiddleware)
    install_faults(app, error_body=error_body)
    install_journal(app)
    return app


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    """405 whose ``Allow`` lists every method of the path: each method is its own route, so
    Starlette's answer would name only the first route's."""
    allowed: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "__none__"})
        if match is Match.PARTIAL and isinstance(route, APIRoute) and route.methods:
            allowed |= route.methods
    return JSONResponse(
        error_body(405, "Method Not Allowed", None),
        status_code=405,
        headers={"Allow": ", ".join(sorted(allowed))},
    )


def app_state(app: FastAPI) -> EmulatorState:
    """The configuration, database and routing state of an emulator app."""
    state = app.state.unitysvc
    assert isinstance(state, EmulatorState)
    return state
