"""The service's tables (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Money is stored as integer nano-dollars so that sums are exact; times as epoch seconds.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "api_keys",
    "budget_ledger",
    "budgets",
    "idempotency",
    "metadata",
    "rate_windows",
    "usage_records",
]

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("key_hint", String(20), nullable=False),
    Column("name", String(200), nullable=True),
    Column("project_id", String(200), nullable=False, index=True),
    Column("profile", String(20), nullable=False),
    Column("rate_limit", Integer, nullable=False),
    Column("allowed_projects", Text, nullable=False, default=""),
    Column("max_cost_per_task", Float, nullable=True),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created_at", Float, nullable=False),
    Column("last_used_at", Float, nullable=True),
)

rate_windows = Table(
    "rate_windows",
    metadata,
    Column("key_id", String(40), primary_key=True),
    Column("window_start", BigInteger, primary_key=True),
    Column("count", Integer, nullable=False),
)

budgets = Table(
    "budgets",
    metadata,
    Column("project_id", String(200), primary_key=True),
    Column("monthly_limit_nanos", BigInteger, nullable=True),
)

budget_ledger = Table(
    "budget_ledger",
    metadata,
    Column("project_id", String(200), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("spent_nanos", BigInteger, nullable=False),
    Column("reserved_nanos", BigInteger, nullable=False),
)

usage_records = Table(
    "usage_records",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key_id", String(40), nullable=False),
    Column("project_id", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("model", String(100), nullable=False),
    Column("input_tokens", BigInteger, nullable=False),
    Column("output_tokens", BigInteger, nullable=False),
    Column("cost_nanos", BigInteger, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_usage_project_time", "project_id", "created_at"),
)

idempotency = Table(
    "idempotency",
    metadata,
    Column("key_id", String(40), primary_key=True),
    Column("idem_key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("body", Text, nullable=True),
    Column("created_at", Float, nullable=False),
)
