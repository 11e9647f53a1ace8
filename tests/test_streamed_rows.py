"""`plan` and `log` read the ledger through `streamed_rows`: on PostgreSQL the rows come as
the server sends them (psycopg's `stream`), and they are the rows, with the values, that a
server-side cursor gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scheduler import reports
from timelines import db as dbmod
from timelines.db import open_database, streamed_rows
from timelines.model import Task

TABLES = Task.metadata.tables
NOW = dt.datetime(2027, 3, 1, 7, 0, tzinfo=dt.UTC)
OSLO = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    """A PostgreSQL ledger of 25 rows: waiting, due, stale and sent, one task gone, each row
    with a delivery attempt at its own instant."""
    engine = open_database(pg_url)
    # Instants come from the server in the session's time zone: one that is not UTC shows
    # whether they reach a report converted, as SQLAlchemy's result processing does.
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("SET TIME ZONE 'Europe/Oslo'"))
    engine.dispose()
    with engine.begin() as conn:
        conn.execute(sa.insert(TABLES["timeline"]), {
            "id": "plan", "title": "Plan", "owners": [], "roles": {}, "policy": {},
            "changed_at": NOW})
        conn.execute(sa.insert(TABLES["task"]), [
            {"timeline_id": "plan", "key": f"t{n}", "title": f"Oppgåve {n} «ø»",
             "owners": [], "participants": [], "after": [], "policy": {},
             "created_at": NOW, "changed_at": NOW} for n in range(20)])
        pks = conn.execute(sa.select(TABLES["task"].c.pk)).scalars().all()
        conn.execute(sa.insert(TABLES["reminder"]), [_reminder(n, pk) for n, pk in
                                                     enumerate([*pks, None, *pks[:4]])])
        ids = conn.execute(sa.select(TABLES["reminder"].c.id)).scalars().all()
        conn.execute(sa.insert(TABLES["delivery"]), [
            {"reminder_id": rid, "attempt": 1, "outcome": "retry", "code": 451,
             "detail": "try later", "at": (NOW + dt.timedelta(minutes=n)).astimezone(OSLO)}
            for n, rid in enumerate(ids)])
    yield engine
    engine.dispose()


def _reminder(n: int, pk: int | None) -> dict[str, Any]:
    at = NOW + dt.timedelta(hours=n - 10)
    return {"idem_key": f"k{n}", "task_pk": pk, "recipient": f"o{n % 3}",
            "email": f"o{n % 3}@example.no", "rule": "3d", "kind": "before", "send_at": at,
            "zone": "Europe/Oslo", "local_date": at.date(), "local_time": dt.time(8),
            "status": ["pending", "retry", "sent"][n % 3], "next_attempt_at": at,
            "payload": {"expire_at": (at + dt.timedelta(hours=n % 4)).isoformat()},
            "created_at": NOW}


def _reports(engine: Engine) -> list[list[dict[str, Any]]]:
    with Session(engine) as session:
        return [list(reports.ledger_rows(session, NOW, every)) for every in (False, True)] + [
            list(reports.ledger_rows(session, NOW, True, limit=7)),
            list(reports.log_rows(session, None, "o1")),
            list(reports.log_rows(session, "plan/t3", None)),
            list(reports.log_rows(session, None, None, latest=5))]


def test_plan_and_log_rows_streamed_are_those_a_cursor_gives(
        pg: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    streamed = _reports(pg)
    monkeypatch.setattr(dbmod, "_libpq_version", lambda: 0)  # a libpq without chunked mode
    through_a_cursor = _reports(pg)
    assert streamed == through_a_cursor
    assert [len(rows) for rows in streamed] == [17, 25, 7, 8, 2, 5]
    assert all(row["at"].utcoffset() == dt.timedelta(0) for row in streamed[3])


def test_the_reports_statements_are_streamed_on_postgresql(pg: Engine) -> None:
    """A parameter SQLAlchemy would process in a way the stream cannot (a list of values
    with a type of their own) makes `streamed_rows` use a cursor: the reports' own
    statements must not have one, or they would silently lose the stream."""
    with pg.connect() as conn:
        for stmt in (reports._plan_statement("postgresql", NOW, False, 10),
                     reports._log_statement("t1", "o1")):
            assert dbmod._streamable(conn, stmt) is not None
        listed = sa.select(TABLES["reminder"].c.id).where(
            TABLES["reminder"].c.send_at.in_([NOW, NOW + dt.timedelta(hours=1)]))
        assert dbmod._streamable(conn, listed) is None
        assert [row[0] for row in streamed_rows(conn, listed, 1)] == \
            conn.execute(listed).scalars().all()


def test_a_stream_left_half_read_leaves_its_transaction_usable(pg: Engine) -> None:
    reminder = TABLES["reminder"]
    with pg.connect() as conn, conn.begin():
        for columns in ([reminder.c.idem_key], [reminder.c.idem_key, reminder.c.send_at]):
            rows = streamed_rows(conn, sa.select(*columns).order_by(reminder.c.id), 2)
            assert [next(rows)[0] for _ in range(3)] == ["k0", "k1", "k2"]
            rows.close()  # the reader stopped (a closed pipe, a limit of its own)
            count = sa.select(sa.func.count()).select_from(reminder)
            assert conn.execute(count).scalar() == 25


def test_other_databases_read_through_a_cursor(tmp_path: Any) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        with engine.connect() as conn:
            stmt = sa.select(TABLES["reminder"].c.id)
            assert dbmod._streamable(conn, stmt) is None
            assert list(streamed_rows(conn, stmt, 10)) == []
    finally:
        engine.dispose()


def test_a_stream_that_fails_raises_sqlalchemys_error(pg: Engine) -> None:
    """The CLI tells a database that cannot be used by SQLAlchemy's error type (one clear
    line, exit 5): a stream's failure, which psycopg raises, is raised as one."""
    reminder = TABLES["reminder"]
    broken = sa.select(sa.literal(1) / (reminder.c.attempts - reminder.c.attempts))
    with pg.connect() as conn:
        assert dbmod._streamable(conn, broken) is not None
        with pytest.raises(sa.exc.DBAPIError, match="division by zero"):
            list(streamed_rows(conn, broken, 5))
