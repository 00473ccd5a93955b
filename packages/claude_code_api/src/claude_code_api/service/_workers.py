"""Several uvicorn worker processes: each builds its app from the configuration in an
environment variable, since uvicorn spawns workers that import the app by name."""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import socket
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Protocol
except ImportError:  # httptools is not installed: h11, slower
    _Protocol = H11Protocol  # type: ignore[assignment,misc]

from ._app import create_app
from ._config import ServiceConfig

__all__ = [
    "CONFIG_ENV",
    "NoDelayHTTPProtocol",
    "app_from_env",
    "config_from_json",
    "config_to_json",
    "run_workers",
]

CONFIG_ENV = "CLAUDE_API_SERVICE_CONFIG"
_FACTORY = "claude_code_api.service._workers:app_from_env"
_HTTP = "claude_code_api.service._workers:NoDelayHTTPProtocol"
_WORKER_HEALTHCHECK = 60
_STARTUP_FAILURE = 3


class NoDelayHTTPProtocol(_Protocol):
    """uvicorn's HTTP protocol with TCP_NODELAY on every connection, however its socket was
    made: asyncio sets it only on sockets created with IPPROTO_TCP, and without it a response
    written in two parts waits for the client's delayed ACK, ~40 ms."""

    def connection_made(self, transport: Any) -> None:
        """Turn Nagle's algorithm off, then serve as usual."""
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def config_to_json(config: ServiceConfig) -> str:
    """`config` as JSON (paths as strings), for `config_from_json` in another process."""
    fields: dict[str, Any] = asdict(config)
    fields["engine_options"] = dict(config.engine_options)
    fields["workspace_root"] = None if config.workspace_root is None else str(config.workspace_root)
    fields["allowed_directories"] = [str(folder) for folder in config.allowed_directories]
    return json.dumps(fields)


def config_from_json(text: str) -> ServiceConfig:
    """The `ServiceConfig` that `config_to_json` wrote."""
    fields = json.loads(text)
    root = fields.pop("workspace_root")
    folders = fields.pop("allowed_directories")
    return ServiceConfig(
        **fields,
        workspace_root=None if root is None else Path(root),
        allowed_directories=tuple(Path(folder) for folder in folders),
    )


def app_from_env() -> FastAPI:
    """The app for the configuration in `CLAUDE_API_SERVICE_CONFIG` (uvicorn's factory)."""
    text = os.environ.get(CONFIG_ENV)
    return create_app(None if text is None else config_from_json(text))


def run_workers(config: ServiceConfig, *, sock: socket.socket, workers: int) -> None:
    """Serve `config` with `workers` processes on `sock` (bound by the caller, so the port it
    got is known before serving) until Ctrl-C or SIGTERM. Each worker migrates the database
    at start; the migration lock makes that safe. One worker is served in this process.
    Either way without access log lines, and with uvicorn's fastest HTTP parser installed
    (httptools): sdkcore's test server (h11, access log, a hook for socket-level faults)
    cost more CPU per request than the service's own work. A service that fails to start
    exits with uvicorn's status 3."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    host, port = sock.getsockname()[:2]
    options: dict[str, Any] = {"host": host, "port": port, "access_log": False, "http": _HTTP}
    if workers == 1:
        server = uvicorn.Server(uvicorn.Config(create_app(config), **options))
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[sock])
        if not server.started:
            raise SystemExit(_STARTUP_FAILURE)
        return
    os.environ[CONFIG_ENV] = config_to_json(config)
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
        # uvicorn >= 0.36 kills a worker that does not answer its supervisor within 5 s; on
        # a busy host importing and migrating can take longer than that.
        options["timeout_worker_healthcheck"] = _WORKER_HEALTHCHECK
    uvicorn_config = uvicorn.Config(_FACTORY, factory=True, workers=workers, **options)
    supervisor: dict[str, Any] = {"sockets": [sock]}
    if "target" in inspect.signature(Multiprocess).parameters:
        # Older uvicorn takes what each worker runs; newer ones build it from the config.
        supervisor["target"] = uvicorn.Server(uvicorn_config).run
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(uvicorn_config, **supervisor).run()
