"""``/sip/credentials``: SIP logins for softphones; passwords are shown once, stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from sdkcore.emulator import EmulatorError, document_response, json_request_body, new_id

from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, State, read_body
from ._schemas import SipCredentialCreatedOut, SipCredentialListOut, SipCredentialOut
from ._store import now, timestamp

__all__ = ["hash_password", "router", "verify_password"]

SIP_PORT = 5060
TRANSPORT = "udp"

# Emulator secrets guard nothing real: a modest work factor keeps tests fast.
_PBKDF2_ROUNDS = 10_000
_ID_ALPHABET = string.ascii_lowercase + string.digits

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/sip/credentials", tags=["sip"])


class _CreateCredential(BaseModel):
    display_name: str | None = Field(default=None, alias="displayName")


def hash_password(password: str) -> str:
    """Return a salted PBKDF2-SHA256 hash of ``password`` (``pbkdf2_sha256$rounds$salt$hash``)."""
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _PBKDF2_ROUNDS)
    return f"pbkdf2_sha256${_PBKDF2_ROUNDS}${salt}${digest.hex()}"


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored``, a value made by `hash_password`."""
    algorithm, rounds, salt, expected = stored.split("$")
    if algorithm != "pbkdf2_sha256":
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(rounds))
    return hmac.compare_digest(digest.hex(), expected)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "username": row["username"],
        "displayName": row["display_name"],
        "createdAt": timestamp(row["created_at"]),
    }


def _find(state: EmulatorState, account_id: str, credential_id: str) -> dict[str, Any]:
    row = state.db.query_one(
        "SELECT * FROM sip_credentials WHERE id = ? AND account_id = ?",
        (credential_id, account_id),
    )
    if row is None:
        raise EmulatorError(404, f"SIP credential {credential_id} not found")
    return row


@router.post(
    "",
    **document_response(SipCredentialCreatedOut, status_code=201),
    openapi_extra=json_request_body(_CreateCredential, body_required=False),
)
async def create_credential(
    account_id: AccountId, state: State, request: Request
) -> dict[str, Any]:
    """Create a SIP login; the response is the only place its password ever appears."""
    body = await read_body(request, _CreateCredential)
    limit = state.config.max_sip_credentials
    password = secrets.token_hex(16)
    row = {
        "id": "clu" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(12)),
        "username": new_id("usr_", 12),
        "display_name": body.display_name,
        "created_at": now(),
    }
    with state.db.transaction():
        held = state.db.scalar(
            "SELECT COUNT(*) FROM sip_credentials WHERE account_id = ?", (account_id,)
        )
        if held >= limit:
            raise EmulatorError(422, f"SIP credential limit reached: at most {limit} per account")
        state.db.execute(
            "INSERT INTO sip_credentials (id, account_id, username, password_hash,"
            " display_name, created_at) VALUES (:id, :account, :username, :hash,"
            " :display_name, :created_at)",
            {**row, "account": account_id, "hash": hash_password(password)},
        )
    return {
        **_summary(row),
        "password": password,
        "sipServer": state.config.sip_server,
        "sipPort": SIP_PORT,
        "transport": TRANSPORT,
    }


@router.get("", **document_response(SipCredentialListOut))
async def list_credentials(account_id: AccountId, state: State) -> dict[str, Any]:
    """List the account's SIP credentials, oldest first, without passwords."""
    rows = state.db.query(
        "SELECT * FROM sip_credentials WHERE account_id = ? ORDER BY created_at, rowid",
        (account_id,),
    )
    return {"credentials": [_summary(row) for row in rows]}


@router.get("/{credential_id}", **document_response(SipCredentialOut))
async def get_credential(account_id: AccountId, state: State, credential_id: str) -> dict[str, Any]:
    """Return one SIP credential, without its password."""
    return _summary(_find(state, account_id, credential_id))


@router.delete("/{credential_id}", status_code=204)
async def delete_credential(account_id: AccountId, state: State, credential_id: str) -> Response:
    """Delete a SIP credential; calls to its username fail from then on."""
    with state.db.transaction():
        _find(state, account_id, credential_id)
        state.db.execute("DELETE FROM sip_credentials WHERE id = ?", (credential_id,))
    return Response(status_code=204)
