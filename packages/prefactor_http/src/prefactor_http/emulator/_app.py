"""`create_app`: the Prefactor API emulator as a FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI

from sdkcore.emulator import (
    document_error_responses,
    install_error_handlers,
    install_faults,
    install_journal,
)

from ._config import EmulatorConfig
from ._envelope import error_body
from ._openapi import ERROR_STATUSES, ErrorBody
from ._routes import EmulatorState, router
from ._store import open_database

__all__ = ["app_state", "create_app"]


def create_app(config: EmulatorConfig) -> FastAPI:
    """Build the emulator app for ``config``, its database opened and ready.

    The app carries ``app.state.journal`` (every request received), ``app.state.faults``
    (fault injection; the ``X-Emulator-Fault`` header also works) and
    ``app.state.prefactor`` (see `app_state`). Close ``app_state(app).db`` when done with it.
    """
    app = FastAPI(
        title="Prefactor API emulator",
        description="A stateful local stand-in for https://api.prefactor.ai.",
    )
    app.state.prefactor = EmulatorState(config=config, db=open_database(config))
    install_error_handlers(app, error_body)
    app.include_router(router)
    document_error_responses(app, ErrorBody, statuses=ERROR_STATUSES)
    install_faults(app, error_body=error_body)
    install_journal(app)
    return app


def app_state(app: FastAPI) -> EmulatorState:
    """Return the configuration and database of an emulator app."""
    state = app.state.prefactor
    assert isinstance(state, EmulatorState)
    return state
