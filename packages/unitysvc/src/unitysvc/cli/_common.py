"""What every ``usvc`` command shares: connection options, the client, output (rich tables or
JSON), confirmation prompts, and turning any failure into one line on stderr and exit 1."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from .._client import ENV_API_KEY, ENV_API_URL, Client
from ..exceptions import APIError, UnitysvcSDKError

__all__ = [
    "ApiKey",
    "BaseUrl",
    "BodyData",
    "BodyJson",
    "Headers",
    "Limit",
    "Method",
    "Output",
    "Skip",
    "SubPath",
    "Timeout",
    "Yes",
    "confirm",
    "connect",
    "emit",
    "emit_page",
    "fail",
    "parse_headers",
    "parse_json",
    "plain",
    "read_data",
    "request_options",
    "write_response",
]

ApiKey = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        envvar=ENV_API_KEY,
        help=f"Customer API key (svcpass_...); default ${ENV_API_KEY}.",
        show_default=False,
    ),
]
BaseUrl = Annotated[
    str | None,
    typer.Option("--base-url", envvar=ENV_API_URL, help="Control-plane URL.", show_default=False),
]
Output = Annotated[
    str,
    typer.Option("--output", "-o", "--format", "-f", help="Output format: table | json."),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Skip the confirmation prompt.")]
Skip = Annotated[int, typer.Option("--skip", help="Offset for pagination.")]
Limit = Annotated[int, typer.Option("--limit", help="Max records to return.")]

stdout = Console(soft_wrap=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``Error: message`` as one line on stderr; returns the Exit to raise."""
    line = " ".join(str(message).split())
    sys.stderr.write(f"Error: {line}\n")
    sys.stderr.flush()
    return typer.Exit(code)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, APIError) and exc.status_code:
        detail = exc.detail
        if isinstance(detail, dict) and "detail" in detail:
            detail = detail["detail"]
        if isinstance(detail, list):
            detail = "; ".join(
                f"{'.'.join(str(p) for p in d.get('loc', []))}: {d.get('msg')}"
                if isinstance(d, dict)
                else str(d)
                for d in detail
            )
        return f"{exc.status_code} {detail}" if detail else str(exc)
    return str(exc) or type(exc).__name__


@contextlib.contextmanager
def connect(api_key: str | None, base_url: str | None) -> Iterator[Client]:
    """A client for one command; any SDK, argument or I/O error becomes one stderr line and
    exit status 1 (the gateway URLs come from the environment, like the SDK's)."""
    if not api_key:
        raise fail(f"no API key: set {ENV_API_KEY} or pass --api-key")
    try:
        with Client(api_key, base_url=base_url or None) as client:
            yield client
    except (UnitysvcSDKError, ValueError, TypeError, OSError) as exc:
        raise fail(_describe(exc)) from exc


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data (models dumped, records and lists recursed)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), default=str)
    return str(value)


def emit(
    value: Any,
    output: str,
    columns: Sequence[str] | None = None,
    *,
    title: str | None = None,
) -> None:
    """Print ``value`` as JSON, or as a rich table of ``columns`` (a list of rows) / of
    field-value pairs (one object)."""
    if output not in ("table", "json"):
        raise fail(f"--output must be table or json, got {output!r}")
    data = plain(value)
    if output == "json":
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
        return
    table = Table(title=title, show_lines=False)
    if isinstance(data, list):
        keys = list(columns or (data[0].keys() if data else ["-"]))
        for key in keys:
            table.add_column(key, overflow="fold")
        for row in data:
            table.add_row(*(_cell(row.get(k)) for k in keys))
    else:
        table.add_column("field", style="cyan")
        table.add_column("value", overflow="fold")
        for key in columns or list(data):
            table.add_row(key, _cell(data.get(key)))
    stdout.print(table)


def emit_page(
    page: Any,
    output: str,
    columns: Sequence[str],
    rows: Callable[[Any], Any] | None = None,
) -> None:
    """A listing: as a table, its rows (``rows(page)``, default its ``data``); as JSON, the
    whole page (the count and cursors too)."""
    if output != "table":
        emit(page, output, columns)
        return
    emit(page.data if rows is None else rows(page), output, columns)


def confirm(question: str, yes: bool) -> None:
    """Ask before a destructive call unless ``--yes``; no answer (closed stdin) is a no."""
    if yes:
        return
    try:
        agreed = typer.confirm(question, default=False, err=True)
    except (typer.Abort, EOFError):
        sys.stderr.write("\n")  # the prompt was left without its line end
        agreed = False
    if not agreed:
        raise fail("aborted (pass --yes to skip the prompt)")


def parse_json(raw: str | None, flag: str) -> Any:
    """The JSON value of an option, or a clean error naming it."""
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise fail(f"{flag} is not valid JSON: {exc}") from exc


def parse_headers(items: list[str] | None) -> dict[str, str] | None:
    """Repeated ``--header 'Key: Value'`` options as a dict."""
    if not items:
        return None
    out: dict[str, str] = {}
    for raw in items:
        key, sep, value = raw.partition(":")
        if not sep or not key.strip():
            raise fail(f"--header must be 'Key: Value', got {raw!r}")
        out[key.strip()] = value.strip()
    return out


def read_data(raw: str | None) -> bytes | str | None:
    """A ``--data`` value; ``@file`` reads the file's bytes (as curl does)."""
    if raw is None or not raw.startswith("@"):
        return raw
    try:
        return Path(raw[1:]).read_bytes()
    except OSError as exc:
        raise fail(f"--data file cannot be read: {exc}") from exc


def write_response(response: Any) -> None:
    """An HTTP response: ``HTTP <status>`` on stderr, the body as-is on stdout; a 4xx/5xx
    makes the command fail (exit 1) after printing it."""
    sys.stderr.write(f"HTTP {response.status_code} {response.reason_phrase}".rstrip() + "\n")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(response.content)
    else:  # a captured stdout (tests) has no byte layer
        sys.stdout.write(response.text)
    sys.stdout.flush()
    if response.status_code >= 400:
        raise fail(f"the gateway answered {response.status_code}")


SubPath = Annotated[str, typer.Option("--path", help="Sub-path appended to the target.")]
Method = Annotated[str, typer.Option("--method", "-X", help="HTTP method.")]
BodyJson = Annotated[str | None, typer.Option("--json", help="Request body as inline JSON.")]
BodyData = Annotated[
    str | None,
    typer.Option("--data", "-d", help="Raw request body; '@file' reads it from a file."),
]
Headers = Annotated[
    list[str] | None,
    typer.Option("--header", "-H", help="Extra header 'Key: Value' (repeatable)."),
]
Timeout = Annotated[float | None, typer.Option("--timeout", help="Per-request timeout in seconds.")]


def request_options(
    method: str,
    body_json: str | None,
    body_data: str | None,
    headers: list[str] | None,
    timeout: float | None,
) -> dict[str, Any]:
    """The keyword arguments of an SDK ``dispatch`` from the shared request options."""
    if body_json is not None and body_data is not None:
        raise fail("--json and --data are mutually exclusive")
    return {
        "method": method,
        "json": parse_json(body_json, "--json"),
        "data": read_data(body_data),
        "headers": parse_headers(headers),
        "timeout": timeout,
    }
