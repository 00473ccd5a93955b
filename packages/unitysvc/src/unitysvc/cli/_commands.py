"""Commands many groups have in the same shape (list a skip/limit window, show one thing,
delete one thing, dispatch through a named route), made by one factory each so every
group's copy behaves alike.

The positional argument keeps each command's own name in the help (``{service_id}``) through
its metavar, so the generated commands read as the hand-written ones did.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import typer

from .._client import Client
from ._common import (
    ApiKey,
    BaseUrl,
    BodyData,
    BodyJson,
    Headers,
    Limit,
    Method,
    Output,
    Skip,
    SubPath,
    Timeout,
    Yes,
    confirm,
    connect,
    emit,
    emit_page,
    request_options,
    write_response,
)

__all__ = ["add_delete_command", "add_dispatch_command", "add_list_command", "add_show_command"]


def add_list_command(
    app: typer.Typer,
    fetch: Callable[[Client, int, int], Any],
    columns: Sequence[str],
    doc: str,
    rows: Callable[[Any], Any] | None = None,
) -> None:
    """Register ``list --skip --limit``: ``fetch(client, skip, limit)`` printed whole as JSON,
    or as a table of ``rows(page)`` (default: its ``data``) in ``columns``."""

    @app.command("list")
    def list_page(
        skip: Skip = 0,
        limit: Limit = 100,
        output: Output = "table",
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
    ) -> None:
        with connect(api_key, base_url) as client:
            page = fetch(client, skip, limit)
        emit_page(page, output, columns, rows)

    list_page.__doc__ = doc


def add_show_command(
    app: typer.Typer,
    command: str,
    fetch: Callable[[Client, str], Any],
    argument: str,
    help: str,
    doc: str,
    output_default: str = "table",
) -> None:
    """Register ``command <argument>``: ``fetch(client, value)`` printed with ``emit``."""

    @app.command(command)
    def show(
        value: str = typer.Argument(..., metavar=argument, help=help),
        output: Output = output_default,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
    ) -> None:
        with connect(api_key, base_url) as client:
            emit(fetch(client, value), output)

    show.__doc__ = doc


def add_delete_command(
    app: typer.Typer,
    what: str,
    remove: Callable[[Client, str], str],
    argument: str,
    help: str,
    doc: str,
) -> None:
    """Register ``delete <argument>``: asks ``Delete <what> <value>?`` (unless ``--yes``),
    then prints the line ``remove(client, value)`` returns."""

    @app.command("delete")
    def delete(
        value: str = typer.Argument(..., metavar=argument, help=help),
        yes: Yes = False,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
    ) -> None:
        confirm(f"Delete {what} {value}?", yes)
        with connect(api_key, base_url) as client:
            sys.stdout.write(remove(client, value) + "\n")

    delete.__doc__ = doc


def add_dispatch_command(app: typer.Typer, send: Callable[..., Any], help: str, doc: str) -> None:
    """Register ``dispatch <name>``: one request through ``send(client, name, path=...,
    **request options)``; the response body goes to stdout, its status to stderr."""

    @app.command("dispatch")
    def dispatch(
        name: str = typer.Argument(..., help=help),
        path: SubPath = "",
        method: Method = "POST",
        body_json: BodyJson = None,
        body_data: BodyData = None,
        headers: Headers = None,
        timeout: Timeout = None,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
    ) -> None:
        options = request_options(method, body_json, body_data, headers, timeout)
        with connect(api_key, base_url) as client:
            response = send(client, name, path=path, **options)
        write_response(response)

    dispatch.__doc__ = doc
