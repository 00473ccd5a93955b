"""`UnitysvcEmulator`: the emulator and its upstream services, served on 127.0.0.1 for the
length of a ``with`` block."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI

from sdkcore.emulator import ServedEmulator, ServerHandle, serve

from ._app import app_state, create_app
from ._config import EmulatorConfig
from ._objects import mailbox_json
from ._upstreams import create_upstream_app

__all__ = ["DEFAULT_API_KEY", "UnitysvcEmulator"]

DEFAULT_API_KEY = "svcpass_test_emulator"


class UnitysvcEmulator(ServedEmulator):
    """The UnitySVC emulator running in background threads.

    ``with UnitysvcEmulator() as emu:`` serves a fresh app on a free port of 127.0.0.1, and
    the catalogue's upstream services (chat, NDJSON, lines, echo, slow) on a second port;
    pass ``emu.client_kwargs()`` to `unitysvc.Client`. Each key in ``api_keys`` is one
    customer. An instance serves once; to simulate a restart, start a new one on the same
    ``db`` file.
    """

    def __init__(
        self,
        *,
        api_keys: Sequence[str] = (DEFAULT_API_KEY,),
        db: str = ":memory:",
        activation_delay: float = EmulatorConfig.activation_delay,
        tick: float = EmulatorConfig.tick,
        upstream_timeout: float = EmulatorConfig.upstream_timeout,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Configure the emulator; nothing is served until the ``with`` block starts."""
        self.api_keys = tuple(api_keys)
        self.api_key = self.api_keys[0]
        self.config = EmulatorConfig(
            api_keys=self.api_keys,
            db=db,
            activation_delay=activation_delay,
            tick=tick,
            upstream_timeout=upstream_timeout,
        )
        self.app: FastAPI = create_app(self.config)
        self.upstream_app = create_upstream_app()
        self._upstream: ServerHandle | None = None
        super().__init__(self.app, app_state(self.app).db, host=host, port=port)

    @property
    def upstream_url(self) -> str:
        """Where the catalogue's upstream services listen (only while running)."""
        if self._upstream is None:
            raise RuntimeError("the emulator is not running; use it in a with block")
        return self._upstream.url

    def base_urls(self) -> dict[str, str]:
        """The four base URLs: control plane, API, S3 and SMTP gateways."""
        return base_urls(self.url)

    def client_kwargs(self) -> dict[str, Any]:
        """``api_key`` and the four base URLs, for `unitysvc.Client(**kwargs)`."""
        return {"api_key": self.api_key, **self.base_urls()}

    def mailbox(self) -> list[dict[str, Any]]:
        """Every message submitted to the SMTP gateway, oldest first."""
        rows = app_state(self.app).db.query("SELECT * FROM mailbox ORDER BY received_at, id")
        return [mailbox_json(row) for row in rows]

    def _start_companions(self, stack: contextlib.ExitStack) -> None:
        """Serve the upstream services first: the app's catalogue points at them."""
        self._upstream = stack.enter_context(serve(self.upstream_app, host=self._host))
        app_state(self.app).upstream_url = self._upstream.url

    def close(self) -> None:
        """Stop serving and close the database (what leaving the ``with`` block does)."""
        self._upstream = None
        super().close()


def base_urls(root: str) -> dict[str, str]:
    """The client's base URLs for an emulator served at ``root``."""
    return {
        "base_url": f"{root}/v1",
        "api_base_url": f"{root}/gateway/api",
        "s3_base_url": f"{root}/gateway/s3",
        "smtp_base_url": f"{root}/gateway/smtp",
    }
