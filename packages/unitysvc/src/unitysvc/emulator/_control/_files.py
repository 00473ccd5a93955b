"""Account files: one folder level of a scope, and presigned tickets to upload or download
(the bytes go to the storage endpoint in `.._storage`, never through the API).

``personal`` is the customer's own folder and ``shared`` the team folder; keys are relative
to the scope root, and the server-side prefix keeps every other account's files out of reach.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request
from pydantic import Field

from .._deps import Customer, State, not_found
from .._routes import ControlRouter
from .._storage import find_file, presign_get, presign_post, relative_key
from ._common import Body, JsonInt, cursor_offset, next_cursor

__all__ = ["router"]

router = ControlRouter()

Scope = Literal["personal", "shared"]
# The most one upload may carry.
MAX_UPLOAD = 1 << 30


@router.api("GET", "/files/list")
async def list_files(
    state: State,
    customer: Customer,
    scope: Scope = "personal",
    path: Annotated[str, Query(max_length=1024)] = "",
    max_keys: Annotated[int, Query(ge=1, le=1000)] = 100,
    continuation_token: str | None = None,
) -> dict[str, Any]:
    """One folder level: the files directly in ``path`` and the folders below it."""
    folder = relative_key(path, "path", allow_empty=True)
    prefix = folder + "/" if folder else ""
    rows = state.db.query(
        "SELECT key, size, modified FROM account_files WHERE customer_id = ? AND scope = ? "
        "AND substr(key, 1, ?) = ? ORDER BY key",
        (customer, scope, len(prefix), prefix),
    )
    entries: list[tuple[str, dict[str, Any] | None]] = []
    for row in rows:
        below, slash, _ = row["key"][len(prefix) :].partition("/")
        if not slash:
            entries.append((row["key"], row))
        elif not entries or entries[-1][0] != prefix + below + "/":
            entries.append((prefix + below + "/", None))
    offset = cursor_offset(continuation_token, "continuation_token")
    page = entries[offset : offset + max_keys]
    more = offset + max_keys < len(entries)
    return {
        "scope": scope,
        "path": folder,
        "objects": [
            {"key": key, "size": row["size"], "last_modified": row["modified"]}
            for key, row in page
            if row is not None
        ],
        "common_prefixes": [key for key, row in page if row is None],
        "is_truncated": more,
        "next_continuation_token": next_cursor(offset + max_keys, more),
        "shared_enabled": True,
    }


class UploadRequest(Body):
    """Body of an upload mint: the file's name and size, and the folder it goes to."""

    filename: str = Field(min_length=1, max_length=255, pattern=r"^[^/\\\x00]+$")
    size: JsonInt = Field(ge=0, le=MAX_UPLOAD)
    content_type: str | None = Field(default=None, max_length=255)
    path: str = Field(default="", max_length=1024)
    scope: Scope = "personal"
    expires_in: JsonInt = Field(default=3600, ge=1, le=604800)


@router.api("POST", "/files/upload")
async def upload_file(
    request: Request, state: State, customer: Customer, body: UploadRequest
) -> dict[str, Any]:
    """A presigned-POST ticket for ``path/filename`` (an existing file is overwritten)."""
    folder = relative_key(body.path, "path", allow_empty=True)
    key = relative_key(f"{folder}/{body.filename}" if folder else body.filename, "filename")
    ticket = presign_post(
        state,
        request,
        customer=customer,
        scope=body.scope,
        key=key,
        max_bytes=body.size,
        expires_in=body.expires_in,
        content_type=body.content_type,
    )
    return {
        "key": key,
        **ticket,
        "expires_in": body.expires_in,
        "max_bytes": body.size,
        "scope": body.scope,
    }


@router.api("GET", "/files/download")
async def download_file(
    request: Request,
    state: State,
    customer: Customer,
    key: Annotated[str, Query(min_length=1, max_length=1024)],
    scope: Scope = "personal",
    expires_in: Annotated[int, Query(ge=1, le=604800)] = 900,
) -> dict[str, Any]:
    """A presigned URL to download one file (no bytes are sent here)."""
    relative = relative_key(key, "key")
    if find_file(state, customer, scope, relative) is None:
        raise not_found("file")
    url = presign_get(state, request, customer, scope, relative, expires_in)
    return {"scope": scope, "key": relative, "url": url, "expires_in": expires_in}
