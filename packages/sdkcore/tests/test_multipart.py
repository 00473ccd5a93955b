"""Non-JSON request bodies: `RawBody` is sent as given, `multipart_form` encodes a form that
a standard parser reads back, on both faces."""

from __future__ import annotations

from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import pytest
from sdkcore_demo import AsyncDemo, Demo

import sdkcore

# The demo echo decodes bodies as UTF-8; the clawops brand image test sends every byte value.
IMAGE = bytes(range(128)) * 4


def parse(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Each part of a multipart body by name: (filename, payload)."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    assert message.is_multipart()
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        assert isinstance(part, Message)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts[str(part.get_param("name", header="content-disposition"))] = (
            part.get_filename(),
            payload,
        )
    return parts


def form() -> sdkcore.RawBody:
    return sdkcore.multipart_form(
        {"kind": "WIDE", "note": "é ✓"}, {"image": ('a "b".png', IMAGE, "image/png")}
    )


def check(sent: Any) -> None:
    content_type = sent.header("content-type")
    assert content_type.startswith("multipart/form-data; boundary=")
    parts = parse(content_type, sent.body)
    assert parts == {
        "kind": (None, b"WIDE"),
        "note": (None, "é ✓".encode()),
        "image": ("a %22b%22.png", IMAGE),
    }


def test_multipart_form_is_sent_as_encoded(client: Demo, journal: Any) -> None:
    client.items.echo(method="POST", body=form())
    check(journal.last())


def test_extra_body_is_refused_for_a_body_that_is_not_json(client: Demo, journal: Any) -> None:
    journal.clear()
    with pytest.raises(TypeError, match="extra_body"):
        client.items.echo(method="POST", body=form(), extra_body={"field": 1})
    assert journal.entries == []


async def test_multipart_form_async(aclient: AsyncDemo, journal: Any) -> None:
    await aclient.items.echo(method="POST", body=form())
    check(journal.last())


def test_raw_body_keeps_its_bytes_and_type(client: Demo, journal: Any) -> None:
    client.items.echo(
        method="POST", body=sdkcore.RawBody(b"\x00\x01raw", "application/octet-stream")
    )
    sent = journal.last()
    assert (sent.body, sent.header("content-type")) == (b"\x00\x01raw", "application/octet-stream")


def test_each_form_has_its_own_boundary() -> None:
    assert form().content_type != form().content_type
