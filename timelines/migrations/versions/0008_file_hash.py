"""timeline.file_hash: the bytes of the file the last apply read, so an unchanged file is
not even parsed

Revision ID: 0008_file_hash
Revises: 0007_feed_index
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008_file_hash"
down_revision = "0007_feed_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An empty hash matches no file: the first apply after the upgrade reads every file.
    op.add_column("timeline", sa.Column("file_hash", sqlmodel.sql.sqltypes.AutoString(
        length=80), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("timeline") as batch:
        batch.drop_column("file_hash")
