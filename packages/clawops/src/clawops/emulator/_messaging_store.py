"""Tables, seed data and request helpers shared by the messaging routers (messages, Kakao,
sender numbers, blocked recipients).

Error bodies here carry the public API's ``code`` beside ``error``: its messaging domain names
every refusal (``recipient_blocked``, ``from_not_registered``, ...) and clients branch on it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from sdkcore.emulator import Database, EmulatorError

from ._config import EmulatorConfig
from ._paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest, int_param

__all__ = [
    "DEMO_CHANNEL_SEARCH_ID",
    "DEMO_KAKAO_TOKEN",
    "MESSAGING_SCHEMA",
    "PHONE_PATTERN",
    "check_choice",
    "demo_channel_id",
    "demo_template_ids",
    "fail",
    "insert",
    "normalize_phone",
    "number_type",
    "page_envelope",
    "read_page",
    "seed_messaging",
    "sender_id",
]

DEMO_CHANNEL_SEARCH_ID = "clawops-demo"
DEMO_KAKAO_TOKEN = "123456"
"""The verification code every `request_token` "sends": the emulator has no phone to text."""

MESSAGING_SCHEMA = """
CREATE TABLE IF NOT EXISTS sender_numbers (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    number TEXT NOT NULL,
    type TEXT NOT NULL,
    verification_method TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    UNIQUE (account_id, number)
);

CREATE TABLE IF NOT EXISTS blocked_recipients (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL,
    active INTEGER NOT NULL,
    source TEXT NOT NULL,
    source_ref TEXT,
    note TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    unblocked_at REAL,
    unblocked_source TEXT,
    unblocked_note TEXT
);
CREATE INDEX IF NOT EXISTS blocked_by_recipient
    ON blocked_recipients (account_id, channel, recipient, active);

CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    type TEXT NOT NULL,
    to_number TEXT NOT NULL,
    from_number TEXT NOT NULL,
    subject TEXT,
    body TEXT,
    media_url TEXT,
    channel_id TEXT,
    template_id TEXT,
    outcome TEXT NOT NULL,
    created_at REAL NOT NULL,
    sending_at REAL NOT NULL,
    done_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_account ON messages (account_id, created_at);

CREATE TABLE IF NOT EXISTS kakao_channels (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    search_id TEXT NOT NULL,
    name TEXT NOT NULL,
    category_code TEXT NOT NULL,
    manager_phone_masked TEXT,
    connected_at REAL NOT NULL,
    synced_at REAL,
    updated_at REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS kakao_tokens (
    account_id TEXT NOT NULL,
    search_id TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    requested_at REAL NOT NULL,
    PRIMARY KEY (account_id, search_id, phone_number)
);

CREATE TABLE IF NOT EXISTS kakao_templates (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    channel_id TEXT NOT NULL REFERENCES kakao_channels (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content TEXT,
    header TEXT,
    status TEXT NOT NULL,
    dormant INTEGER NOT NULL,
    chat_bubble_type TEXT,
    variables TEXT NOT NULL,
    created_at REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS kakao_brand_images (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    bubble_type TEXT NOT NULL,
    slot TEXT NOT NULL,
    name TEXT,
    size INTEGER NOT NULL,
    created_at REAL NOT NULL
);
"""

# (id suffix, kind, name, content, status, dormant, bubble type, variables)
_DEMO_TEMPLATES: tuple[tuple[str, str, str, str, str, int, str | None, list[str]], ...] = (
    (
        "order",
        "alimtalk",
        "Order shipped",
        "Hi #{name}, your order #{order_id} has shipped.",
        "APPROVED",
        0,
        None,
        ["name", "order_id"],
    ),
    (
        "otp",
        "alimtalk",
        "Verification code",
        "Your code is #{code}.",
        "APPROVED",
        0,
        None,
        ["code"],
    ),
    (
        "review",
        "alimtalk",
        "Awaiting review",
        "Hello #{name}, this template is still under review.",
        "REQUESTED",
        0,
        None,
        ["name"],
    ),
    (
        "dormant",
        "alimtalk",
        "Dormant notice",
        "Hello #{name}, this template fell dormant.",
        "APPROVED",
        1,
        None,
        ["name"],
    ),
    (
        "news",
        "brand",
        "New arrivals",
        "Hi #{name}, new arrivals are in this week.",
        "APPROVED",
        0,
        "TEXT",
        ["name"],
    ),
)


def demo_channel_id(account_id: str) -> str:
    """The id of the demo Kakao channel seeded on ``account_id`` (stable across restarts)."""
    return "KC" + hashlib.sha256(account_id.encode()).hexdigest()[:16]


def demo_template_ids(account_id: str) -> dict[str, str]:
    """The demo channel's template ids by short name (``order``, ``otp``, ``news``, ...)."""
    channel = demo_channel_id(account_id)
    return {suffix: f"KT{channel[2:]}{suffix}" for suffix, *_ in _DEMO_TEMPLATES}


def seed_messaging(db: Database, config: EmulatorConfig, created: float) -> None:
    """Create the messaging tables (if new), register the configured numbers as approved
    sender numbers and give every account the demo Kakao channel with its templates. Like the
    numbers themselves, this is done again on every start: the configuration says they belong
    to the account."""
    with db.transaction():
        for statement in MESSAGING_SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        for account_id in config.account_ids:
            for number in config.numbers.get(account_id, ()):
                db.execute(
                    "INSERT OR IGNORE INTO sender_numbers (id, account_id, number, type,"
                    " verification_method, status, created_at)"
                    " VALUES (?, ?, ?, ?, 'own_provisioned', 'approved', ?)",
                    (
                        sender_id(account_id, number),
                        account_id,
                        number,
                        number_type(number),
                        created,
                    ),
                )
            channel = demo_channel_id(account_id)
            db.execute(
                "INSERT OR IGNORE INTO kakao_channels (id, account_id, search_id, name,"
                " category_code, manager_phone_masked, connected_at, synced_at, updated_at)"
                " VALUES (?, ?, ?, 'ClawOps Demo', '00100010001', '010-****-0000', ?, NULL, ?)",
                (channel, account_id, DEMO_CHANNEL_SEARCH_ID, created, created),
            )
            ids = demo_template_ids(account_id)
            for suffix, kind, name, content, status, dormant, bubble, variables in _DEMO_TEMPLATES:
                db.execute(
                    "INSERT OR IGNORE INTO kakao_templates (id, kind, channel_id, name, content,"
                    " header, status, dormant, chat_bubble_type, variables, created_at)"
                    " VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
                    (
                        ids[suffix],
                        kind,
                        channel,
                        name,
                        content,
                        status,
                        dormant,
                        bubble,
                        json.dumps(variables),
                        created,
                    ),
                )


def sender_id(account_id: str, number: str) -> str:
    """The id of ``number``'s sender registration on ``account_id`` (stable, so a re-seed
    finds the row it made)."""
    return "SN" + hashlib.sha256(f"{account_id}:{number}".encode()).hexdigest()[:20]


def number_type(number: str) -> str:
    """The sender number type the API reports for ``number``."""
    if number.startswith("070"):
        return "070"
    return "mobile" if number.startswith("01") else "representative"


PHONE_PATTERN = r"^(\+82[1-9]|0)(-?[0-9]){2,10}$"
"""A phone number as the API takes it: domestic (``010-1234-5678``) or ``+82`` without the
leading 0 (``+821012345678``); hyphens allowed between digits."""


def normalize_phone(value: str) -> str | None:
    """The domestic digits of a phone number matching `PHONE_PATTERN`, else None."""
    if re.fullmatch(PHONE_PATTERN, value) is None:
        return None
    digits = value.replace("-", "")
    return "0" + digits[3:] if digits.startswith("+82") else digits


def insert(db: Database, table: str, row: dict[str, Any]) -> None:
    """Store ``row`` (column -> value) in ``table``."""
    columns = ", ".join(row)
    values = ", ".join(":" + column for column in row)
    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({values})", row)


def fail(status_code: int, code: str, message: str) -> EmulatorError:
    """An error answering ``{"error": message, "code": code}``."""
    return EmulatorError(status_code, message, body={"error": message, "code": code})


def check_choice(value: str | None, choices: Sequence[str], name: str, code: str) -> None:
    """Refuse (400 ``code``) a ``value`` that is given but not one of ``choices``."""
    if value is not None and value not in choices:
        raise fail(400, code, f"Invalid {name}: use one of {', '.join(choices)}")


def read_page(page: str | None, page_size: str | None, *, code: str) -> PageRequest:
    """Parse ``page`` and ``pageSize`` (defaults 0 and 20); bad values answer 400 ``code``."""
    refuse = partial(fail, 400, code)
    number = int_param(page, "page", 0, refuse)
    size = int_param(page_size, "pageSize", DEFAULT_PAGE_SIZE, refuse)
    if number < 0:
        raise fail(400, code, "Invalid page: must be 0 or more")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise fail(400, code, f"Invalid pageSize: must be between 1 and {MAX_PAGE_SIZE}")
    return PageRequest(number, size)


def page_envelope(
    db: Database,
    select: str,
    where: str,
    params: dict[str, Any],
    page: PageRequest,
    item: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``select ... WHERE where`` (newest first), each row made an API object by
    ``item``, in its envelope."""
    total = db.scalar(f"SELECT COUNT(*) FROM ({select} WHERE {where})", params)
    rows = db.query(
        f"{select} WHERE {where} ORDER BY created_at DESC, rowid DESC LIMIT :limit OFFSET :offset",
        {**params, **page.window},
    )
    return page.envelope([item(row) for row in rows], total)
