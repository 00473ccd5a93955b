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

from . import (
    _assignment_links,
    _calls,
    _numbers,
    _recordings,
    _sip,
    _sip_credentials,
    _sip_endpoints,
    _transcripts,
    _webhook_logs,
)
from ._callbacks import CallbackDispatcher
from ._config import EmulatorConfig
from ._deps import EmulatorState, ErrorBody, error_body
from ._messaging import install_messaging
from ._store import open_database

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
    for module in (_calls, _numbers, _sip):
        app.include_router(module.router)
    for module in (
        _sip_credentials,
        _sip_endpoints,
        _assignment_links,
        _recordings,
        _transcripts,
        _webhook_logs,
    ):
        app.include_router(module.router)
    app.include_router(_assignment_links.public_router)
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
