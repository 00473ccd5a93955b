"""``unitysvc-emulator``: run the emulator from a shell.

``unitysvc-emulator serve`` needs no options: keys come from ``--api-key`` (repeatable), else
``UNITYSVC_API_KEY``, else one is made up (and remembered in ``--db``); the banner prints the
``export`` lines for the four base URLs. The catalogue's upstream services listen on the next
port (``--upstream-port``, default port + 1).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from sdkcore import emulator as kit

from ._app import app_state, create_app
from ._config import EmulatorConfig
from ._server import base_urls
from ._upstreams import create_upstream_app

__all__ = ["DEFAULT_PORT", "app", "banner", "build_config", "main"]

DEFAULT_PORT = 8090

app = kit.emulator_cli("Local emulator of the UnitySVC customer API and its gateways.")


def build_config(
    *,
    api_keys: list[str] | None = None,
    db: str | None = None,
    activation_delay: float = EmulatorConfig.activation_delay,
) -> EmulatorConfig:
    """Turn ``serve``'s options into a config, making up a key when none is given.

    Order: the flags, else UNITYSVC_API_KEY, else a key remembered in the database file,
    else a fresh ``svcpass_`` key (stored in the file, so a restart keeps its state
    reachable).
    """
    keys = [k for k in (api_keys or []) if k.strip()]
    if not keys and os.environ.get("UNITYSVC_API_KEY", "").strip():
        keys = [os.environ["UNITYSVC_API_KEY"].strip()]
    if not keys:
        keys = [kit.remembered_settings(db).get("api_key") or "svcpass_" + secrets.token_hex(16)]
        kit.remember_settings(db, {"api_key": keys[0]})
    return EmulatorConfig(
        api_keys=tuple(keys), db=db or ":memory:", activation_delay=activation_delay
    )


def banner(config: EmulatorConfig, url: str, upstream_url: str) -> str:
    """The startup text: keys, storage, upstreams and the lines to paste in a shell."""
    urls = base_urls(url)
    details = {
        "API keys": ", ".join(config.api_keys),
        "Database": kit.database_label(config.db),
        "Upstream services": f"{upstream_url} (chat, ndjson, lines, echo, slow)",
    }
    exports = [
        f"export UNITYSVC_API_KEY={config.api_keys[0]}",
        f"export UNITYSVC_API_URL={urls['base_url']}",
        f"export UNITYSVC_API_BASE_URL={urls['api_base_url']}",
        f"export UNITYSVC_S3_BASE_URL={urls['s3_base_url']}",
        f"export UNITYSVC_SMTP_BASE_URL={urls['smtp_base_url']}",
    ]
    return kit.serve_banner("UnitySVC", url, details, exports)


@kit.serve_command(app, default_port=DEFAULT_PORT)
@contextmanager
def serve_with_upstreams(
    options: kit.ServeOptions,
    api_key: Annotated[
        list[str] | None,
        typer.Option("--api-key", help="svcpass_ key clients may use (repeatable)."),
    ] = None,
    upstream_port: Annotated[
        int | None, typer.Option(help="Port of the upstream services (default: port + 1).")
    ] = None,
    activation_delay: Annotated[
        float, typer.Option(help="Seconds until a pending enrollment is activated.")
    ] = EmulatorConfig.activation_delay,
) -> Iterator[kit.Launch]:
    """Serve the emulator and its upstream services until Ctrl-C."""
    config = build_config(api_keys=api_key, db=options.db, activation_delay=activation_delay)
    emulator = create_app(config)
    with kit.serve(
        create_upstream_app(),
        host=options.host,
        port=upstream_port if upstream_port is not None else options.port + 1,
    ) as upstream:
        app_state(emulator).upstream_url = upstream.url
        yield emulator, banner(config, options.url, upstream.url)


def main() -> None:
    """Entry point of the ``unitysvc-emulator`` console script."""
    app()
