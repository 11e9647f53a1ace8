"""installation id: a random id per database, for Message-IDs; task.sequence

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
import sqlmodel
from alembic import op

import timelines.model

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "installation",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", timelines.model.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Chosen once, here: stable for the life of this database, unique across databases.
    op.bulk_insert(table, [{"id": secrets.token_hex(16), "created_at": dt.datetime.now(dt.UTC)}])
    with op.batch_alter_table("task") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.drop_column("sequence")
    op.drop_table("installation")
