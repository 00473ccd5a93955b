"""SQLite schema, the built-in catalogue, and row helpers."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sdkcore.emulator import Database, isoformat, utcnow

__all__ = [
    "CATALOGUE",
    "SYSTEM_GROUPS",
    "catalogue_id",
    "dumps",
    "loads",
    "new_uuid",
    "now",
    "open_database",
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS services (
    id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, display_name TEXT, service_type TEXT,
    gateway_type TEXT, description TEXT, provider_name TEXT, seller_name TEXT,
    capabilities TEXT, tags TEXT, list_price REAL, enrollment_channel TEXT,
    upstream TEXT NOT NULL, secret_headers TEXT, required_parameters TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, owner_type TEXT NOT NULL,
    owner_id TEXT, display_name TEXT, description TEXT, group_type TEXT NOT NULL,
    routing_policy TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1, is_default INTEGER
    NOT NULL DEFAULT 0, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY, group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES services(id), routing_key TEXT, sort_order INTEGER
    NOT NULL DEFAULT 0, weight REAL NOT NULL DEFAULT 1, UNIQUE (group_id, service_id)
);
CREATE TABLE IF NOT EXISTS enrollments (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, service_id TEXT NOT NULL, status TEXT
    NOT NULL, parameters TEXT NOT NULL, code TEXT NOT NULL, task_id TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, activate_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS secrets (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_used_at TEXT,
    UNIQUE (customer_id, name)
);
CREATE TABLE IF NOT EXISTS aliases (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, name TEXT NOT NULL, target_path TEXT
    NOT NULL, description TEXT, request_routing_key TEXT, routing_key_override TEXT,
    is_routing INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT,
    deactivated_at TEXT
);
CREATE TABLE IF NOT EXISTS broadcasts (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
    mode TEXT NOT NULL, target_timeout_ms INTEGER NOT NULL, enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT, UNIQUE (customer_id, name)
);
CREATE TABLE IF NOT EXISTS broadcast_targets (
    id TEXT PRIMARY KEY, broadcast_id TEXT NOT NULL REFERENCES broadcasts(id) ON DELETE
    CASCADE, name TEXT NOT NULL, target_path TEXT NOT NULL, routing_key_override TEXT,
    sort_order INTEGER NOT NULL, UNIQUE (broadcast_id, name)
);
CREATE TABLE IF NOT EXISTS broadcast_tasks (
    id TEXT PRIMARY KEY, broadcast_id TEXT NOT NULL, customer_id TEXT NOT NULL, target TEXT
    NOT NULL, target_path TEXT NOT NULL, status TEXT NOT NULL, status_code INTEGER,
    elapsed_ms REAL, error TEXT, created_at TEXT NOT NULL, finished_at TEXT
);
CREATE TABLE IF NOT EXISTS chains (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
    default_timeout_ms INTEGER NOT NULL, enabled INTEGER NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT, UNIQUE (customer_id, name)
);
CREATE TABLE IF NOT EXISTS chain_steps (
    id TEXT PRIMARY KEY, chain_id TEXT NOT NULL REFERENCES chains(id) ON DELETE CASCADE,
    name TEXT NOT NULL, target_path TEXT NOT NULL, on_success TEXT NOT NULL, on_failure TEXT
    NOT NULL, sort_order INTEGER NOT NULL, timeout_ms INTEGER, UNIQUE (chain_id, name)
);
CREATE TABLE IF NOT EXISTS recurrent_requests (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL, request_path TEXT
    NOT NULL, http_method TEXT NOT NULL, service_id TEXT, enrollment_id TEXT,
    body_template TEXT, request_headers TEXT, schedule TEXT, state TEXT NOT NULL, name TEXT,
    next_run REAL, created_at TEXT NOT NULL, updated_at TEXT
);
CREATE TABLE IF NOT EXISTS recurrent_runs (
    id TEXT PRIMARY KEY, request_id TEXT NOT NULL, started_at TEXT NOT NULL,
    status_code INTEGER, error TEXT, trigger TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS request_logs (
    log_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, event_timestamp TEXT NOT NULL,
    gateway_source TEXT NOT NULL, user_request_method TEXT, user_request_path TEXT,
    customer_id TEXT NOT NULL, service_id TEXT, service_enrollment_id TEXT,
    upstream_response_status_code INTEGER, upstream_response_time_ms REAL,
    error_source TEXT, error_type TEXT, recurrent_request_id TEXT, detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS preferences (
    customer_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (customer_id, name)
);
CREATE TABLE IF NOT EXISTS memo (
    key TEXT PRIMARY KEY, expires REAL NOT NULL, status INTEGER NOT NULL, headers TEXT
    NOT NULL, body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
    customer_id TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, body BLOB NOT NULL,
    content_type TEXT NOT NULL, etag TEXT NOT NULL, modified TEXT NOT NULL,
    PRIMARY KEY (customer_id, bucket, key)
);
CREATE TABLE IF NOT EXISTS mailbox (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, sender TEXT NOT NULL, recipients TEXT
    NOT NULL, subject TEXT, body TEXT NOT NULL, received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_files (
    customer_id TEXT NOT NULL, scope TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL,
    content_type TEXT, blob TEXT NOT NULL, modified TEXT NOT NULL,
    PRIMARY KEY (customer_id, scope, key)
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    customer_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL, content_type TEXT, body BLOB NOT NULL,
    PRIMARY KEY (customer_id, key)
);
"""


def new_uuid() -> str:
    """A fresh UUID4 string."""
    return str(uuid.uuid4())


def _fixed(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "unitysvc-catalogue:" + name))


def catalogue_id(name: str) -> str:
    """The fixed id of the catalogue service ``name`` (e.g. ``"flaky-svc"``), the same in every
    emulator, so demos and tests can address services outside any group."""
    if not any(svc["name"] == name for svc in CATALOGUE):
        raise KeyError(f"no catalogue service named {name!r}")
    return _fixed(name)


def now() -> str:
    """The current UTC time as the API writes it."""
    return isoformat(utcnow())


def dumps(value: Any) -> str | None:
    """JSON text for a JSON column (None stays NULL)."""
    return None if value is None else json.dumps(value, separators=(",", ":"))


def loads(text: str | None) -> Any:
    """The value of a JSON column."""
    return None if text is None else json.loads(text)


# The catalogue: every service is backed by one of the local upstream apps (see _upstreams).
CATALOGUE: list[dict[str, Any]] = [
    {
        "name": "chat-small",
        "display_name": "Chat Small",
        "provider_name": "Acme AI",
        "service_type": "llm",
        "list_price": 0.5,
        "upstream": "chat",
        "capabilities": ["chat", "streaming"],
        "tags": ["openai-compatible"],
    },
    {
        "name": "chat-large",
        "display_name": "Chat Large",
        "provider_name": "Bolt Labs",
        "service_type": "llm",
        "list_price": 2.0,
        "upstream": "chat",
        "capabilities": ["chat", "streaming"],
        "tags": ["openai-compatible"],
    },
    {
        "name": "ndjson-feed",
        "display_name": "NDJSON event feed",
        "provider_name": "Acme AI",
        "service_type": "stream",
        "list_price": 0.1,
        "upstream": "ndjson",
        "capabilities": ["ndjson"],
        "tags": ["stream"],
    },
    {
        "name": "line-feed",
        "display_name": "Plain-text line feed",
        "provider_name": "Bolt Labs",
        "service_type": "stream",
        "list_price": 0.1,
        "upstream": "lines",
        "capabilities": ["text"],
        "tags": ["stream"],
    },
    {
        "name": "byok-echo",
        "display_name": "Bring-your-own-key echo",
        "provider_name": "Echo Inc",
        "service_type": "utility",
        "list_price": 0.0,
        "upstream": "echo",
        "enrollment_channel": "byok",
        "secret_headers": {"Authorization": "Bearer ${UPSTREAM_API_KEY}"},
        "required_parameters": ["region"],
        "capabilities": ["echo"],
        "tags": ["byok"],
    },
    {
        "name": "replay-svc",
        "display_name": "Replays the chunks it is sent",
        "provider_name": "Echo Inc",
        "service_type": "utility",
        "list_price": 0.0,
        "upstream": "replay",
        "capabilities": ["stream"],
        "tags": ["debug"],
    },
    {
        "name": "slow-svc",
        "display_name": "An upstream that answers late",
        "provider_name": "Snail Co",
        "service_type": "llm",
        "list_price": 0.0,
        "upstream": "slow",
        "capabilities": [],
        "tags": [],
    },
    {
        "name": "unstable-svc",
        "display_name": "An upstream that answers 503",
        "provider_name": "Flaky Inc",
        "service_type": "llm",
        "list_price": 0.0,
        "upstream": "status503",
        "capabilities": [],
        "tags": [],
    },
    {
        "name": "flaky-svc",
        "display_name": "Chat that fails on demand (X-Upstream-Fail: <status>)",
        "provider_name": "Flaky Inc",
        "service_type": "llm",
        "list_price": 0.0,
        "upstream": "flaky",
        "capabilities": ["chat"],
        "tags": ["openai-compatible"],
    },
    {
        "name": "offline-svc",
        "display_name": "An upstream that is down",
        "provider_name": "Gone Ltd",
        "service_type": "llm",
        "list_price": 0.0,
        "upstream": "offline",
        "capabilities": [],
        "tags": [],
    },
]

SYSTEM_GROUPS: list[dict[str, Any]] = [
    {
        "name": "llm",
        "display_name": "Chat completion models",
        "description": "OpenAI-compatible chat completions, routed by model or weight.",
        "routing_policy": {"strategy": "weighted"},
        "members": [
            ("chat-small", {"model": "small"}, 3.0),
            ("chat-large", {"model": "large"}, 1.0),
        ],
        "is_default": True,
    },
    {
        "name": "streams",
        "display_name": "Streaming feeds",
        "description": "NDJSON and plain-text streams.",
        "routing_policy": {"strategy": "by_routing_key"},
        "members": [
            ("ndjson-feed", {"format": "ndjson"}, 1.0),
            ("line-feed", {"format": "lines"}, 1.0),
        ],
        "is_default": False,
    },
    {
        "name": "echo",
        "display_name": "Echo services",
        "description": "Debugging upstreams.",
        "routing_policy": {"strategy": "by_price"},
        "members": [("byok-echo", None, 1.0)],
        "is_default": False,
    },
]


def open_database(path: str) -> Database:
    """Open the store and make sure the catalogue and the platform groups exist."""
    db = Database(path, schema=SCHEMA)
    stamp = now()
    with db.transaction():
        for svc in CATALOGUE:
            db.execute(
                "INSERT OR IGNORE INTO services (id, name, display_name, service_type, "
                "gateway_type, description, provider_name, seller_name, capabilities, tags, "
                "list_price, enrollment_channel, upstream, secret_headers, required_parameters, "
                "created_at) VALUES (?, ?, ?, ?, 'api', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _fixed(svc["name"]),
                    svc["name"],
                    svc["display_name"],
                    svc["service_type"],
                    svc["display_name"],
                    svc["provider_name"],
                    svc["provider_name"],
                    dumps(svc["capabilities"]),
                    dumps(svc["tags"]),
                    svc["list_price"],
                    svc.get("enrollment_channel", "shared"),
                    svc["upstream"],
                    dumps(svc.get("secret_headers")),
                    dumps(svc.get("required_parameters")),
                    stamp,
                ),
            )
        for group in SYSTEM_GROUPS:
            group_id = _fixed("group:" + group["name"])
            db.execute(
                "INSERT OR IGNORE INTO groups (id, name, owner_type, owner_id, display_name, "
                "description, group_type, routing_policy, enabled, is_default, created_at) "
                "VALUES (?, ?, 'system', NULL, ?, ?, 'category', ?, 1, ?, ?)",
                (
                    group_id,
                    group["name"],
                    group["display_name"],
                    group["description"],
                    dumps(group["routing_policy"]),
                    int(group["is_default"]),
                    stamp,
                ),
            )
            for order, (service, key, weight) in enumerate(group["members"]):
                db.execute(
                    "INSERT OR IGNORE INTO members (id, group_id, service_id, routing_key, "
                    "sort_order, weight) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        _fixed(f"member:{group['name']}:{service}"),
                        group_id,
                        _fixed(service),
                        dumps(key),
                        order,
                        weight,
                    ),
                )
    return db
