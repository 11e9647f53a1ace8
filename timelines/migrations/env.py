"""Alembic environment: always run with a connection handed in by timelines.db."""

from __future__ import annotations

from alembic import context

from timelines.model import SQLModel

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
