"""timeline.applied_hash: what the last apply read, so an unchanged file is skipped

Revision ID: 0005_applied_hash
Revises: 0004_recurring
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005_applied_hash"
down_revision = "0004_recurring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An empty hash matches no file: the first apply after the upgrade reads every file.
    op.add_column("timeline", sa.Column("applied_hash", sqlmodel.sql.sqltypes.AutoString(
        length=80), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("timeline") as batch:
        batch.drop_column("applied_hash")
