"""Alembic migrations of the service's database, run on every start."""
