"""`PrefactorEmulator`: the emulator served on 127.0.0.1 for the length of a ``with`` block."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI

from sdkcore import Closeable
from sdkcore.emulator import Database, FaultInjector, Journal, ServerHandle, serve

from .._config import HttpClientConfig
from ._app import app_state, create_app
from ._config import EmulatorConfig

__all__ = ["DEFAULT_ACCOUNT_ID", "DEFAULT_AGENT_ID", "DEFAULT_API_TOKEN", "PrefactorEmulator"]

DEFAULT_API_TOKEN = "pfx_test_emulator"
DEFAULT_ACCOUNT_ID = "acct_test_emulator"
DEFAULT_AGENT_ID = "agent_123"


class PrefactorEmulator(Closeable):
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
        self._host = host
        self._port = port
        self._handle: ServerHandle | None = None
        self._stack = contextlib.ExitStack()

    @property
    def db(self) -> Database:
        """The emulator's database, for assertions on its state."""
        return app_state(self.app).db

    @property
    def journal(self) -> Journal:
        """Every request the emulator received, as received."""
        journal = self.app.state.journal
        assert isinstance(journal, Journal)
        return journal

    @property
    def faults(self) -> FaultInjector:
        """The fault injector: add `sdkcore.emulator.FaultRule` s to make requests fail."""
        faults = self.app.state.faults
        assert isinstance(faults, FaultInjector)
        return faults

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (only while running)."""
        if self._handle is None:
            raise RuntimeError("the emulator is not running; use it in a with block")
        return self._handle.url

    def config(self, **overrides: Any) -> HttpClientConfig:
        """An `HttpClientConfig` pointing at this emulator with its token (fields overridable)."""
        return HttpClientConfig(**{"api_url": self.url, "api_token": self.api_token, **overrides})

    def __enter__(self) -> PrefactorEmulator:
        """Start serving; the database is closed again when the block ends."""
        self._stack.callback(self.db.close)
        try:
            self._handle = self._stack.enter_context(
                serve(self.app, host=self._host, port=self._port)
            )
        except BaseException:
            self._stack.close()
            raise
        return self

    def close(self) -> None:
        """Stop serving and close the database (what leaving the ``with`` block does)."""
        self._handle = None
        self._stack.close()
