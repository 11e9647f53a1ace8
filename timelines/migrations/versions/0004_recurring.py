"""recurring tasks: the series on the task, the occurrence on each reminder

Revision ID: 0004_recurring
Revises: 0003_answers
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004_recurring'
down_revision = '0003_answers'
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('task') as batch:
        batch.add_column(sa.Column('recurrence', S(), nullable=False, server_default=''))
        batch.add_column(sa.Column('until', sa.Date(), nullable=True))
        batch.add_column(sa.Column('occurrences', sa.JSON(), nullable=False,
                                   server_default='{}'))
    with op.batch_alter_table('reminder') as batch:
        batch.add_column(sa.Column('occurrence', S(length=40), nullable=False,
                                   server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('reminder') as batch:
        batch.drop_column('occurrence')
    with op.batch_alter_table('task') as batch:
        batch.drop_column('occurrences')
        batch.drop_column('until')
        batch.drop_column('recurrence')
