"""The emulator's SQLite schema and the conversions shared by its record types."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from sdkcore.emulator import Database, isoformat

from ._config import EmulatorConfig

__all__ = ["SCHEMA", "now", "open_database", "timestamp"]

# Times are epoch seconds (REAL) so the call lifecycle can be computed in SQL.
SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    to_number TEXT NOT NULL,
    from_number TEXT NOT NULL,
    direction TEXT NOT NULL,
    url TEXT NOT NULL,
    status_callback TEXT,
    callback_events TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at REAL NOT NULL,
    ring_at REAL,
    answer_at REAL,
    end_at REAL NOT NULL,
    callback_stage INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_by_account ON calls (account_id, created_at);
CREATE INDEX IF NOT EXISTS calls_awaiting_callbacks ON calls (callback_stage)
    WHERE callback_stage < 3;

CREATE TABLE IF NOT EXISTS numbers (
    account_id TEXT NOT NULL,
    number TEXT NOT NULL,
    source TEXT NOT NULL,
    webhook_url TEXT,
    webhook_method TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (account_id, number)
);
CREATE INDEX IF NOT EXISTS numbers_by_number ON numbers (number);

CREATE TABLE IF NOT EXISTS sip_credentials (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sip_credentials_by_account ON sip_credentials (account_id);

CREATE TABLE IF NOT EXISTS callback_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    event TEXT NOT NULL,
    url TEXT NOT NULL,
    params TEXT NOT NULL,
    signature TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at REAL NOT NULL,
    response_status INTEGER,
    last_error TEXT,
    created_at REAL NOT NULL,
    delivered_at REAL
);
CREATE INDEX IF NOT EXISTS callback_deliveries_pending ON callback_deliveries (status, call_id);
"""


def now() -> float:
    """Return the current time in epoch seconds, the unit every stored time uses."""
    return time.time()


def timestamp(epoch: float) -> str:
    """Format stored epoch seconds the way the API does (``2026-11-25T12:00:00.123Z``)."""
    return isoformat(datetime.fromtimestamp(epoch, timezone.utc))


def open_database(config: EmulatorConfig) -> Database:
    """Open ``config.db``, create the schema and register the configured numbers.

    Configured numbers are registered again on every start, even if they were released
    meanwhile: the configuration says they belong to the account.
    """
    db = Database(config.db, schema=SCHEMA)
    created = now()
    with db.transaction():
        for account_id, numbers in config.numbers.items():
            for number in numbers:
                db.execute(
                    "INSERT OR IGNORE INTO numbers"
                    " (account_id, number, source, webhook_url, webhook_method, created_at)"
                    " VALUES (?, ?, 'pool', NULL, 'POST', ?)",
                    (account_id, number, created),
                )
    return db
