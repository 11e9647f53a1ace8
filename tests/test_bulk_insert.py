"""`insert_rows` (the bulk write of tasks and ledger rows: COPY on PostgreSQL, one
executemany on SQLite) stores what the ORM would: instants in UTC, dates, times and JSON
documents, those many rows share and those each row has of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.engine import Engine

from timelines.model import Reminder, insert_rows

LEDGER = Reminder.__table__  # type: ignore[attr-defined]
COLUMNS = ("idem_key", "recipient", "email", "rule", "kind", "occurrence", "date_version",
           "send_at", "zone", "local_date", "local_time", "status", "attempts",
           "next_attempt_at", "last_error", "possible_duplicate", "payload", "created_at")
OSLO = dt.timezone(dt.timedelta(hours=1))


def _row(n: int, payload: Any, text: str = "") -> dict[str, Any]:
    at = dt.datetime(2027, 3, 1, 8, n, tzinfo=OSLO)
    return {"idem_key": f"k{n}", "recipient": "kari", "email": "kari@example.org",
            "rule": "3d", "kind": "before", "occurrence": "", "date_version": 0, "send_at": at,
            "zone": "Europe/Oslo", "local_date": at.date(),
            "local_time": at.time().replace(tzinfo=None), "status": "pending", "attempts": 0,
            "next_attempt_at": at, "last_error": text, "possible_duplicate": False,
            "payload": payload, "created_at": at}


def test_bulk_rows_read_back_as_written_on_both_databases(engine: Engine) -> None:
    shared = {"tasks": [1, 2], "note": "Første kvartal"}
    rows = [_row(0, shared), _row(1, shared), _row(2, {}), _row(3, {}),
            _row(4, {"occurrence": "2027", "due": "2027-03-04"}),
            _row(5, {"text": 'tab\tline\nback\\slash "quoted" ø'}, 'tab\tline\nback\\slash'),
            _row(6, {"nested": {"list": [None, True, 1.5]}})]
    with engine.begin() as conn:
        insert_rows(conn, LEDGER, COLUMNS, [tuple(row[c] for c in COLUMNS) for row in rows])
    with engine.connect() as conn:
        stored = conn.execute(select(*(LEDGER.c[c] for c in COLUMNS))
                              .order_by(LEDGER.c.idem_key)).mappings().all()
    assert [dict(row) for row in stored] == rows  # instants compare as instants
    assert all(row["send_at"].utcoffset() == dt.timedelta(0) for row in stored)


def test_a_bulk_write_that_fails_raises_sqlalchemys_error(engine: Engine) -> None:
    """A COPY's failure (psycopg's error) is raised as SQLAlchemy's, as SQLite's is, and the
    transaction writes nothing."""
    with engine.begin() as conn:
        insert_rows(conn, LEDGER, COLUMNS, [tuple(_row(0, {})[c] for c in COLUMNS)])
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        insert_rows(conn, LEDGER, COLUMNS, [tuple(_row(n, {})[c] for c in COLUMNS)
                                            for n in (1, 0)])
    with engine.connect() as conn:
        assert conn.execute(sa.select(LEDGER.c.idem_key)).scalars().all() == ["k0"]
