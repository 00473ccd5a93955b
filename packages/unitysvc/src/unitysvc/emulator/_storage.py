"""The account-file store: presigned tickets minted by the control plane, and the storage
endpoint that honours them.

Bytes never pass through the API: ``POST /storage/account-files`` takes a presigned-POST
form (policy fields first, the file last) and ``GET /storage/account-files/<key>`` a
presigned URL. Neither takes an API key (one is refused, as S3 refuses two kinds of
credentials); the HMAC-signed policy or URL says who may write or read which key, until
when, and how many bytes. Uploads stream to disk; a file's metadata is in SQLite and its
bytes in ``EmulatorState.files_dir`` under a random name, so no key ever becomes a path.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from starlette.responses import FileResponse

from sdkcore.emulator import EmulatorError

from ._deps import EmulatorState, state_of
from ._multipart import FormReader, boundary_of
from ._store import new_uuid, now

__all__ = [
    "ROUTE",
    "SCOPES",
    "find_file",
    "presign_get",
    "presign_post",
    "relative_key",
    "router",
]

router = APIRouter(include_in_schema=False)

SCOPES = ("personal", "shared")
ROUTE = "/storage/account-files"
"""Where the account-file store answers (presigned POST uploads, GET downloads)."""
_FIELD_LIMIT = 8192


def relative_key(text: str, argument: str, *, allow_empty: bool = False) -> str:
    """``text`` as a key or folder relative to a scope root; 422 naming ``argument`` for
    traversal (``..``, ``.``, empty segments), absolute paths, backslashes or NUL."""
    key = text.strip("/") if allow_empty else text
    if not key and allow_empty:
        return ""
    segments = key.split("/")
    if (
        not key
        or key.startswith("/")
        or "\\" in key
        or "\0" in key
        or any(s in ("", ".", "..") for s in segments)
        or len(key) > 2048
    ):
        raise EmulatorError(422, f"{argument} must be a relative path without '.' or '..'")
    return key


def find_file(state: EmulatorState, customer: str, scope: str, key: str) -> dict[str, Any] | None:
    """The ``account_files`` row of ``key`` in the customer's ``scope``, or None."""
    return state.db.query_one(
        "SELECT * FROM account_files WHERE customer_id = ? AND scope = ? AND key = ?",
        (customer, scope, key),
    )


def _secret(state: EmulatorState) -> bytes:
    state.db.execute(
        "INSERT OR IGNORE INTO settings (name, value) VALUES ('storage-secret', ?)",
        (secrets.token_hex(32),),
    )
    value = state.db.scalar("SELECT value FROM settings WHERE name = 'storage-secret'")
    return str(value).encode()


def _sign(state: EmulatorState, message: str) -> str:
    return hmac.new(_secret(state), message.encode(), hashlib.sha256).hexdigest()


def _storage_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + ROUTE


def presign_post(
    state: EmulatorState,
    request: Request,
    *,
    customer: str,
    scope: str,
    key: str,
    max_bytes: int,
    expires_in: int,
    content_type: str | None,
) -> dict[str, Any]:
    """A presigned-POST ticket for ``key``: the storage URL and the form fields to send."""
    policy = {
        "expiration": time.time() + expires_in,
        "prefix": f"{customer}/{scope}/",
        "max_bytes": max_bytes,
    }
    encoded = base64.b64encode(json.dumps(policy).encode()).decode()
    fields = {"key": f"{customer}/{scope}/{key}", "policy": encoded}
    if content_type is not None:
        fields["Content-Type"] = content_type
    fields["signature"] = _sign(state, encoded)
    return {"url": _storage_url(request), "fields": fields}


def presign_get(
    state: EmulatorState, request: Request, customer: str, scope: str, key: str, expires_in: int
) -> str:
    """A presigned URL reading ``key`` until ``expires_in`` seconds from now."""
    stored = f"{customer}/{scope}/{key}"
    expires = math.ceil(time.time()) + expires_in
    query = urlencode({"expires": expires, "signature": _sign(state, f"GET\n{stored}\n{expires}")})
    return f"{_storage_url(request)}/{quote(stored)}?{query}"


def _refuse(why: str) -> EmulatorError:
    return EmulatorError(403, f"storage refused the request: {why}")


def _no_credentials(request: Request) -> None:
    if "authorization" in request.headers:
        raise EmulatorError(
            400, "storage takes no API key; the presigned policy or URL authorizes the request"
        )


def _check_policy(state: EmulatorState, fields: dict[str, str]) -> dict[str, Any]:
    encoded, signature = fields.get("policy", ""), fields.get("signature", "")
    if not hmac.compare_digest(_sign(state, encoded), signature):
        raise _refuse("the policy signature does not match")
    policy: dict[str, Any] = json.loads(base64.b64decode(encoded))
    if time.time() > policy["expiration"]:
        raise _refuse("the policy has expired")
    key = fields.get("key", "")
    if not key.startswith(policy["prefix"]):
        raise _refuse("the key is outside the policy's prefix")
    relative_key(key[len(policy["prefix"]) :], "key")
    return policy


def _split(stored: str) -> tuple[str, str, str]:
    customer, scope, key = stored.split("/", 2)
    return customer, scope, key


@router.post(ROUTE, status_code=204)
async def storage_upload(request: Request) -> Response:
    """Store the file of a presigned-POST form (the policy fields must come before it)."""
    _no_credentials(request)
    state = state_of(request)
    reader = FormReader(request.stream(), boundary_of(request.headers.get("content-type")))
    fields: dict[str, str] = {}
    try:
        while (part := await reader.next_part()) is not None:
            if part.filename is None:
                fields[part.name] = await reader.value(_FIELD_LIMIT)
                continue
            if part.name != "file":
                raise EmulatorError(400, "the file part must be named 'file'")
            policy = _check_policy(state, fields)
            await _receive(state, reader, fields, policy, part.content_type)
            return Response(status_code=204)
    except EmulatorError:
        # Read the rest, so the client sending it gets the answer, not a reset.
        await reader.drain()
        raise
    raise EmulatorError(400, "the form has no file part")


async def _receive(
    state: EmulatorState,
    reader: FormReader,
    fields: dict[str, str],
    policy: dict[str, Any],
    part_type: str | None,
) -> None:
    blob = new_uuid()
    path = state.files_dir / blob
    size = 0
    try:
        with path.open("wb") as out:
            async for chunk in reader.body():
                size += len(chunk)
                if size > policy["max_bytes"]:
                    raise EmulatorError(400, "the file is larger than the policy allows")
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    customer, scope, key = _split(fields["key"])
    old = find_file(state, customer, scope, key)
    state.db.execute(
        "INSERT OR REPLACE INTO account_files (customer_id, scope, key, size, content_type, "
        "blob, modified) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (customer, scope, key, size, fields.get("Content-Type") or part_type, blob, now()),
    )
    if old is not None:
        (state.files_dir / old["blob"]).unlink(missing_ok=True)


@router.get(ROUTE + "/{stored:path}")
async def storage_download(
    request: Request, stored: str, expires: str = "", signature: str = ""
) -> Response:
    """The bytes of a file, for a presigned URL that is signed and not expired."""
    _no_credentials(request)
    state = state_of(request)
    if not re.fullmatch(r"\d{1,12}", expires):
        raise _refuse("the URL has no valid expiry")
    if not hmac.compare_digest(_sign(state, f"GET\n{stored}\n{expires}"), signature):
        raise _refuse("the URL signature does not match")
    if time.time() > int(expires):
        raise _refuse("the URL has expired")
    customer, scope, key = _split(stored)
    row = find_file(state, customer, scope, key)
    if row is None:
        raise EmulatorError(404, "no such file")
    return FileResponse(
        Path(state.files_dir, row["blob"]),
        media_type=row["content_type"] or "application/octet-stream",
    )
