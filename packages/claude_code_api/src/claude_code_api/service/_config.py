"""The service's configuration: database, engine (name + options, always explicit), limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_PORT", "ServiceConfig"]

DEFAULT_PORT = 8006


@dataclass(frozen=True)
class ServiceConfig:
    """How one service instance runs.

    Attributes:
        db: SQLite file path, `:memory:`, or a SQLAlchemy URL (`postgresql+asyncpg://...`);
            None means `CLAUDE_API_DB`, else `~/.claude-api/claude_api.db`.
        engine: Engine name (`offline`, `claude-cli`, `anthropic`); never replaced silently.
        engine_options: Keyword arguments for the engine's constructor.
        batch_concurrency: Prompts of one batch run at the same time (parallel batches).
        max_prompt_chars: Longest prompt (all messages together) accepted.
        default_timeout: Seconds a completion may take when the request names none.
        workspace_root: Where tasks get their fresh working directories (None: a temporary
            directory made at start).
        allowed_directories: Host directories a task's `working_directory` may name; their
            files are copied into the task's own directory. Empty: none may be named.
        default_budget_usd: Monthly budget of projects that have none set (None: unlimited).
        fault_injection: Honour sdkcore's `X-Emulator-Fault` header (tests of retries).
        max_body_size: Largest request body in bytes; larger ones are refused with 413
            before they are read.
    """

    db: str | None = None
    engine: str = "offline"
    engine_options: Mapping[str, Any] = field(default_factory=dict)
    batch_concurrency: int = 8
    max_prompt_chars: int = 100_000
    default_timeout: float = 30.0
    workspace_root: Path | None = None
    allowed_directories: tuple[Path, ...] = ()
    default_budget_usd: float | None = None
    fault_injection: bool = False
    max_body_size: int = 8 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.batch_concurrency < 1:
            raise ValueError(f"batch_concurrency must be >= 1, got {self.batch_concurrency}")
        if self.max_prompt_chars < 1:
            raise ValueError(f"max_prompt_chars must be >= 1, got {self.max_prompt_chars}")
        if self.max_body_size < 0:
            raise ValueError(f"max_body_size must be >= 0, got {self.max_body_size}")
