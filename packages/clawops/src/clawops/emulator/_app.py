"""`create_app`: the ClawOps Voice API emulator as a FastAPI application."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from sdkcore.emulator import (
    background_task,
    document_bearer_auth,
    document_error_responses,
    install_error_handlers,
    install_faults,
    install_journal,
)

from ._assignment_links import public_router as public_links_router
from ._assignment_links import router as assignment_links_router
from ._callbacks import CallbackDispatcher
from ._calls import router as calls_router
from ._config import EmulatorConfig
from ._deps import EmulatorState, ErrorBody, error_body
from ._messaging import install_messaging
from ._numbers import router as numbers_router
from ._recordings import router as recordings_router
from ._sip import router as sip_router
from ._sip_credentials import router as sip_credentials_router
from ._sip_endpoints import router as sip_endpoints_router
from ._store import open_database
from ._transcripts import router as transcripts_router
from ._webhook_logs import router as webhook_logs_router

__all__ = ["app_state", "create_app"]


def create_app(config: EmulatorConfig) -> FastAPI:
    """Build the emulator app for ``config``, its database opened and ready.

    Status callbacks are sent by a task that runs while the app is served (its lifespan).
    The app carries ``app.state.journal`` (every request received), ``app.state.faults``
    (fault injection; the ``X-Emulator-Fault`` header also works) and
    ``app.state.clawops`` (see `app_state`). Close ``app_state(app).db`` when done with it.
    """
    db = open_database(config)
    dispatcher = CallbackDispatcher(config, db)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with background_task(dispatcher.run(), name="clawops-status-callbacks"):
            yield

    app = FastAPI(
        title="ClawOps Voice API emulator",
        description="A stateful local stand-in for https://api.claw-ops.com.",
        lifespan=lifespan,
    )
    app.state.clawops = EmulatorState(config=config, db=db, dispatcher=dispatcher)
    install_messaging(app, db, config)
    install_error_handlers(app, error_body)
    for router in (
        calls_router,
        numbers_router,
        sip_router,
        sip_credentials_router,
        sip_endpoints_router,
        assignment_links_router,
        recordings_router,
        transcripts_router,
        webhook_logs_router,
        public_links_router,
    ):
        app.include_router(router)
    document_error_responses(app, ErrorBody)
    document_bearer_auth(app)
    install_faults(app, error_body=error_body)
    install_journal(app)
    return app


def app_state(app: FastAPI) -> EmulatorState:
    """Return the configuration, database and callback dispatcher of an emulator app."""
    state = app.state.clawops
    assert isinstance(state, EmulatorState)
    return state
