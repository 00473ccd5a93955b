"""The Claude Code API service (FastAPI + uvicorn): extra `claude_code_api[service]`.

`create_app(ServiceConfig(...))` is the ASGI app; `ClaudeService` serves it in-process;
`Admin` manages keys and budgets in its database; `python -m claude_code_api.service` and
`claude-api service start` run it from a shell.
"""

from ._admin import Admin
from ._app import create_app
from ._config import DEFAULT_PORT, ServiceConfig
from ._server import ClaudeService

__all__ = ["DEFAULT_PORT", "Admin", "ClaudeService", "ServiceConfig", "create_app"]
