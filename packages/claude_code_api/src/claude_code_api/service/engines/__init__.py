"""Engines the service runs requests on, chosen by name in the service's configuration.

`offline` is deterministic and needs nothing; `claude-cli` runs the `claude` executable;
`anthropic` calls the Messages API (extra `claude_code_api[anthropic]`). A configured engine is
never replaced silently by another.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._base import (
    Engine,
    EngineEvent,
    EngineFailure,
    EngineRequest,
    FailureCategory,
    FinalResult,
    ModelAlias,
    RequestKind,
    TextDelta,
    ToolUse,
    Usage,
    engine_problem,
)

ENGINES: dict[str, str] = {
    "offline": "claude_code_api.service.engines.offline:OfflineEngine",
    "claude-cli": "claude_code_api.service.engines.claude_cli:ClaudeCLIEngine",
    "anthropic": "claude_code_api.service.engines.anthropic:AnthropicEngine",
}
"""Engine name -> `module:class`; imported only when chosen, so optional extras stay optional."""


def build_engine(name: str, **options: Any) -> Engine:
    """The engine called `name`, constructed with `options`; an unknown name raises `ValueError`."""
    try:
        target = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"engine: unknown engine {name!r} (known: {known})") from None
    module_name, _, class_name = target.partition(":")
    engine_class = getattr(importlib.import_module(module_name), class_name)
    engine: Engine = engine_class(**options)
    return engine


__all__ = [
    "ENGINES",
    "Engine",
    "EngineEvent",
    "EngineFailure",
    "EngineRequest",
    "FailureCategory",
    "FinalResult",
    "ModelAlias",
    "RequestKind",
    "TextDelta",
    "ToolUse",
    "Usage",
    "build_engine",
    "engine_problem",
]
