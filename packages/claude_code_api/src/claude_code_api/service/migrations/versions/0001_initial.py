"""Initial schema: keys, rate windows, budgets, usage, idempotency.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("key_hint", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("project_id", sa.String(200), nullable=False, index=True),
        sa.Column("profile", sa.String(20), nullable=False),
        sa.Column("rate_limit", sa.Integer, nullable=False),
        sa.Column("allowed_projects", sa.Text, nullable=False),
        sa.Column("max_cost_per_task", sa.Float, nullable=True),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_used_at", sa.Float, nullable=True),
    )
    op.create_table(
        "rate_windows",
        sa.Column("key_id", sa.String(40), primary_key=True),
        sa.Column("window_start", sa.BigInteger, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "budgets",
        sa.Column("project_id", sa.String(200), primary_key=True),
        sa.Column("monthly_limit_nanos", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "budget_ledger",
        sa.Column("project_id", sa.String(200), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("spent_nanos", sa.BigInteger, nullable=False),
        sa.Column("reserved_nanos", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "usage_records",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key_id", sa.String(40), nullable=False),
        sa.Column("project_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("input_tokens", sa.BigInteger, nullable=False),
        sa.Column("output_tokens", sa.BigInteger, nullable=False),
        sa.Column("cost_nanos", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_usage_project_time", "usage_records", ["project_id", "created_at"])
    op.create_table(
        "idempotency",
        sa.Column("key_id", sa.String(40), primary_key=True),
        sa.Column("idem_key", sa.String(255), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    """Drop every table."""
    for table in ("idempotency", "usage_records", "budget_ledger", "budgets", "rate_windows"):
        op.drop_table(table)
    op.drop_table("api_keys")
