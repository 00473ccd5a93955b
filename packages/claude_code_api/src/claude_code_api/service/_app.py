"""The FastAPI app: the service's lifespan, app-wide error answers and one router per wire."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from sdkcore.emulator import install_body_limit, install_faults

from .._version import __version__
from ._config import ServiceConfig
from ._database import database_url, migrate, open_engine
from ._http import error_response, known_query
from ._pricing import usd_to_nanos
from ._routes_anthropic import router as anthropic_router
from ._routes_openai import router as openai_router
from ._routes_seed import router as seed_router
from ._service import Service, ServiceError
from ._store import Store
from .engines import build_engine

__all__ = ["create_app"]

logger = logging.getLogger("claude_code_api.service")


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """The service's ASGI app; the database is migrated and the engine built at startup."""
    config = config or ServiceConfig()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = open_engine(database_url(config.db))
        try:
            await migrate(engine)
            model_engine = build_engine(config.engine, **dict(config.engine_options))
            try:
                default_budget = (
                    None
                    if config.default_budget_usd is None
                    else usd_to_nanos(config.default_budget_usd)
                )
                store = Store(engine, default_budget_nanos=default_budget)
                service = Service(config, store, model_engine)
                app.state.service = service
                try:
                    yield
                finally:
                    service.close()
                    await store.aclose()
            finally:
                await model_engine.aclose()
        finally:
            await engine.dispose()

    app = FastAPI(
        title="Claude Code API",
        version=__version__,
        description="Completions, agentic tasks, streaming, batches and usage over one engine.",
        lifespan=lifespan,
        dependencies=[Depends(known_query)],
    )

    install_body_limit(app, config.max_body_size)
    if config.fault_injection:
        install_faults(app)

    @app.exception_handler(ServiceError)
    async def on_service_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ServiceError)
        return error_response(exc)

    @app.exception_handler(Exception)
    async def on_unhandled(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return JSONResponse({"detail": "Internal server error"}, status_code=500)

    app.include_router(seed_router)
    app.include_router(openai_router)
    app.include_router(anthropic_router)
    return app
