"""A backlog goes out over `[smtp] connections` at once, each connection a worker of its own
with at most one message in flight, and every reminder exactly once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from smtp_server import Recorder, SmtpServer, smtp_server
from sqlalchemy import Engine, func
from sqlmodel import col, select
from test_engine_support import deliveries, due_project, oslo, rows, run_pass

from scheduler import runner
from scheduler.clock import ManualClock
from scheduler.runner import EngineOptions, ReminderEngine
from timelines.db import open_database, session_scope
from timelines.model import Reminder

TASKS = 24
BATCH = 5


@dataclass
class Unmarked(Recorder):
    """Records, as each message arrives, how many messages it accepted before are not yet
    marked `sent` in the ledger: the messages a crash at that moment would send again."""

    db: Engine | None = None
    seen: list[int] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert self.db is not None
        with session_scope(self.db) as s:
            sent = s.exec(select(func.count()).select_from(Reminder)
                          .where(col(Reminder.status) == "sent")).one()
        self.seen.append(len(self.messages) - sent)
        return await super().handle_DATA(server, session, envelope)


def send_backlog(tmp_path: Path, db_url: str, connections: int,
                 monkeypatch: pytest.MonkeyPatch) -> tuple[SmtpServer, Engine, Unmarked]:
    monkeypatch.setattr(runner, "MORE_CONNECTIONS_FROM", BATCH)
    handler = Unmarked()
    with smtp_server(handler=handler) as server:
        proj = due_project(tmp_path / "proj", db_url, server.port, TASKS,
                           {"connections": connections})
        db = handler.db = open_database(db_url)
        engine = ReminderEngine(db, proj.config(), ManualClock(oslo(2026, 6, 5, 8)),
                                options=EngineOptions(worker="w", batch=BATCH))
        report = run_pass(engine)
    assert [o.status for o in report.outcomes] == ["sent"] * TASKS
    return server, db, handler


@pytest.mark.parametrize("connections", [1, 2, 3])
def test_a_backlog_goes_out_over_the_connections_allowed_each_reminder_once(
        tmp_path: Path, db_url: str, connections: int, monkeypatch: pytest.MonkeyPatch) -> None:
    server, db, _ = send_backlog(tmp_path, db_url, connections, monkeypatch)
    try:
        keys = [m.parsed()["X-Fristvakt-Key"] for m in server.messages]
        assert sorted(keys) == sorted(r.idem_key for r in rows(db))  # each once, none left
        assert {r.status for r in rows(db)} == {"sent"}
        workers = {"w", *(f"w/{n}" for n in range(2, connections + 1))}
        assert {d.worker for d in deliveries(db)} == workers
    finally:
        db.dispose()


@pytest.mark.parametrize("connections", [1, 2])
def test_a_crash_could_send_again_at_most_one_message_per_connection(
        tmp_path: Path, db_url: str, connections: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each connection marks its message `sent` before its next one goes out, so whenever a
    message arrives, at most one per other connection is accepted and not yet marked."""
    _, db, handler = send_backlog(tmp_path, db_url, connections, monkeypatch)
    try:
        assert len(handler.seen) == TASKS
        assert max(handler.seen) <= connections - 1
    finally:
        db.dispose()


def test_a_pass_with_less_than_a_backlog_uses_one_connection(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below MORE_CONNECTIONS_FROM the claim is not a backlog: one connection, in order."""
    monkeypatch.setattr(runner, "MORE_CONNECTIONS_FROM", TASKS + 1)
    with smtp_server() as server:
        proj = due_project(tmp_path / "proj", db_url, server.port, TASKS, {"connections": 3})
        db = open_database(db_url)
        try:
            engine = ReminderEngine(db, proj.config(), ManualClock(oslo(2026, 6, 5, 8)),
                                    options=EngineOptions(worker="w", batch=TASKS))
            report = run_pass(engine)
            assert {d.worker for d in deliveries(db)} == {"w"}
        finally:
            db.dispose()
    keys = [m.parsed()["X-Fristvakt-Key"] for m in server.messages]
    assert keys == [o.idem_key for o in report.outcomes]
    assert len({m.peer for m in server.messages}) == 1


def test_claims_grow_in_a_backlog_up_to_four_times_the_batch(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full claim is followed by larger ones (a local server is fast), never above
    CLAIM_GROWTH × --batch; every reminder still goes out once."""
    limits: list[int] = []
    original = ReminderEngine._claim

    def claim(engine: ReminderEngine, worker: str, limit: int) -> runner.Claimed:
        limits.append(limit)
        return original(engine, worker, limit)

    monkeypatch.setattr(ReminderEngine, "_claim", claim)
    server, db, _ = send_backlog(tmp_path, db_url, 1, monkeypatch)
    try:
        assert limits[0] == BATCH
        assert max(limits) == BATCH * runner.CLAIM_GROWTH
        assert len(server.messages) == TASKS
        assert len(limits) < TASKS // BATCH + 1  # fewer claims than at --batch each
    finally:
        db.dispose()
