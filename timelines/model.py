"""The database tables. Files say what should happen; these rows say what has happened.

All instants are stored through `UTCDateTime` (UTC, aware on the way out); all-day
deadlines are plain dates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import JSON, Column, Connection, DateTime, Index, Table, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from timelines.db import driver_errors

UTC = dt.UTC


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored in UTC; naive values are refused, not guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored: attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


CHUNK = 500
T = TypeVar("T")


def chunks(items: list[T]) -> Iterator[list[T]]:
    """`items` CHUNK at a time: no statement's IN list grows with the data."""
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def insert_rows(conn: Connection, table: Table, columns: Sequence[str],
                rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows (values in the order of `columns`) inserted with one executemany of the driver
    (COPY on PostgreSQL): each column type's own bind processor is applied here, a column at
    a time and once per distinct value (rows written together share instants, days and
    owner lists), without SQLAlchemy's per-row parameter machinery, which costs three times
    what the database does for a bulk insert (hundreds of thousands of ledger rows in a
    first apply)."""
    if not rows:
        return
    dialect = conn.dialect
    copy = dialect.name == "postgresql"  # COPY: no statement per row at all
    values = list(zip(*rows, strict=True))
    for i, name in enumerate(columns):
        kind = table.c[name].type
        document = isinstance(kind, JSON)
        # psycopg would serialize a JSON value once per row it copies (a third of copying a
        # ledger row); COPY reads the document's text, serialized here once per document.
        proc = json.dumps if copy and document else \
            kind.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None:
            values[i] = _processed(values[i], proc, document)
    bound = list(zip(*values, strict=True))
    if copy:
        _copy(conn, table, columns, bound)
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, bound)


def _copy(conn: Connection, table: Table, columns: Sequence[str],
          rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY FROM STDIN on the connection's own transaction (psycopg 3)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with driver_errors(sql), driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _processed(column: tuple[Any, ...], proc: Any, document: bool) -> tuple[Any, ...]:
    """One column's values through its bind processor, each distinct value once."""
    if not document:
        done = {value: proc(value) for value in set(column)}
        return tuple(done[value] for value in column)
    keys = [_document_key(value) for value in column]
    shared: dict[Any, Any] = {}
    for key, value in zip(keys, column, strict=True):
        if key is not None and key not in shared:
            shared[key] = proc(value)
    return tuple(proc(value) if key is None else shared[key]
                 for key, value in zip(keys, column, strict=True))


def _document_key(value: Any) -> Any:
    """A hashable stand-in for a JSON document many rows share (an empty list or table, a
    list of keys, one table object given for many rows: a plan's reminder payload); None
    for any other: processed each time."""
    if not value:
        return (type(value).__name__,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ("list", *value)
    if isinstance(value, dict):  # the column holds it, so its id is not reused meanwhile
        return ("object", id(value))
    return None


def _instant(**kw: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime(), **kw))


def _json() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Timeline(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=120)
    title: str
    lang: str | None = None
    ref_year: int | None = None
    source: str = ""
    path: str = ""
    owners: list[str] = _json()
    roles: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    policy: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changed_at: dt.datetime = _instant(nullable=False, index=True)  # a feed's latest change
    removed_at: dt.datetime | None = _instant(nullable=True)
    # `<config hash>:<file hash>@<unix time>` of the last apply: an unchanged file is skipped.
    applied_hash: str = Field(default="", max_length=80)
    # A hash of the file's path and bytes as that apply read them (`timelines.project`):
    # with the config part of `applied_hash` unchanged, the file is not parsed again.
    file_hash: str = Field(default="", max_length=80)


class Task(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("timeline_id", "key", name="uq_task_timeline_key"),)

    pk: int | None = Field(default=None, primary_key=True)
    timeline_id: str = Field(foreign_key="timeline.id", index=True, max_length=120)
    key: str = Field(max_length=200)
    title: str
    section: str = ""
    when_text: str = ""
    kind: str = "unparsed"
    start: dt.date | None = None
    due: dt.date | None = None
    approximate: bool = False
    status: str = "planned"
    owners: list[str] = _json()
    participants: list[str] = _json()
    after: list[str] = _json()
    lag_days: int = 0
    budget_text: str = ""
    budget_nok: int | None = None
    notes: str = ""
    line: int | None = None
    attention: str = ""
    policy: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    recurrence: str = ""  # RRULE of due days; see timelines.occurrences
    until: dt.date | None = None
    occurrences: dict[str, Any] = Field(default_factory=dict,
                                        sa_column=Column(JSON, nullable=False))
    date_version: int = 1
    sequence: int = 0  # cancel, removal, restore: with date_version, the iCal SEQUENCE
    # The owners' latest status answer ({"status", "note", "on"}), kept beside the task so
    # the feeds, which sit below the answers, can show it; the answers table is the history.
    latest_status: dict[str, Any] = Field(default_factory=dict,
                                          sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = _instant(nullable=False)
    changed_at: dt.datetime = _instant(nullable=False, index=True)  # a feed's latest change
    removed_at: dt.datetime | None = _instant(nullable=True)
    # A digest of the file's columns as the last apply wrote them (`timelines.sync`): an apply
    # that finds the file's task giving the same ones compares nothing more ("" matches none).
    digest: str = Field(default="", max_length=24)


class TaskPerson(SQLModel, table=True):
    """Each key a task names as owner or participant (a person or a role), written by
    `apply` with the task: one owner's feed finds its tasks through this index instead of
    reading every task."""

    __tablename__ = "task_person"

    key: str = Field(primary_key=True, max_length=120)
    task_pk: int = Field(primary_key=True, foreign_key="task.pk", index=True)


class DataVersion(SQLModel, table=True):
    """One row whose `version` grows with every write to the task, timeline, owner and role
    tables (database triggers, so every writer counts): the feed server's O(1) check of
    whether anything a feed shows has changed."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0


class Owner(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=120)
    name: str
    email: str
    lang: str | None = None
    timezone: str | None = None


class Role(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=120)
    label: str = ""
    members: list[str] = _json()


class Reminder(SQLModel, table=True):
    """The ledger: one row per planned message, unique by its idempotency key."""

    __table_args__ = (Index("ix_reminder_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    idem_key: str = Field(unique=True, max_length=400)
    task_pk: int | None = Field(default=None, foreign_key="task.pk", index=True)
    recipient: str = Field(max_length=120)
    email: str = ""
    rule: str = Field(max_length=60)
    kind: str = Field(max_length=20)
    occurrence: str = Field(default="", max_length=40)  # of a recurring task: "2025"
    date_version: int = 0
    send_at: dt.datetime = _instant(nullable=False)
    zone: str = "UTC"
    local_date: dt.date
    local_time: dt.time
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    next_attempt_at: dt.datetime = _instant(nullable=False)
    lease_owner: str | None = None
    lease_token: str | None = None
    lease_until: dt.datetime | None = _instant(nullable=True)
    last_error: str = ""
    sent_at: dt.datetime | None = _instant(nullable=True)
    message_id: str | None = None
    possible_duplicate: bool = False
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = _instant(nullable=False)


class Delivery(SQLModel, table=True):
    """One send attempt of a reminder: what happened and what the server said."""

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", index=True)
    attempt: int
    at: dt.datetime = _instant(nullable=False)
    worker: str = ""
    outcome: str = Field(max_length=20)
    code: int | None = None
    detail: str = ""


class Installation(SQLModel, table=True):
    """One row, written by the migration that creates the table: a random id of this
    database, mixed into every Message-ID so that a rebuilt database or a second installation
    never reuses one for a different message."""

    id: str = Field(primary_key=True, max_length=64)
    created_at: dt.datetime = _instant(nullable=False)


class FeedToken(SQLModel, table=True):
    """A private subscription URL; only the hash of the token is kept."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=128)
    owner_key: str | None = Field(default=None, max_length=120)
    timeline_id: str | None = Field(default=None, max_length=120)
    role_key: str | None = Field(default=None, max_length=120)
    label: str = ""
    created_at: dt.datetime = _instant(nullable=False)
    revoked_at: dt.datetime | None = _instant(nullable=True)
