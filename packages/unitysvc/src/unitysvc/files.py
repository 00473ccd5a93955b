"""``client.files``: the account's files, in a ``personal/`` and a ``shared/`` folder.

`Files.list` and `Files.download_url` are plain API calls. `Files.upload` and `Files.download`
move the bytes straight between this machine and storage through a presigned POST / GET:
the API only mints the ticket, and the storage requests carry no API key (the signed policy
or URL is their only authority). Both stream: an upload is read from disk as it is sent, a
download is fetched in ranges of `DOWNLOAD_CHUNK` bytes and written as they arrive, so a
file of any size passes with bounded memory.

A path names its scope by its first segment (``personal/reports/q2.csv``,
``shared/q2.csv``), or by ``scope=`` (then the path is relative to that root). ``.``,
``..``, empty segments, backslashes and NUL are refused before anything is sent.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Literal, TypeVar, get_args
from urllib.parse import parse_qsl

import httpx

from sdkcore import (
    Async,
    BaseModel,
    Flow,
    Mode,
    Op,
    PreparedRequest,
    Resource,
    Sync,
    as_model,
    endpoint,
)

from ._args import check_int
from ._flows import call, flow, send_request
from .exceptions import error_for_status

__all__ = [
    "DOWNLOAD_CHUNK",
    "AsyncFiles",
    "FileDownloadURL",
    "FileListing",
    "FileObject",
    "FileScope",
    "FileUploadTicket",
    "Files",
    "Progress",
]

M = TypeVar("M", bound=Mode)
FileScope = Literal["personal", "shared"]
_SCOPES: tuple[str, ...] = get_args(FileScope)
DOWNLOAD_CHUNK = 4 << 20
"""Bytes fetched per ranged GET of a download (the most a download holds in memory)."""
_STORAGE_TIMEOUT = httpx.Timeout(30.0, read=600.0, write=600.0)
Progress = Callable[[int, "int | None"], None]
"""``progress(done_bytes, total_bytes)``: called as a transfer advances (total None if unknown)."""


class FileObject(BaseModel):
    """One file of a listing; ``key`` is relative to the scope root."""

    key: str
    size: int
    last_modified: str


class FileListing(BaseModel):
    """One folder level: its files (``objects``) and sub-folders (``common_prefixes``)."""

    scope: FileScope
    path: str
    objects: list[FileObject]
    common_prefixes: list[str]
    is_truncated: bool
    next_continuation_token: str | None = None
    shared_enabled: bool = False


class FileUploadTicket(BaseModel):
    """A presigned POST: send ``fields`` then the file, as a form, to ``url``."""

    key: str
    url: str
    fields: dict[str, str]
    expires_in: int
    max_bytes: int
    scope: FileScope

    def __repr__(self) -> str:
        # The fields are a bearer credential until they expire.
        return f"<FileUploadTicket key={self.key!r} scope={self.scope!r}>"


class FileDownloadURL(BaseModel):
    """A presigned GET of one file, valid for ``expires_in`` seconds."""

    scope: FileScope
    key: str
    url: str
    expires_in: int

    def __repr__(self) -> str:
        return f"<FileDownloadURL key={self.key!r} scope={self.scope!r}>"


def _relative(text: str, argument: str) -> str:
    if "\\" in text or "\0" in text or text.startswith("/"):
        raise ValueError(f"{argument} must be a relative path with '/' separators, got {text!r}")
    if text and any(s in ("", ".", "..") for s in text.split("/")):
        raise ValueError(f"{argument} must not contain '.', '..' or empty segments: {text!r}")
    return text


def locate(path: Any, scope: Any, argument: str, *, folder: bool) -> tuple[FileScope, str]:
    """The scope and scope-relative path of ``path``: ``scope`` when given, else the path's
    first segment if it is ``personal`` or ``shared``, else ``personal``."""
    if not isinstance(path, str):
        raise TypeError(f"{argument} must be a str, got {type(path).__name__}")
    if scope is not None and scope not in _SCOPES:
        raise ValueError(f"scope must be 'personal' or 'shared', got {scope!r}")
    text = path.rstrip("/") if folder else path
    if scope is None:
        first, _, rest = text.partition("/")
        scope, text = (first, rest) if first in _SCOPES else ("personal", text)
    if not folder and not text:
        raise ValueError(f"{argument} must name a file, got {path!r}")
    return scope, _relative(text, argument)


def _download_url_op(key: str, scope: str, expires_in: int) -> Op[FileDownloadURL]:
    query = {"key": key, "scope": scope, "expires_in": check_int(expires_in, "expires_in", 1)}
    return Op("GET", "/files/download", as_model(FileDownloadURL), query=query)


def _storage_request(method: str, url: str, **kwargs: Any) -> httpx.Request:
    return httpx.Request(method, url, extensions={"timeout": _STORAGE_TIMEOUT.as_dict()}, **kwargs)


def _refused(response: httpx.Response) -> Exception:
    try:
        detail: Any = response.json()
    except ValueError:
        detail = response.text
    return error_for_status(response.status_code, detail=detail, response_body=response.content)


class _Files(Resource[M]):
    """Operations on the account's files (``/v1/files``), for either face."""

    @endpoint
    def list(
        self,
        path: str = "",
        *,
        scope: FileScope | None = None,
        max_keys: int = 100,
        continuation_token: str | None = None,
    ) -> Op[FileListing]:
        """List one folder level (``""``, ``"personal/reports"``, ``"shared/"``, ...).

        ``response.shared_enabled`` says whether the ``shared`` scope is available.
        """
        scope, folder = locate(path, scope, "path", folder=True)
        query = {
            "scope": scope,
            "path": folder,
            "max_keys": check_int(max_keys, "max_keys", 1, 1000),
            "continuation_token": continuation_token,
        }
        return Op("GET", "/files/list", as_model(FileListing), query=query)

    @endpoint
    def download_url(
        self, path: str, *, scope: FileScope | None = None, expires_in: int = 900
    ) -> Op[FileDownloadURL]:
        """Presign a download URL for one file (no bytes transferred); anyone holding the
        URL can read the file until it expires."""
        scope, key = locate(path, scope, "path", folder=False)
        return _download_url_op(key, scope, expires_in)

    @flow
    def upload(
        self,
        src: str | os.PathLike[str],
        path: str = "",
        *,
        scope: FileScope | None = None,
        filename: str | None = None,
        content_type: str | None = None,
        progress: Progress | None = None,
    ) -> Flow[str]:
        """Upload the local file ``src`` into the folder ``path``; returns its key (relative
        to the scope root). An existing file of that key is replaced.

        The file is read as it is sent, straight to storage, without the API key;
        ``progress(sent_bytes, total_bytes)`` is called as it is read.
        """
        if not isinstance(src, (str, os.PathLike)):
            raise TypeError(f"src must be a path, got {type(src).__name__}")
        source = Path(src)
        if not source.is_file():
            raise ValueError(f"src must be an existing file, got {str(source)!r}")
        scope, folder = locate(path, scope, "path", folder=True)
        name = source.name if filename is None else filename
        if not isinstance(name, str) or not name or "/" in name or name in (".", ".."):
            raise ValueError(f"filename must be a plain file name, got {name!r}")
        _relative(name, "filename")
        body: dict[str, Any] = {
            "filename": name,
            "size": source.stat().st_size,
            "path": folder,
            "scope": scope,
        }
        if content_type is not None:
            body["content_type"] = content_type
        # Minting a ticket changes nothing, so a retried mint is harmless.
        ticket = yield from call(
            self._client,
            Op("POST", "/files/upload", as_model(FileUploadTicket), body=body, safe=True),
        )
        with source.open("rb") as opened:
            stream = opened if progress is None else _Reported(opened, body["size"], progress)
            request = _storage_request(
                "POST",
                ticket.url,
                data=ticket.fields,
                files={"file": (name, stream, content_type or "application/octet-stream")},
            )
            response = yield from send_request(request)
        if not response.is_success:
            raise _refused(response)
        return ticket.key

    @flow
    def download(
        self,
        path: str,
        dest: str | os.PathLike[str] | None = None,
        *,
        scope: FileScope | None = None,
        progress: Progress | None = None,
    ) -> Flow[Path]:
        """Download one file to ``dest`` (a file, or a folder to put it in; default: its
        name in the current folder); returns the path written.

        Fetched in ranges of `DOWNLOAD_CHUNK` bytes from storage, without the API key;
        ``dest`` is replaced only once every byte has arrived. ``progress(received_bytes,
        total_bytes)`` is called after each range.
        """
        scope, key = locate(path, scope, "path", folder=False)
        name = PurePosixPath(key).name
        target = Path(name) if dest is None else Path(dest)
        if target.is_dir():
            target = target / name
        ticket = yield from call(self._client, _download_url_op(key, scope, 900))
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as out:
                yield from _fetch(self._client, ticket.url, out, progress)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return target


def _fetch(client: Any, url: str, out: Any, progress: Progress | None) -> Flow[None]:
    base, _, query = url.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    start, total, done = 0, None, False
    while not done:
        start, total, done = yield from _fetch_range(client, base, params, start, out)
        if progress is not None:
            progress(start, total)


def _fetch_range(
    client: Any, base: str, params: dict[str, str], start: int, out: Any
) -> Flow[tuple[int, int | None, bool]]:
    """Write the range of `DOWNLOAD_CHUNK` bytes at ``start`` to ``out``; returns where the
    next range starts, the file's size when known, and whether the file is complete. The
    response dies with this frame, so no more than one range is alive at a time."""
    # Prepared values rather than an httpx.Request: httpx ties a response to its stream in a
    # reference cycle, which would keep every range alive until a garbage collection.
    request = PreparedRequest(
        method="GET",
        base=base,
        path="",
        params=params,
        headers=httpx.Headers({"User-Agent": client._profile.user_agent}),
        overlay={"Range": f"bytes={start}-{start + DOWNLOAD_CHUNK - 1}"},
        content=None,
        timeout=_STORAGE_TIMEOUT,
        http=client._http,
    )
    response = yield from send_request(request)
    if response.status_code == 416 and start == 0:
        return 0, 0, True  # an empty file has no first byte to range over
    if response.status_code not in (200, 206):
        raise _refused(response)
    out.write(response.content)
    start += len(response.content)
    if response.status_code == 200:
        return start, start, True
    size = response.headers.get("content-range", "").rpartition("/")[2]
    total = int(size) if size.isdigit() else None
    return start, total, total is None or start >= total


class _Reported:
    """A binary file that reports how much of it has been read (upload progress); httpx
    sizes it through ``fileno`` and rewinds it with ``seek`` as it would the file itself."""

    def __init__(self, file: BinaryIO, total: int, progress: Progress) -> None:
        self._file, self._total, self._progress = file, total, progress

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        self._progress(self._file.tell(), self._total)
        return chunk

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def fileno(self) -> int:
        return self._file.fileno()


class Files(_Files[Sync]):
    """Operations on the account's files (``/v1/files``).

    Example::

        key = client.files.upload("q2.csv", "personal/reports")
        client.files.download("personal/reports/q2.csv", "copy.csv")
    """


class AsyncFiles(_Files[Async]):
    """Async sibling of `Files`: the same methods, awaited."""
