"""``usvc preferences``: list, get, set, clear, and the notification / ai / request-log
shortcuts. Each answer shows the value, the effective value and where it comes from."""

from __future__ import annotations

from typing import Any

import typer

from ._common import ApiKey, BaseUrl, Output, connect, emit, fail, parse_json

__all__ = ["app"]

app = typer.Typer(
    help="Account preferences (list, get, set, clear, notification, ai, request-log).",
    no_args_is_help=True,
)

_COLUMNS = ["name", "value", "effective", "source"]
_LOG_MODES = ("truncated", "complete")
PreferenceName = typer.Argument(..., help="Preference: 'notification', 'ai' or 'request-log'.")


def _call(api_key: str | None, base_url: str | None, output: str, method: str, *args: Any) -> None:
    with connect(api_key, base_url) as client:
        result = getattr(client.preferences, method)(*args)
    emit(result, output, _COLUMNS if output == "table" else None)


@app.command("list")
def list_preferences(
    output: Output = "table", api_key: ApiKey = None, base_url: BaseUrl = None
) -> None:
    """List every preference."""
    with connect(api_key, base_url) as client:
        result = client.preferences.list()
    data = getattr(result, "data", result)
    emit(data if output == "table" else result, output, _COLUMNS)


@app.command("get")
def get_preference(
    name: str = PreferenceName,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Show one preference."""
    _call(api_key, base_url, output, "get", name)


@app.command("set")
def set_preference(
    name: str = PreferenceName,
    value: str | None = typer.Option(None, "--value", help="The new value; omit to clear."),
    json_value: bool = typer.Option(False, "--json", help="Read --value as JSON."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Set one preference (no --value clears it)."""
    parsed = parse_json(value, "--value") if json_value else value
    _call(api_key, base_url, output, "set", name, parsed)


@app.command("clear")
def clear_preference(
    name: str = PreferenceName,
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Clear one preference, back to its fallback."""
    _call(api_key, base_url, output, "clear", name)


@app.command("notification")
def set_notification(
    service: str | None = typer.Argument(
        None, help="Where notices go: a service path, 'b/<name>' or 'e/<code>'; omit to clear."
    ),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Set (or clear) where this account's notices are forwarded."""
    _call(api_key, base_url, output, "set_notification", service)


@app.command("ai")
def set_ai(
    service: str | None = typer.Argument(
        None, help="The AI behind /ai: a service name or 'a/<alias>'; omit to clear."
    ),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Set (or clear) the AI this account's /ai calls use."""
    _call(api_key, base_url, output, "set_ai", service)


@app.command("request-log")
def set_request_log_mode(
    mode: str | None = typer.Argument(
        None, help="'truncated' (8 KB preview) or 'complete'; omit to turn logging off."
    ),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Set (or turn off) request logging."""
    if mode is not None and mode not in _LOG_MODES:
        raise fail(
            f"mode must be truncated or complete (or omitted to turn logging off), got {mode!r}"
        )
    _call(api_key, base_url, output, "set_request_log_mode", mode)
