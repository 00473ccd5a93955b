"""The S3 and SMTP gateways, backed by the emulator's SQLite storage.

S3 (``/gateway/s3``): path-style buckets with PUT/GET/HEAD/DELETE object, ListObjectsV2
(``GET /<bucket>?list-type=2&prefix=&max-keys=``) and ListBuckets, XML bodies and S3 error
codes. Authentication is the customer's Bearer key, not AWS SigV4; no multipart uploads,
versioning, ACLs or presigned URLs.

SMTP (``/gateway/smtp``): HTTP message submission, ``POST /messages`` with JSON
``{"from", "to", "subject", "text"}`` or a raw RFC 5322 message (``message/rfc822``); the
message is captured in the customer's mailbox (``GET /messages``, and
`UnitysvcEmulator.mailbox`). No SMTP wire protocol and no delivery.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, ValidationError

from sdkcore.emulator import EmulatorError

from ._deps import Customer, State
from ._store import dumps, loads, new_uuid, now

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_XML = "application/xml"


def _s3_error(status: int, code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
    )
    return Response(body, status_code=status, media_type=_XML)


def _check_bucket(bucket: str) -> None:
    if not 3 <= len(bucket) <= 63 or not all(c.isalnum() or c in "-." for c in bucket):
        raise EmulatorError(400, "InvalidBucketName")


@router.get("/gateway/s3/")
@router.get("/gateway/s3")
async def list_buckets(state: State, customer: Customer) -> Response:
    """ListBuckets: the buckets that hold objects of this customer."""
    rows = state.db.query(
        "SELECT bucket, MIN(modified) AS created FROM objects WHERE customer_id = ? GROUP BY "
        "bucket ORDER BY bucket",
        (customer,),
    )
    items = "".join(
        f"<Bucket><Name>{escape(r['bucket'])}</Name><CreationDate>{r['created']}</CreationDate></Bucket>"
        for r in rows
    )
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult>'
        f"<Buckets>{items}</Buckets></ListAllMyBucketsResult>",
        media_type=_XML,
    )


@router.get("/gateway/s3/{bucket}")
async def list_objects(
    state: State,
    customer: Customer,
    bucket: str,
    prefix: str = "",
    max_keys: Annotated[int, Query(alias="max-keys", ge=1, le=1000)] = 1000,
) -> Response:
    """ListObjectsV2 (prefix and max-keys)."""
    _check_bucket(bucket)
    rows = state.db.query(
        "SELECT key, etag, modified, LENGTH(body) AS size FROM objects WHERE customer_id = ? AND "
        "bucket = ? "
        "AND substr(key, 1, ?) = ? ORDER BY key",
        (customer, bucket, len(prefix), prefix),
    )
    window = rows[:max_keys]
    contents = "".join(
        f"<Contents><Key>{escape(r['key'])}</Key><LastModified>{r['modified']}</LastModified>"
        f"<ETag>&quot;{r['etag']}&quot;</ETag><Size>{r['size']}</Size></Contents>"
        for r in window
    )
    truncated = "true" if len(rows) > max_keys else "false"
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>'
        f"<Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix><KeyCount>{len(window)}</KeyCount>"
        f"<MaxKeys>{max_keys}</MaxKeys><IsTruncated>{truncated}</IsTruncated>{contents}</ListBucketResult>",
        media_type=_XML,
    )


@router.put("/gateway/s3/{bucket}/{key:path}")
async def put_object(
    request: Request, state: State, customer: Customer, bucket: str, key: str
) -> Response:
    """PutObject."""
    _check_bucket(bucket)
    body = await request.body()
    etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
    state.db.execute(
        "INSERT OR REPLACE INTO objects (customer_id, bucket, key, body, content_type, etag, "
        "modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            customer,
            bucket,
            key,
            body,
            request.headers.get("content-type", "application/octet-stream"),
            etag,
            now(),
        ),
    )
    return Response(status_code=200, headers={"ETag": f'"{etag}"'})


def _object(state: Any, customer: str, bucket: str, key: str) -> dict[str, Any] | None:
    row: dict[str, Any] | None = state.db.query_one(
        "SELECT * FROM objects WHERE customer_id = ? AND bucket = ? AND key = ?",
        (customer, bucket, key),
    )
    return row


@router.api_route("/gateway/s3/{bucket}/{key:path}", methods=["GET", "HEAD"])
async def get_object(
    request: Request, state: State, customer: Customer, bucket: str, key: str
) -> Response:
    """GetObject / HeadObject."""
    row = _object(state, customer, bucket, key)
    if row is None:
        return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
    headers = {"ETag": f'"{row["etag"]}"', "Last-Modified": row["modified"]}
    body = b"" if request.method == "HEAD" else row["body"]
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(row["body"]))
    return Response(body, media_type=row["content_type"], headers=headers)


@router.delete("/gateway/s3/{bucket}/{key:path}")
async def delete_object(state: State, customer: Customer, bucket: str, key: str) -> Response:
    """DeleteObject (204 whether or not it existed, as S3 does)."""
    state.db.execute(
        "DELETE FROM objects WHERE customer_id = ? AND bucket = ? AND key = ?",
        (customer, bucket, key),
    )
    return Response(status_code=204)


class MailMessage(BaseModel):
    """A message submitted as JSON."""

    sender: str = Field(alias="from", min_length=3, max_length=320)
    to: list[str] = Field(min_length=1, max_length=100)
    subject: str = Field(default="", max_length=998)
    text: str = Field(default="", max_length=1_000_000)


def mailbox_json(row: dict[str, Any]) -> dict[str, Any]:
    """A captured message as the API shows it."""
    return {
        "id": row["id"],
        "from": row["sender"],
        "to": loads(row["recipients"]),
        "subject": row["subject"],
        "text": row["body"],
        "received_at": row["received_at"],
    }


@router.post("/gateway/smtp/messages", status_code=202)
async def submit_message(request: Request, state: State, customer: Customer) -> dict[str, Any]:
    """Capture a message in the mailbox (JSON or raw RFC 5322)."""
    raw = await request.body()
    try:
        message = _parse_message(request.headers.get("content-type", ""), raw)
    except ValidationError as exc:
        raise EmulatorError(422, f"invalid message: {exc.errors()[0]['msg']}") from None
    for address in [message.sender, *message.to]:
        if "@" not in address:
            raise EmulatorError(422, f"not an email address: {address!r}")
    message_id = new_uuid()
    state.db.execute(
        "INSERT INTO mailbox (id, customer_id, sender, recipients, subject, body, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            message_id,
            customer,
            message.sender,
            dumps(message.to),
            message.subject,
            message.text,
            now(),
        ),
    )
    return {"id": message_id, "accepted": message.to}


def _parse_message(content_type: str, raw: bytes) -> MailMessage:
    if content_type.startswith("message/rfc822"):
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        recipients = [a.strip() for a in str(parsed.get("To", "")).split(",") if a.strip()]
        if not parsed.get("From") or not recipients:
            raise EmulatorError(422, "the message needs From and To headers")
        part = parsed.get_body(preferencelist=("plain",))
        return MailMessage.model_validate(
            {
                "from": str(parsed["From"]),
                "to": recipients,
                "subject": str(parsed.get("Subject", "")),
                "text": part.get_content() if part is not None else "",
            }
        )
    return MailMessage.model_validate_json(raw or b"{}")


@router.get("/gateway/smtp/messages")
async def list_messages(state: State, customer: Customer) -> dict[str, Any]:
    """The customer's captured mailbox, oldest first."""
    rows = state.db.query(
        "SELECT * FROM mailbox WHERE customer_id = ? ORDER BY received_at, id", (customer,)
    )
    return {"data": [mailbox_json(r) for r in rows], "count": len(rows)}
