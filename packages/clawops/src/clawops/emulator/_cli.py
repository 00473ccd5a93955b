"""``clawops-emulator``: run the emulator from a shell.

``clawops-emulator serve`` needs no options: the API key and account come from
``CLAWOPS_API_KEY`` / ``CLAWOPS_ACCOUNT_ID`` when set, else fresh test values are made up,
and the banner prints the ``export`` lines that point the SDK at the emulator.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Annotated

import typer

from sdkcore import emulator as kit

from ._app import create_app
from ._config import EmulatorConfig
from ._messaging_store import DEMO_KAKAO_TOKEN, demo_channel_id, demo_template_ids
from ._server import DEFAULT_NUMBER

__all__ = ["DEFAULT_PORT", "app", "banner", "build_config", "main"]

DEFAULT_PORT = 8080

app = kit.emulator_cli("Local emulator of the ClawOps Voice API.")


def build_config(
    *,
    api_key: str | None = None,
    account_ids: Sequence[str] = (),
    signing_key: str | None = None,
    numbers: Sequence[str] = (),
    db: str | None = None,
    ring_after: float = EmulatorConfig.ring_after,
    answer_after: float = EmulatorConfig.answer_after,
    call_duration: float = EmulatorConfig.call_duration,
) -> EmulatorConfig:
    """Turn ``serve``'s options into a config, making up whatever was not given.

    With a database file, made-up credentials are stored in it and reused by the next run,
    so state persisted under them stays reachable after a restart.

    The key may access every account; every account gets the signing key and the
    numbers (default: 07052358010).
    """
    remembered = kit.remembered_settings(db)
    key = api_key or remembered.get("api_key") or "sk_test_" + secrets.token_hex(12)
    accounts = (
        tuple(account_ids)
        or tuple(remembered.get("account_ids", "").split())
        or ("AC" + secrets.token_hex(16),)
    )
    signing = signing_key or remembered.get("signing_key") or "whsec_" + secrets.token_hex(16)
    kit.remember_settings(
        db, {"api_key": key, "account_ids": " ".join(accounts), "signing_key": signing}
    )
    registered = tuple(numbers) or (DEFAULT_NUMBER,)
    return EmulatorConfig(
        api_keys={key: accounts},
        signing_keys=dict.fromkeys(accounts, signing),
        numbers=dict.fromkeys(accounts, registered),
        db=db or ":memory:",
        ring_after=ring_after,
        answer_after=answer_after,
        call_duration=call_duration,
    )


def banner(config: EmulatorConfig, url: str) -> str:
    """Return the startup text: credentials, storage, and the lines to paste in a shell."""
    api_key, accounts = next(iter(config.api_keys.items()))
    details = {
        "API key": api_key,
        "Accounts": ", ".join(accounts),
        "Signing key": config.signing_key(accounts[0]),
        "From numbers": ", ".join(config.numbers.get(accounts[0], ())),
        "Kakao channel": f"{demo_channel_id(accounts[0])} (demo, connected)",
        "Kakao templates": ", ".join(
            f"{name}={template}" for name, template in demo_template_ids(accounts[0]).items()
        ),
        "Kakao code": f"{DEMO_KAKAO_TOKEN} (what request_token sends to a channel manager)",
        "Database": kit.database_label(config.db),
    }
    exports = [
        f"export CLAWOPS_BASE_URL={url}",
        f"export CLAWOPS_API_KEY={api_key}",
        f"export CLAWOPS_ACCOUNT_ID={accounts[0]}",
    ]
    return kit.serve_banner("ClawOps", url, details, exports)


@kit.serve_command(app, default_port=DEFAULT_PORT)
def serve(
    options: kit.ServeOptions,
    api_key: Annotated[
        str | None, typer.Option(envvar="CLAWOPS_API_KEY", help="API key clients must send.")
    ] = None,
    account_id: Annotated[
        list[str] | None,
        typer.Option(envvar="CLAWOPS_ACCOUNT_ID", help="Account the key may use (repeatable)."),
    ] = None,
    signing_key: Annotated[
        str | None,
        typer.Option(envvar="CLAWOPS_SIGNING_KEY", help="Key signing the status callbacks."),
    ] = None,
    number: Annotated[
        list[str] | None,
        typer.Option(help="From number registered on each account (repeatable)."),
    ] = None,
    ring_after: Annotated[
        float, typer.Option(help="Seconds until a new call rings.")
    ] = EmulatorConfig.ring_after,
    answer_after: Annotated[
        float, typer.Option(help="Seconds of ringing until it is answered.")
    ] = EmulatorConfig.answer_after,
    call_duration: Annotated[
        float, typer.Option(help="Seconds an answered call lasts.")
    ] = EmulatorConfig.call_duration,
) -> kit.Launch:
    """Serve the emulator until Ctrl-C."""
    config = build_config(
        api_key=api_key,
        account_ids=account_id or (),
        signing_key=signing_key,
        numbers=number or (),
        db=options.db,
        ring_after=ring_after,
        answer_after=answer_after,
        call_duration=call_duration,
    )
    return create_app(config), banner(config, options.url)


def main() -> None:
    """Entry point of the ``clawops-emulator`` console script."""
    app()
