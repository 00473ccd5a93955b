"""The emulator's SQLite schema and how stored rows become API objects."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from sdkcore.emulator import Database, isoformat, utcnow

from ._config import EmulatorConfig

__all__ = [
    "SCHEMA",
    "agent_object",
    "deployment_id",
    "environment_id",
    "instance_counts",
    "instance_object",
    "now",
    "open_database",
    "quality_summary",
    "render_template",
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
    owner_person_id TEXT,
    risk_profile_id TEXT,
    team_id TEXT,
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
    quality_schemas TEXT NOT NULL DEFAULT '{}',
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
    finished_at TEXT,
    purpose TEXT NOT NULL DEFAULT 'live',
    external_identifier TEXT,
    quality_payloads TEXT NOT NULL DEFAULT '{}',
    termination_reason TEXT
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

# Columns added after the first release: a database file written by it gains them on open.
_ADDED_COLUMNS = (
    ("agents", "owner_person_id", "TEXT"),
    ("agents", "risk_profile_id", "TEXT"),
    ("agents", "team_id", "TEXT"),
    ("schema_versions", "quality_schemas", "TEXT NOT NULL DEFAULT '{}'"),
    ("instances", "purpose", "TEXT NOT NULL DEFAULT 'live'"),
    ("instances", "external_identifier", "TEXT"),
    ("instances", "quality_payloads", "TEXT NOT NULL DEFAULT '{}'"),
    ("instances", "termination_reason", "TEXT"),
)
_LATE_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS instances_by_external_id
    ON instances (agent_id, external_identifier) WHERE external_identifier IS NOT NULL;
"""

_FINISHED = ("complete", "failed", "cancelled")
_INSTANCE_STATUSES = ("pending", "active", *_FINISHED, "terminated")
_TEMPLATE_FIELD = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def now() -> str:
    """The current time as the API formats it (``2026-11-25T12:00:00.123Z``)."""
    return isoformat(utcnow())


def environment_id(account_id: str) -> str:
    """Every account has one environment in the emulator."""
    return f"env_{account_id}"


def open_database(config: EmulatorConfig) -> Database:
    """Open ``config.db``, create (or upgrade) the schema and make sure the configured agents
    exist."""
    db = Database(config.db, schema=SCHEMA)
    stamp = now()
    with db.transaction():
        for table, column, declaration in _ADDED_COLUMNS:
            present = {row["name"] for row in db.query(f"PRAGMA table_info({table})")}
            if column not in present:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
        db.execute(_LATE_INDEXES)
        for account_id, agent_ids in config.agents.items():
            for agent_id in agent_ids:
                db.execute(
                    "INSERT OR IGNORE INTO agents (id, account_id, name, status, inserted_at,"
                    " updated_at, seq) VALUES (?, ?, ?, 'pending', ?, ?,"
                    " (SELECT COALESCE(MAX(seq), 0) + 1 FROM agents))",
                    (agent_id, account_id, agent_id, stamp, stamp),
                )
    return db


def instance_counts(db: Database, agent_id: str, environment: str | None = None) -> dict[str, int]:
    """Instances of an agent by status (of one environment when given)."""
    counts = dict.fromkeys(_INSTANCE_STATUSES, 0)
    scope = "" if environment is None else " AND environment_id = ?"
    for entry in db.query(
        f"SELECT status, COUNT(*) AS n FROM instances WHERE agent_id = ?{scope} GROUP BY status",
        (agent_id,) if environment is None else (agent_id, environment),
    ):
        counts[entry["status"]] = entry["n"]
    return {
        **counts,
        "total": sum(counts.values()),
        "finished": sum(counts[s] for s in _FINISHED),
    }


def agent_object(
    db: Database, row: Mapping[str, Any], environment: str | None = None
) -> dict[str, Any]:
    """An agent row as the API shows it, with its instance counts (of one environment when
    given)."""
    counts = instance_counts(db, row["id"])
    shown = counts if environment is None else instance_counts(db, row["id"], environment)
    status = row["status"]
    return {
        "type": "agent",
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "external_identifier": row["external_identifier"],
        "status": status,
        "owner_person_id": row["owner_person_id"],
        "risk_profile_id": row["risk_profile_id"],
        "team_id": row["team_id"],
        "available_actions": {
            "update": status != "retired",
            "retire": status != "retired",
            "reinstate": status == "retired",
            "delete": counts["total"] == 0,
        },
        "instance_counts": shown,
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


def deployment_id(agent_id: str, environment: str) -> str:
    """The emulator deploys each agent once per environment; the id follows from the pair."""
    digest = hashlib.sha256(f"{agent_id}\0{environment}".encode()).hexdigest()
    return f"dep_{digest[:26]}"


def render_template(template: str, payload: Mapping[str, Any]) -> str:
    """``template`` with each ``{{field}}`` (dotted for nested fields) replaced by its value."""

    def value(match: re.Match[str]) -> str:
        found: Any = payload
        for part in match.group(1).split("."):
            found = found.get(part) if isinstance(found, Mapping) else None
        if found is None:
            return ""
        return found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)

    return _TEMPLATE_FIELD.sub(value, template)


def quality_summary(definition: Mapping[str, Any] | None, payload: Mapping[str, Any]) -> str:
    """A recorded quality payload in one line: its schema's template, else ``field: value``."""
    template = None if definition is None else definition.get("template")
    if template:
        return render_template(template, payload)
    return ", ".join(
        f"{key}: {json.dumps(item, ensure_ascii=False)}" for key, item in payload.items()
    )


def instance_object(db: Database, row: Mapping[str, Any]) -> dict[str, Any]:
    """An instance row as the API shows it."""
    payloads: dict[str, Any] = json.loads(row["quality_payloads"])
    # Summaries need the quality schemas' templates; most instances have no payloads.
    schemas: dict[str, Any] = (
        json.loads(
            db.scalar(
                "SELECT quality_schemas FROM schema_versions WHERE id = ?",
                (row["schema_version_id"],),
            )
        )
        if payloads
        else {}
    )
    return {
        "type": "agent_instance",
        "id": row["id"],
        "account_id": row["account_id"],
        "agent_id": row["agent_id"],
        "agent_version_id": row["agent_version_id"],
        "environment_id": row["environment_id"],
        "agent_deployment_id": deployment_id(row["agent_id"], row["environment_id"]),
        "status": row["status"],
        "purpose": row["purpose"],
        "external_identifier": row["external_identifier"],
        "inserted_at": row["inserted_at"],
        "updated_at": row["updated_at"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "termination_reason": row["termination_reason"],
        "span_counts": span_counts(db, row["id"]),
        "quality_payloads": payloads,
        "quality_summaries": {
            name: quality_summary(schemas.get(name), payload) for name, payload in payloads.items()
        },
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
