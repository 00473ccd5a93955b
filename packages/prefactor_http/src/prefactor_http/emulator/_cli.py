"""``prefactor-emulator``: run the emulator from a shell.

``prefactor-emulator serve`` needs no options: the token comes from ``PREFACTOR_API_TOKEN``
when set, else a fresh one is made up, as is one agent; the banner prints them with the
``export`` lines that point the SDK at the emulator. With ``--db``, made-up credentials are
stored in the database and reused, so persisted state stays reachable after a restart.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Annotated

import typer

from sdkcore import emulator as kit

from ._app import create_app
from ._config import EmulatorConfig

__all__ = ["DEFAULT_PORT", "app", "banner", "build_config", "main"]

DEFAULT_PORT = 8080

app = kit.emulator_cli("Local emulator of the Prefactor API.")


def build_config(
    *, api_tokens: Sequence[str] = (), agents: Sequence[str] = (), db: str | None = None
) -> EmulatorConfig:
    """Turn ``serve``'s options into a config, making up (or recalling) what was not given.

    Every token belongs to one account, which owns the agents.
    """
    remembered = kit.remembered_settings(db)
    tokens = (
        tuple(api_tokens)
        or tuple(remembered.get("api_tokens", "").split())
        or ("pfx_test_" + secrets.token_hex(12),)
    )
    account = remembered.get("account_id") or "acct_" + secrets.token_hex(8)
    agent_ids = (
        tuple(agents)
        or tuple(remembered.get("agents", "").split())
        or ("agent_" + secrets.token_hex(8),)
    )
    kit.remember_settings(
        db, {"api_tokens": " ".join(tokens), "account_id": account, "agents": " ".join(agent_ids)}
    )
    return EmulatorConfig(
        tokens=dict.fromkeys(tokens, account), agents={account: agent_ids}, db=db or ":memory:"
    )


def banner(config: EmulatorConfig, url: str) -> str:
    """Return the startup text: credentials, storage, and the lines to paste in a shell."""
    token, account = next(iter(config.tokens.items()))
    agents = config.agents.get(account, ())
    details = {
        "API tokens": ", ".join(config.tokens),
        "Account": account,
        "Agents": ", ".join(agents),
        "Database": kit.database_label(config.db),
    }
    exports = [
        f"export PREFACTOR_API_URL={url}",
        f"export PREFACTOR_API_TOKEN={token}",
        f"export PREFACTOR_AGENT_ID={agents[0]}" if agents else "",
    ]
    return kit.serve_banner("Prefactor", url, details, [line for line in exports if line])


@kit.serve_command(app, default_port=DEFAULT_PORT)
def serve(
    options: kit.ServeOptions,
    api_token: Annotated[
        list[str] | None,
        typer.Option(envvar="PREFACTOR_API_TOKEN", help="Token clients may send (repeatable)."),
    ] = None,
    agent: Annotated[
        list[str] | None, typer.Option(help="Agent id that exists from the start (repeatable).")
    ] = None,
) -> kit.Launch:
    """Serve the emulator until Ctrl-C."""
    config = build_config(api_tokens=api_token or (), agents=agent or (), db=options.db)
    return create_app(config), banner(config, options.url)


def main() -> None:
    """Entry point of the ``prefactor-emulator`` console script."""
    app()
