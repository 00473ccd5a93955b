"""Settings of one emulated Prefactor service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["EmulatorConfig"]


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything `create_app` needs: who may call, which agents exist, where state lives.

    Accounts exist implicitly: each token belongs to one account, and a resource of another
    account answers 403 to it.
    """

    tokens: Mapping[str, str]
    """API token -> the account it belongs to."""
    agents: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Account -> agent ids that exist at startup (created if missing, kept if present)."""
    db: str = ":memory:"
    """SQLite path; a file keeps agents, instances, spans and idempotency records."""

    def __post_init__(self) -> None:
        """Reject settings the emulator cannot honour."""
        if not self.tokens:
            raise ValueError("at least one API token is required")
        for token in self.tokens:
            if not token or token != token.strip():
                raise ValueError(f"invalid API token {token!r}")
        unknown = set(self.agents) - set(self.tokens.values())
        if unknown:
            raise ValueError(f"agents given for accounts no token belongs to: {sorted(unknown)}")
