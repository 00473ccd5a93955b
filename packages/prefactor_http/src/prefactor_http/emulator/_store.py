"""The emulator's SQLite schema and how stored rows become API objects."""

from __future__ import annotations

import json
from typing import Any

from sdkcore.emulator import Database, isoformat, utcnow

from ._config import EmulatorConfig

__all__ = [
    "SCHEMA",
    "agent_object",
    "instance_object",
    "now",
    "open_database",
    "span_counts",
    "span_object",
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    external_identifier TEXT,
    status TEXT NOT NULL,
    current_version_id TEXT,
    inserted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS agents_by_external_id
    ON agents (account_id, external_identifier) WHERE external_identifier IS NOT NULL;

CREATE TABLE IF NOT EXISTS agent_versions (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    external_identifier TEXT,
    name TEXT,
    description TEXT,
    inserted_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS agent_versions_by_external_id
    ON agent_versions (agent_id, external_identifier) WHERE external_identifier IS NOT NULL;

CREATE TABLE IF NOT EXISTS schema_versions (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    external_identifier TEXT,
    span_types TEXT NOT NULL,
    inserted_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS schema_versions_by_external_id
    ON schema_versions (agent_id, external_identifier) WHERE external_identifier IS NOT NULL;

CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id),
    agent_version_id TEXT NOT NULL,
    schema_version_id TEXT NOT NULL,
    environment_id TEXT NOT NULL,
    status TEXT NOT NULL,
    inserted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);

CREATE TABLE IF NOT EXISTS spans (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    instance_id TEXT NOT NULL REFERENCES instances (id),
    parent_span_id TEXT REFERENCES spans (id),
    schema_name TEXT NOT NULL,
    schema_title TEXT,
    status TEXT NOT NULL,
    payload TEXT NOT NULL,
    result_payload TEXT,
    summary TEXT,
    started_at TEXT,
    inserted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX IF NOT EXISTS spans_by_instance ON spans (instance_id, status);

CREATE TABLE IF NOT EXISTS idempotency (
    account_id TEXT NOT NULL,
    action TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    response TEXT NOT NULL,
    inserted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, action, key)
);
"""

_FINISHED = ("complete", "failed", "cancelled")


def now() -> str:
    """The current time as the API formats it (``2026-11-25T12:00:00.123Z``)."""
    return isoformat(utcnow())


def environment_id(account_id: str) -> str:
    """Every account has one environment in the emulator."""
    return f"env_{account_id}"


def open_database(config: EmulatorConfig) -> Database:
    """Open ``config.db``, create the schema and make sure the configured agents exist."""
    db = Database(config.db, schema=SCHEMA)
    stamp = now()
    with db.transaction():
        for account_id, agent_ids in config.agents.items():
            for agent_id in agent_ids:
                db.execute(
                    "INSERT OR IGNORE INTO agents (id, account_id, name, status, inserted_at,"
                    " updated_at, seq) VALUES (?, ?, ?, 'pending', ?, ?,"
                    " (SELECT COALESCE(MAX(seq), 0) + 1 FROM agents))",
                    (agent_id, account_id, agent_id, stamp, stamp),
                )
    return db


def agent_object(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """An agent row as the API shows it, with its instance counts."""
    counts = dict.fromkeys(("pending", "active", *_FINISHED), 0)
    for entry in db.query(
        "SELECT status, COUNT(*) AS n FROM instances WHERE agent_id = ? GROUP BY status",
        (row["id"],),
    ):
        counts[entry["status"]] = entry["n"]
    status = row["status"]
    return {
        "type": "agent",
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "external_identifier": row["external_identifier"],
        "status": status,
        "available_actions": {
            "update": status != "retired",
            "retire": status != "retired",
            "reinstate": status == "retired",
            "delete": sum(counts.values()) == 0,
        },
        "instance_counts": {
            **counts,
            "total": sum(counts.values()),
            "finished": sum(counts[s] for s in _FINISHED),
        },
        "inserted_at": row["inserted_at"],
        "updated_at": row["updated_at"],
    }


def span_counts(db: Database, instance_id: str) -> dict[str, int]:
    """Spans of an instance by status, nested ones included."""
    counts = dict.fromkeys(("pending", "active", *_FINISHED), 0)
    for entry in db.query(
        "SELECT status, COUNT(*) AS n FROM spans WHERE instance_id = ? GROUP BY status",
        (instance_id,),
    ):
        counts[entry["status"]] = entry["n"]
    return {
        "total": sum(counts.values()),
        **counts,
        "finished": sum(counts[s] for s in _FINISHED),
    }


def instance_object(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """An instance row as the API shows it."""
    return {
        "type": "agent_instance",
        "id": row["id"],
        "account_id": row["account_id"],
        "agent_id": row["agent_id"],
        "agent_version_id": row["agent_version_id"],
        "environment_id": row["environment_id"],
        "status": row["status"],
        "inserted_at": row["inserted_at"],
        "updated_at": row["updated_at"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "span_counts": span_counts(db, row["id"]),
    }


def span_object(row: dict[str, Any]) -> dict[str, Any]:
    """A span row as the API shows it."""
    return {
        "type": "agent_span",
        "id": row["id"],
        "account_id": row["account_id"],
        "agent_id": row["agent_id"],
        "agent_instance_id": row["instance_id"],
        "parent_span_id": row["parent_span_id"],
        "schema_name": row["schema_name"],
        "schema_title": row["schema_title"],
        "status": row["status"],
        "payload": json.loads(row["payload"]),
        "result_payload": None
        if row["result_payload"] is None
        else json.loads(row["result_payload"]),
        "summary": row["summary"],
        "started_at": row["started_at"],
        "inserted_at": row["inserted_at"],
        "updated_at": row["updated_at"],
        "finished_at": row["finished_at"],
    }
