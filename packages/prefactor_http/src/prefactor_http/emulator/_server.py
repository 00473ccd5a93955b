"""`PrefactorEmulator`: the emulator served on 127.0.0.1 for the length of a ``with`` block."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI

from sdkcore.emulator import Database, ServedEmulator

from .._config import HttpClientConfig
from ._app import app_state, create_app
from ._config import EmulatorConfig
from ._instances import terminate

__all__ = ["DEFAULT_ACCOUNT_ID", "DEFAULT_AGENT_ID", "DEFAULT_API_TOKEN", "PrefactorEmulator"]

DEFAULT_API_TOKEN = "pfx_test_emulator"
DEFAULT_ACCOUNT_ID = "acct_test_emulator"
DEFAULT_AGENT_ID = "agent_123"


class PrefactorEmulator(ServedEmulator):
    """A Prefactor API emulator running in a background thread.

    ``with PrefactorEmulator() as emu:`` serves a fresh app on a free port of 127.0.0.1;
    ``emu.config()`` is an `HttpClientConfig` for it. ``api_token`` belongs to ``account_id``,
    which owns ``agents``; ``other_tokens`` maps more tokens to other accounts (whose
    resources answer 403 to ``api_token``), with ``other_agents`` for those accounts. An
    instance serves once; to simulate a restart, start a new one on the same ``db`` file.
    """

    def __init__(
        self,
        *,
        api_token: str = DEFAULT_API_TOKEN,
        account_id: str = DEFAULT_ACCOUNT_ID,
        agents: Sequence[str] = (DEFAULT_AGENT_ID,),
        other_tokens: Mapping[str, str] | None = None,
        other_agents: Mapping[str, Sequence[str]] | None = None,
        db: str = ":memory:",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Configure the emulator; nothing is served until the ``with`` block starts."""
        self.api_token = api_token
        self.account_id = account_id
        self.settings = EmulatorConfig(
            tokens={**(other_tokens or {}), api_token: account_id},
            agents={**(other_agents or {}), account_id: tuple(agents)},
            db=db,
        )
        self.app: FastAPI = create_app(self.settings)
        super().__init__(self.app, app_state(self.app).db, host=host, port=port)

    @property
    def db(self) -> Database:
        """The emulator's database, for assertions on its state."""
        return app_state(self.app).db

    def terminate(self, agent_instance_id: str, reason: str | None = None) -> None:
        """Terminate a pending or active instance, as a person can in the Prefactor app."""
        terminate(self.db, agent_instance_id, reason)

    def config(self, **overrides: Any) -> HttpClientConfig:
        """An `HttpClientConfig` pointing at this emulator with its token (fields overridable)."""
        return HttpClientConfig(**{"api_url": self.url, "api_token": self.api_token, **overrides})
