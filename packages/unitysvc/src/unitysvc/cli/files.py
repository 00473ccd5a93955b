"""``usvc files``: ``ls``, ``get``, ``put`` and ``url`` over the account's ``personal/`` and
``shared/`` folders. ``get``/``put`` stream straight between disk and storage and show a
progress bar (bytes, rate, time left) when stderr is a terminal, fed by the SDK's
``progress(done_bytes, total_bytes)`` callback."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ._common import ApiKey, BaseUrl, Output, connect, emit
from ._progress import progress_bar

__all__ = ["app"]

app = typer.Typer(help="Account files (ls, get, put, url).", no_args_is_help=True)

Dest = typer.Argument(None, help="Destination file or folder (default: here).")
Source = typer.Argument(..., help="Local file to upload.")


def _with_progress(label: str, call: Any, *args: Any) -> Any:
    with progress_bar(label) as report:
        return call(*args, progress=report)


@app.command("ls")
def list_files(
    path: str = typer.Argument("", help="Folder (personal/..., shared/...); empty: the roots."),
    output: Output = "table",
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """List one folder level of the account's files."""
    with connect(api_key, base_url) as client:
        listing = client.files.list(path)
    if output == "json":
        emit(listing, output)
        return
    folders = [{"name": p, "size": None, "modified": None} for p in listing.common_prefixes]
    files = [{"name": f.key, "size": f.size, "modified": f.last_modified} for f in listing.objects]
    emit(folders + files, output, ["name", "size", "modified"])


@app.command("get")
def get_file(
    path: str = typer.Argument(..., help="File path (personal/... or shared/...)."),
    dest: Path | None = Dest,
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Download one file (storage to disk, streamed)."""
    with connect(api_key, base_url) as client:
        written = _with_progress(path, client.files.download, path, dest)
    sys.stdout.write(f"downloaded {path} -> {written}\n")


@app.command("put")
def put_file(
    src: Path = Source,
    path: str = typer.Argument("personal", help="Folder to upload into (personal/..., shared)."),
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Upload one file into a folder (disk to storage, streamed); replaces a same-named file."""
    with connect(api_key, base_url) as client:
        key = _with_progress(src.name, client.files.upload, src, path)
    sys.stdout.write(f"uploaded {src} -> {key}\n")


@app.command("url")
def presign_url(
    path: str = typer.Argument(..., help="File path (personal/... or shared/...)."),
    expires_in: int = typer.Option(900, "--expires", help="Validity in seconds (60-3600)."),
    api_key: ApiKey = None,
    base_url: BaseUrl = None,
) -> None:
    """Print a presigned download URL (anyone holding it can read the file until it expires)."""
    with connect(api_key, base_url) as client:
        ticket = client.files.download_url(path, expires_in=expires_in)
    sys.stdout.write(ticket.url + "\n")
