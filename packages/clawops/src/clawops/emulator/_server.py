"""`ClawOpsEmulator`: the emulator served on 127.0.0.1 for the length of a ``with`` block."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI

from sdkcore.emulator import ServedEmulator

from ._app import app_state, create_app
from ._callbacks import list_deliveries
from ._config import DEFAULT_SIGNING_KEY, EmulatorConfig

__all__ = ["DEFAULT_ACCOUNT_ID", "DEFAULT_API_KEY", "DEFAULT_NUMBER", "ClawOpsEmulator"]

DEFAULT_API_KEY = "sk_test_emulator"
DEFAULT_ACCOUNT_ID = "AC_test_emulator"
DEFAULT_NUMBER = "07052358010"


class ClawOpsEmulator(ServedEmulator):
    """A ClawOps Voice API emulator running in a background thread.

    ``with ClawOpsEmulator() as emu:`` serves a fresh app on a free port of 127.0.0.1; pass
    ``emu.client_kwargs()`` to the SDK client. ``api_key`` may access every account in
    ``account_ids`` (default: just ``account_id``); ``restricted_keys`` adds keys limited
    to some of them, e.g. ``{"sk_test_only_b": ["AC_b"]}``, so that 403s can be tested.
    Every account signs callbacks with ``signing_key`` and starts with ``numbers``
    registered. An instance serves once; to simulate a restart, start a new one on the
    same ``db`` file.
    """

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        account_id: str = DEFAULT_ACCOUNT_ID,
        account_ids: Sequence[str] | None = None,
        signing_key: str = DEFAULT_SIGNING_KEY,
        numbers: Sequence[str] = (DEFAULT_NUMBER,),
        restricted_keys: Mapping[str, Sequence[str]] | None = None,
        db: str = ":memory:",
        message_delay: float = EmulatorConfig.message_delay,
        pool: Sequence[str] = EmulatorConfig.pool,
        ring_after: float = EmulatorConfig.ring_after,
        answer_after: float = EmulatorConfig.answer_after,
        call_duration: float = EmulatorConfig.call_duration,
        callback_retries: int = EmulatorConfig.callback_retries,
        callback_backoff: float = EmulatorConfig.callback_backoff,
        transcript_after: float = EmulatorConfig.transcript_after,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Configure the emulator; nothing is served until the ``with`` block starts."""
        accounts = tuple(account_ids) if account_ids else (account_id,)
        self.api_key = api_key
        self.account_ids = accounts
        self.account_id = accounts[0]
        self.signing_key = signing_key
        self.config = EmulatorConfig(
            api_keys={**(restricted_keys or {}), api_key: accounts},
            signing_keys=dict.fromkeys(accounts, signing_key),
            numbers=dict.fromkeys(accounts, tuple(numbers)),
            db=db,
            message_delay=message_delay,
            pool=tuple(pool),
            ring_after=ring_after,
            answer_after=answer_after,
            call_duration=call_duration,
            callback_retries=callback_retries,
            callback_backoff=callback_backoff,
            transcript_after=transcript_after,
        )
        self.app: FastAPI = create_app(self.config)
        super().__init__(self.app, app_state(self.app).db, host=host, port=port)

    def client_kwargs(self) -> dict[str, Any]:
        """Return ``api_key``, ``account_id`` and ``base_url`` for the SDK's client."""
        return {"api_key": self.api_key, "account_id": self.account_id, "base_url": self.url}

    def deliveries(self, call_id: str | None = None) -> list[dict[str, Any]]:
        """Return the status-callback deliveries so far (see `list_deliveries`)."""
        return list_deliveries(app_state(self.app).db, call_id)
