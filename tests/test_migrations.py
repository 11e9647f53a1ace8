"""The migrations build exactly the schema the model describes."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from timelines.db import HEAD, alembic_config, at_head, migrate
from timelines.model import SQLModel


def test_migrations_match_the_model(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_migrating_twice_is_a_no_op(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None


def test_the_head_open_database_trusts_is_alembics(engine: Engine) -> None:
    """A database at `HEAD` is opened without alembic: it must be the newest migration."""
    assert ScriptDirectory.from_config(alembic_config(engine)).get_heads() == [HEAD]
    migrate(engine)
    assert at_head(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0007_feed_index'"))
    assert not at_head(engine)


def test_a_database_without_a_schema_is_not_at_head(tmp_path: Path) -> None:
    assert not at_head(create_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
