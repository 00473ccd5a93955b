"""`create_app`: the UnitySVC emulator (control plane and gateways) as one FastAPI app."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import FastAPI

from sdkcore.emulator import (
    STANDARD_ERROR_STATUSES,
    background_task,
    document_bearer_auth,
    document_error_responses,
    install_body_limit,
    install_error_handlers,
    install_faults,
    install_journal,
)

from ._config import EmulatorConfig
from ._control import router as control_router
from ._deps import EmulatorState, ErrorBody, error_body
from ._fanout import dispatch_named
from ._gateway import router as gateway_router
from ._idempotency import IdempotencyMiddleware
from ._objects import router as objects_router
from ._storage import ROUTE as STORAGE_ROUTE
from ._storage import router as storage_router
from ._store import open_database
from ._workers import run_workers

__all__ = ["app_state", "create_app"]


def create_app(config: EmulatorConfig) -> FastAPI:
    """Build the emulator app for ``config``, its database opened and ready.

    The control plane answers under ``/v1`` (and ``/v1/customer``), the gateways under
    ``/gateway/api``, ``/gateway/s3`` and ``/gateway/smtp``. While served, a background task
    activates enrollments and fires recurrent requests. Set ``app_state(app).upstream_url``
    to where the catalogue's upstream app listens (`UnitysvcEmulator` and the CLI do).
    """
    scratch = None
    if config.files_dir:
        files_dir = Path(config.files_dir)
    elif config.db != ":memory:":
        files_dir = Path(config.db + ".files")
    else:
        # Removed when the app is collected, as the in-memory database is.
        scratch = tempfile.TemporaryDirectory(prefix="unitysvc-files-")
        files_dir = Path(scratch.name)
    files_dir.mkdir(parents=True, exist_ok=True)
    state = EmulatorState(
        config=config,
        db=open_database(config.db),
        files_dir=files_dir,
        upstream_url=config.upstream_url,
        dispatch_named=dispatch_named,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.http = httpx.AsyncClient(
            timeout=httpx.Timeout(config.upstream_timeout, connect=5.0),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        )
        try:
            async with background_task(run_workers(state), name="unitysvc-workers"):
                yield
        finally:
            await state.http.aclose()

    app = FastAPI(
        title="UnitySVC customer API emulator",
        description="A stateful local stand-in for the UnitySVC control plane and its gateways.",
        lifespan=lifespan,
        redirect_slashes=False,
    )
    app.state.unitysvc = state
    app.state.files_scratch = scratch
    install_error_handlers(app, error_body)
    for router in (control_router, gateway_router, objects_router, storage_router):
        app.include_router(router)
    # 409: duplicates and state conflicts (an enrolled service, a deleted alias).
    document_error_responses(app, ErrorBody, statuses=(*STANDARD_ERROR_STATUSES, 409))
    document_bearer_auth(app)
    app.add_middleware(IdempotencyMiddleware)
    install_faults(app, error_body=error_body)
    # Large uploads stream through the journal; it keeps their first MiB.
    install_journal(app, max_body=1 << 20)
    # Account files stream to disk; each presigned policy bounds its own size.
    install_body_limit(app).allow(f"{STORAGE_ROUTE}(/.*)?", method="POST")
    return app


def app_state(app: FastAPI) -> EmulatorState:
    """The configuration, database and routing state of an emulator app."""
    state = app.state.unitysvc
    assert isinstance(state, EmulatorState)
    return state
