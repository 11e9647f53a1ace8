"""task.latest_status: the owners' latest status answer, for the feeds

Revision ID: 0006_latest_status
Revises: 0005_applied_hash
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_latest_status"
down_revision = "0005_applied_hash"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("latest_status", sa.JSON(), nullable=False,
                                    server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.drop_column("latest_status")
