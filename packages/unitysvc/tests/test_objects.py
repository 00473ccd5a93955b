"""The S3 and SMTP gateways over real HTTP, at the base URLs the client exposes."""

from __future__ import annotations

import httpx
from unitysvc_fixtures import MAIN_KEY, OTHER_KEY

from unitysvc import Client
from unitysvc.emulator import UnitysvcEmulator


def _http(key: str = MAIN_KEY) -> httpx.Client:
    return httpx.Client(headers={"Authorization": f"Bearer {key}"}, timeout=30.0)


def test_s3_objects(client: Client) -> None:
    s3 = client.s3_base_url
    with _http() as http:
        put = http.put(
            f"{s3}/reports/2026/a.txt", content=b"hello", headers={"Content-Type": "text/plain"}
        )
        assert put.status_code == 200
        assert put.headers["etag"]
        http.put(f"{s3}/reports/2026/b.txt", content=b"world")
        got = http.get(f"{s3}/reports/2026/a.txt")
        assert got.content == b"hello"
        assert got.headers["content-type"].startswith("text/plain")
        assert http.head(f"{s3}/reports/2026/a.txt").headers["content-length"] == "5"
        listing = http.get(
            f"{s3}/reports", params={"list-type": "2", "prefix": "2026/", "max-keys": "1"}
        )
        assert "<Key>2026/a.txt</Key>" in listing.text
        assert "<IsTruncated>true</IsTruncated>" in listing.text
        assert "<Name>reports</Name>" in http.get(f"{s3}/").text
        assert http.delete(f"{s3}/reports/2026/a.txt").status_code == 204
        missing = http.get(f"{s3}/reports/2026/a.txt")
        assert missing.status_code == 404
        assert "<Code>NoSuchKey</Code>" in missing.text
    with _http(OTHER_KEY) as other:
        assert other.get(f"{s3}/reports/2026/b.txt").status_code == 404  # per customer


def test_smtp_submission_is_captured(client: Client, emulator: UnitysvcEmulator) -> None:
    smtp = client.smtp_base_url
    with _http() as http:
        sent = http.post(
            f"{smtp}/messages",
            json={
                "from": "app@example.com",
                "to": ["ops@example.com"],
                "subject": "Hi",
                "text": "Body",
            },
        )
        assert sent.status_code == 202
        assert sent.json()["accepted"] == ["ops@example.com"]
        raw = (
            b"From: a@example.com\r\nTo: b@example.com, c@example.com\r\n"
            b"Subject: Raw\r\n\r\nraw body\r\n"
        )
        http.post(f"{smtp}/messages", content=raw, headers={"Content-Type": "message/rfc822"})
        assert http.post(f"{smtp}/messages", json={"from": "x", "to": []}).status_code == 422
        assert http.post(f"{smtp}/messages", content=b"not json").status_code == 422
        listed = http.get(f"{smtp}/messages").json()
    assert [m["subject"] for m in listed["data"]][-2:] == ["Hi", "Raw"]
    mailbox = emulator.mailbox()
    assert mailbox[-1]["to"] == ["b@example.com", "c@example.com"]
    assert mailbox[-1]["text"].strip() == "raw body"
