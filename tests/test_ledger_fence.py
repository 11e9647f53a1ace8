"""PostgreSQL's one-statement fence (`ledger.mark_and_check`): the previous message marked
`sent` with its delivery record and the next one's row checked, with the same answers as
`mark_sent_many` and `held_now` give in a transaction; one fixture per scenario."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from smtp_server import SmtpServer
from sqlalchemy import Connection, event, update
from sqlalchemy.engine import Engine as DbEngine
from test_engine_support import deliveries, due_project, oslo, rows, run_pass

from scheduler import ledger
from scheduler.clock import ManualClock
from scheduler.runner import EngineOptions, ReminderEngine
from timelines.db import open_database, session_scope
from timelines.model import Reminder, Task

T0 = oslo(2026, 6, 5, 8)
TASKS = 6


@dataclass
class Claimed:
    """Two rows claimed under one lease, and an autocommit connection, as a batch has."""

    db: DbEngine
    lease: ledger.Lease
    first: int
    second: int
    auto: Connection

    def sent(self, row_id: int) -> ledger.SentBy:
        return ledger.SentBy(row_id, self.lease.token, f"<{row_id}@fv>", 250, "2.0.0 Ok", 1)

    def fence(self) -> tuple[bool, str | None]:
        return ledger.mark_and_check(self.auto, self.sent(self.first), T0, "w", self.second,
                                     self.lease.token)

    def set_row(self, row_id: int, **values: Any) -> None:
        with session_scope(self.db) as session:
            session.execute(update(Reminder).where(Reminder.id == row_id).values(**values))  # type: ignore[arg-type]

    def row(self, row_id: int) -> Reminder:
        (found,) = [r for r in rows(self.db) if r.id == row_id]
        return found


@pytest.fixture
def claimed(tmp_path: Path, pg_url: str) -> Iterator[Claimed]:
    due_project(tmp_path / "p", pg_url, 2525, 2)  # no mail is sent here
    db = open_database(pg_url)
    lease = ledger.new_lease("w", T0, 60)
    with session_scope(db) as session:
        first, second = sorted(r.id for r in ledger.claim(session, T0, lease, 10).rows
                               if r.id is not None)
    with db.connect() as conn:
        yield Claimed(db, lease, first, second,
                      conn.execution_options(isolation_level="AUTOCOMMIT"))
    db.dispose()


def test_the_sent_row_is_marked_and_recorded_and_the_next_is_still_held(
        claimed: Claimed) -> None:
    assert claimed.fence() == (True, "")
    done = claimed.row(claimed.first)
    assert (done.status, done.message_id, done.lease_token) == ("sent", f"<{done.id}@fv>", None)
    assert [(d.reminder_id, d.outcome, d.attempt, d.code, d.worker, d.at)
            for d in deliveries(claimed.db)] == [(done.id, "sent", 1, 250, "w", T0)]
    assert claimed.row(claimed.second).status == "claimed"  # checked, not touched


def test_a_mark_its_lease_no_longer_holds_changes_nothing(claimed: Claimed) -> None:
    claimed.set_row(claimed.first, lease_token="another")
    assert claimed.fence() == (False, "")
    assert (claimed.row(claimed.first).status, deliveries(claimed.db)) == ("claimed", [])


def test_a_superseded_mark_is_left_to_mark_sent_many_which_records_it_so(
        claimed: Claimed) -> None:
    claimed.set_row(claimed.first, status="superseded")
    assert claimed.fence() == (False, "")
    with session_scope(claimed.db) as session:
        done = ledger.mark_sent_many(session.connection(), [claimed.sent(claimed.first)], T0, "w")
    assert done == ["sent-after-supersede"]
    assert [d.outcome for d in deliveries(claimed.db)] == ["sent-after-supersede"]


def test_a_next_row_another_lease_took_is_lost(claimed: Claimed) -> None:
    claimed.set_row(claimed.second, lease_token="another")
    assert claimed.fence() == (True, "lost")


def test_a_next_row_that_is_gone_is_lost(claimed: Claimed) -> None:
    assert ledger.mark_and_check(claimed.auto, claimed.sent(claimed.first), T0, "w",
                                 claimed.second + 1000, claimed.lease.token) == (True, "lost")


def test_a_next_row_whose_task_moved_is_left_to_check_held(claimed: Claimed) -> None:
    task_pk = claimed.row(claimed.second).task_pk
    with session_scope(claimed.db) as session:
        session.execute(update(Task).where(Task.pk == task_pk)  # type: ignore[arg-type]
                        .values(date_version=Task.date_version + 1))
    assert claimed.fence() == (True, None)


def test_a_message_costs_one_statement_after_its_claim_on_postgresql(
        tmp_path: Path, pg_url: str, smtp: SmtpServer) -> None:
    """From the second message on, each message's fence (the mark of the one before it, its
    record, and its own check) is one statement: no BEGIN, no COMMIT, nothing else."""
    proj = due_project(tmp_path / "p", pg_url, smtp.port, TASKS)
    db = open_database(pg_url)
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.strip())

    engine = ReminderEngine(db, proj.config(), ManualClock(T0),
                            options=EngineOptions(worker="w", batch=100))
    event.listen(DbEngine, "before_cursor_execute", record)
    try:
        report = run_pass(engine)
    finally:
        event.remove(DbEngine, "before_cursor_execute", record)
        db.dispose()
    assert [o.status for o in report.outcomes] == ["sent"] * TASKS
    assert len(smtp.messages) == TASKS
    fences = [i for i, s in enumerate(seen) if s.startswith("WITH marked AS")]
    assert len(fences) == TASKS - 1  # the last message is marked when the batch ends
    assert fences == list(range(fences[0], fences[0] + TASKS - 1))  # nothing in between
