"""Alembic environment: runs on the connection the service hands over (see `_database.migrate`)."""

from __future__ import annotations

from alembic import context

from claude_code_api.service._tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
