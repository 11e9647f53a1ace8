"""task_person and data_version: one owner's feed through an index, and an O(1) change check

Revision ID: 0007_feed_index
Revises: 0006_latest_status
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007_feed_index"
down_revision = "0006_latest_status"
branch_labels = None
depends_on = None

# The tables whose rows a feed shows; every write to them counts in data_version.
WATCHED = ("task", "timeline", "owner", "role")
EVENTS = ("INSERT", "UPDATE", "DELETE")

# PostgreSQL: once per statement, and BEFORE it touches a row, so every writer takes the
# data_version row before any task row (no two writers can wait for each other).
PG_FUNCTION = """
CREATE FUNCTION fristvakt_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1;
    RETURN NULL;
END $$"""


def _pg_triggers() -> None:
    op.execute(PG_FUNCTION)
    for table in WATCHED:
        op.execute(f"CREATE TRIGGER fristvakt_data_changed BEFORE INSERT OR UPDATE OR DELETE "
                   f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION fristvakt_data_changed()")


def _sqlite_triggers() -> None:
    # SQLite has row triggers only: one single-row UPDATE per written row.
    for table in WATCHED:
        for event in EVENTS:
            op.execute(f"CREATE TRIGGER fristvakt_{table}_{event.lower()} AFTER {event} "
                       f"ON {table} BEGIN UPDATE data_version SET version = version + 1; END")


def _keys(row: Any) -> list[str]:
    found: list[str] = []
    for raw in (row.owners, row.participants):
        values = json.loads(raw) if isinstance(raw, str) else raw
        found += [key for key in values or [] if key not in found]
    return found


def _backfill(bind: sa.Connection) -> None:
    """The keys of the tasks already there."""
    task_person = sa.table("task_person", sa.column("key"), sa.column("task_pk"))
    rows = bind.execute(sa.text("SELECT pk, owners, participants FROM task"))
    values = [{"key": key, "task_pk": row.pk} for row in rows for key in _keys(row)]
    for i in range(0, len(values), 1000):
        bind.execute(sa.insert(task_person), values[i:i + 1000])


def upgrade() -> None:
    op.create_index(op.f("ix_task_changed_at"), "task", ["changed_at"], unique=False)
    op.create_index(op.f("ix_timeline_changed_at"), "timeline", ["changed_at"], unique=False)
    op.create_table(
        "task_person",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("task_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_pk"], ["task.pk"]),
        sa.PrimaryKeyConstraint("key", "task_pk"),
    )
    op.create_index(op.f("ix_task_person_task_pk"), "task_person", ["task_pk"], unique=False)
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")
    bind = op.get_bind()
    _backfill(bind)
    if bind.dialect.name == "postgresql":
        _pg_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER fristvakt_data_changed ON {table}")
        op.execute("DROP FUNCTION fristvakt_data_changed()")
    else:
        for table in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER fristvakt_{table}_{event.lower()}")
    op.drop_table("data_version")
    op.drop_index(op.f("ix_task_person_task_pk"), table_name="task_person")
    op.drop_table("task_person")
    op.drop_index(op.f("ix_timeline_changed_at"), table_name="timeline")
    op.drop_index(op.f("ix_task_changed_at"), table_name="task")
