"""task.digest: the file's columns of each task as the last apply wrote them, so an apply
reads and compares only the tasks a changed file changed

Revision ID: 0009_task_digest
Revises: 0008_file_hash
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009_task_digest"
down_revision = "0008_file_hash"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An empty digest matches no task: the first apply that reads a file compares its tasks
    # in full, as before, and writes the digest of those it writes.
    op.add_column("task", sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=24),
                                    nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.drop_column("digest")
