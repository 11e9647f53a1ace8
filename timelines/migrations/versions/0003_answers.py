"""owners' answers, requests for more time, decisions, answer mails

Revision ID: 0003_answers
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import timelines.model

revision = '0003_answers'
down_revision = '0002'
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = timelines.model.UTCDateTime


def upgrade() -> None:
    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', T(timezone=True), nullable=False),
    sa.Column('person', S(length=120), nullable=False),
    sa.Column('token_id', S(length=64), nullable=False),
    sa.Column('form_id', S(length=64), nullable=False),
    sa.Column('timeline_id', S(length=120), nullable=False),
    sa.Column('task_key', S(length=200), nullable=False),
    sa.Column('task_pk', sa.Integer(), nullable=True),
    sa.Column('occurrence', S(length=40), nullable=True),
    sa.Column('date_version', sa.Integer(), nullable=False),
    sa.Column('kind', S(length=20), nullable=False),
    sa.Column('old_value', S(), nullable=False),
    sa.Column('new_value', S(), nullable=False),
    sa.Column('status', S(length=20), nullable=True),
    sa.Column('note', S(), nullable=False),
    sa.ForeignKeyConstraint(['task_pk'], ['task.pk'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form_id')
    )
    op.create_index(op.f('ix_answer_person'), 'answer', ['person'], unique=False)
    op.create_index(op.f('ix_answer_timeline_id'), 'answer', ['timeline_id'], unique=False)
    op.create_index(op.f('ix_answer_task_pk'), 'answer', ['task_pk'], unique=False)
    op.create_table('timerequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('person', S(length=120), nullable=False),
    sa.Column('timeline_id', S(length=120), nullable=False),
    sa.Column('task_key', S(length=200), nullable=False),
    sa.Column('old_due', sa.Date(), nullable=True),
    sa.Column('proposed_due', sa.Date(), nullable=False),
    sa.Column('note', S(), nullable=False),
    sa.Column('created_at', T(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('answer_id')
    )
    op.create_index(op.f('ix_timerequest_person'), 'timerequest', ['person'], unique=False)
    op.create_table('requestdecision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('state', S(length=20), nullable=False),
    sa.Column('decided_by', S(length=200), nullable=False),
    sa.Column('decided_at', T(timezone=True), nullable=False),
    sa.Column('note', S(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['timerequest.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id')
    )
    op.create_table('answermail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', S(length=300), nullable=False),
    sa.Column('person', S(length=120), nullable=False),
    sa.Column('sent_at', T(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('answermail')
    op.drop_table('requestdecision')
    op.drop_index(op.f('ix_timerequest_person'), table_name='timerequest')
    op.drop_table('timerequest')
    op.drop_index(op.f('ix_answer_task_pk'), table_name='answer')
    op.drop_index(op.f('ix_answer_timeline_id'), table_name='answer')
    op.drop_index(op.f('ix_answer_person'), table_name='answer')
    op.drop_table('answer')
