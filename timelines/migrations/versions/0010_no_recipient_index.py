"""reminder.recipient loses its index: only `log --owner` looked rows up by it, and every
ledger insert paid for it (its keys come in no order, so each apply step rewrote most of it)

Revision ID: 0010_no_recipient_index
Revises: 0009_task_digest
"""

from __future__ import annotations

from alembic import op

revision = "0010_no_recipient_index"
down_revision = "0009_task_digest"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_reminder_recipient", table_name="reminder")


def downgrade() -> None:
    op.create_index("ix_reminder_recipient", "reminder", ["recipient"])
