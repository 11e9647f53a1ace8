"""The ledger on SQLite and PostgreSQL: planning in apply, DST, moved dates, fencing,
SMTP outages, dead letters and the coordinator's alert, done tasks, digests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from smtp_server import DropAfterData, Recorder, SmtpServer, smtp_server
from sqlmodel import select
from test_engine_support import (
    OSLO,
    TestProject,
    deliveries,
    keys_received,
    make_engine,
    oslo,
    rows,
    run_pass,
)

from scheduler import ledger
from scheduler.clock import ManualClock
from timelines.db import open_database, session_scope
from timelines.model import Reminder


class RejectSome(Recorder):
    """Answers `reply` at RCPT for the addresses in `refused` (while `down`), accepts the
    rest: an outage (451) or a bad address (550)."""

    def __init__(self, refused: set[str], reply: str) -> None:
        super().__init__()
        self.refused, self.reply, self.down = refused, reply, True

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if self.down and address in self.refused:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def proj(tmp_path: Path, db_url: str, smtp: SmtpServer) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, smtp.port,
                    policy={"before_due": ["3d"], "overdue_max": 0})
    p.write_config()
    return p


def task(key: str, due: dt.date, **extra: Any) -> dict[str, Any]:
    return {"id": key, "title": f"Oppgåve {key}", "due": due, **extra}


def by_kind(db_rows: list[Reminder], kind: str) -> list[Reminder]:
    return [r for r in db_rows if r.kind == kind]


def test_dst_reminders_go_out_at_eight_local(proj: TestProject, smtp: SmtpServer) -> None:
    # Acceptance 1, end to end: planned in apply, claimed, sent, Date header at 08:00 local.
    proj.write_timeline([task("var", dt.date(2026, 3, 31), owners=["ola"]),
                         task("haust", dt.date(2026, 10, 27), owners=["ola"])])
    proj.apply(oslo(2026, 3, 1, 12))
    db = open_database(proj.db_url)
    clock = ManualClock(oslo(2026, 3, 27, 7, 59))
    engine = make_engine(db, proj.config(), clock)
    assert run_pass(engine).outcomes == []
    for moment, offset in ((oslo(2026, 3, 27, 8), "+0100"), (oslo(2026, 10, 23, 8), "+0200")):
        clock.set(moment)
        assert [o.status for o in run_pass(engine).outcomes] == ["sent"]
        date_header = str(smtp.messages[-1].parsed()["Date"])
        assert date_header.endswith(f"08:00:00 {offset}")
    sent = [r.sent_at.astimezone(OSLO).time() for r in rows(db) if r.sent_at]
    assert sent == [dt.time(8, 0), dt.time(8, 0)]
    db.dispose()


def test_working_days_are_planned_around_easter(proj: TestProject) -> None:
    # Acceptance 2 through apply: the ledger row is on Monday 30 March, 08:00 Oslo.
    proj.write_timeline([task("etter-paske", dt.date(2026, 4, 7), owners=["ola"],
                              policy={"before_due": ["3wd"]})])
    proj.apply(oslo(2026, 3, 1))
    db = open_database(proj.db_url)
    (row,) = rows(db)
    assert (row.local_date, row.local_time, row.rule) == (dt.date(2026, 3, 30),
                                                         dt.time(8, 0), "due-3wd")
    assert row.send_at == oslo(2026, 3, 30, 8)
    db.dispose()


def test_roles_resolve_and_nobody_means_the_coordinator(proj: TestProject) -> None:
    proj.write_timeline([task("rolle", dt.date(2026, 6, 10), owners=["radgiver"]),
                         task("ingen", dt.date(2026, 6, 10), owners=["au"])],
                        header={"roles": {"au": "AU"}})
    proj.apply(oslo(2026, 5, 1))
    db = open_database(proj.db_url)
    assert sorted((r.recipient, r.email) for r in rows(db)) == [
        ("@coordinator", "kari@example.no"), ("ola", "ola@example.no")]
    db.dispose()


def test_moving_a_due_date_replans_and_notifies_each_owner_once(
        proj: TestProject, smtp: SmtpServer) -> None:
    # Acceptance 7.
    owners = ["ola", "anna"]
    proj.write_timeline([task("flytt", dt.date(2026, 6, 10), owners=owners),
                         task("fast", dt.date(2026, 6, 12), owners=["ola"])])
    proj.apply(oslo(2026, 5, 1))
    proj.write_timeline([task("flytt", dt.date(2026, 6, 24), owners=owners),
                         task("fast", dt.date(2026, 6, 12), owners=["ola"])])
    changes = proj.apply(oslo(2026, 5, 2, 9))
    assert [c.kind for c in changes] == ["moved"]
    db = open_database(proj.db_url)
    flytt = [r for r in rows(db) if r.task_pk == changes[0].task_pk]
    old = [r for r in flytt if r.date_version == 1]
    assert {r.status for r in old} == {"superseded"} and len(old) == 2
    new = [r for r in by_kind(flytt, "due") if r.date_version == 2]
    assert sorted(r.local_date for r in new) == [dt.date(2026, 6, 19)] * 2
    assert all(r.status == "pending" for r in new)
    proj.apply(oslo(2026, 5, 2, 10))  # nothing changed: no second notice
    engine = make_engine(db, proj.config(), ManualClock(oslo(2026, 5, 2, 10)))
    run_pass(engine)
    moved = [m for m in smtp.messages if ":moved:" in str(m.parsed()["X-Fristvakt-Key"])]
    assert sorted(m.rcpt_tos[0] for m in moved) == ["anna@example.se", "ola@example.no"]
    assert len(smtp.messages) == 2
    assert run_pass(engine).outcomes == []
    db.dispose()


def test_done_task_gets_nothing_more(proj: TestProject, smtp: SmtpServer) -> None:
    proj.write_timeline([task("ferdig", dt.date(2026, 6, 10), owners=["ola"])])
    proj.apply(oslo(2026, 5, 1))
    proj.write_timeline([task("ferdig", dt.date(2026, 6, 10), owners=["ola"],
                              status="done")])
    proj.apply(oslo(2026, 5, 2))
    db = open_database(proj.db_url)
    assert {r.status for r in rows(db)} == {"superseded"}
    run_pass(make_engine(db, proj.config(), ManualClock(oslo(2026, 6, 30))))
    assert smtp.messages == []
    db.dispose()


def test_a_worker_that_lost_its_lease_changes_nothing(proj: TestProject) -> None:
    proj.write_timeline([task("lease", dt.date(2026, 6, 10), owners=["ola"])])
    proj.apply(oslo(2026, 5, 1))
    db = open_database(proj.db_url)
    t0 = oslo(2026, 6, 5, 8)
    first = ledger.new_lease("a", t0, 60)
    with session_scope(db) as s:
        (row,) = ledger.claim(s, t0, first, 10).rows
    row_id = row.id
    assert row_id is not None
    with session_scope(db) as s:  # still leased: nobody else can take it
        assert ledger.claim(s, t0 + dt.timedelta(seconds=30), ledger.new_lease("b", t0, 60),
                            10).rows == []
    t1 = t0 + dt.timedelta(seconds=61)
    second = ledger.new_lease("b", t1, 60)
    with session_scope(db) as s:
        (again,) = ledger.claim(s, t1, second, 10).rows
        assert again.possible_duplicate
    with session_scope(db) as s:
        late = ledger.SentBy(row_id, first.token, "<x@y>", 250, "ok", 1)
        assert not ledger.mark_sent(s, late, t1, "a")
    with session_scope(db) as s:
        stored = s.get(Reminder, row_id)
        assert stored is not None
        assert (stored.status, stored.lease_owner, stored.attempts) == ("claimed", "b", 2)
        assert ledger.mark_sent(s, ledger.SentBy(row_id, second.token, "<x@y>", 250, "ok", 2),
                                t1, "b")
    assert [d.outcome for d in deliveries(db)] == ["lease-lost", "sent"]
    db.dispose()


def test_marking_a_group_fences_each_row_by_its_own_lease(proj: TestProject) -> None:
    """One call marks rows of two leases: the rows whose lease was taken over stay
    untouched (no `sent`, no delivery record), the others are marked with their own ids."""
    proj.write_timeline([task(f"g{i}", dt.date(2026, 6, 10), owners=["ola"])
                         for i in range(3)])
    proj.apply(oslo(2026, 5, 1))
    db = open_database(proj.db_url)
    t0 = oslo(2026, 6, 5, 8)
    first = ledger.new_lease("a", t0, 60)
    with session_scope(db) as s:
        ids = [r.id for r in ledger.claim(s, t0, first, 10).rows]
    t1 = t0 + dt.timedelta(seconds=61)
    second = ledger.new_lease("b", t1, 60)
    with session_scope(db) as s:  # b takes over the first row only
        (taken,) = ledger.claim(s, t1, second, 1).rows
    sent = [ledger.SentBy(rid, first.token, f"<m{rid}@y>", 250, "ok", 1)
            for rid in ids if rid is not None]
    with db.begin() as conn:
        done = ledger.mark_sent_many(conn, sent, t1, "a")
    assert done == ["lost" if rid == taken.id else "sent" for rid in ids]
    with session_scope(db) as s:
        stored = {r.id: (r.status, r.message_id) for r in s.exec(select(Reminder)).all()}
    assert stored == {rid: ("claimed", None) if rid == taken.id else ("sent", f"<m{rid}@y>")
                      for rid in ids}
    assert [d.reminder_id for d in deliveries(db) if d.outcome == "sent"] == \
        [rid for rid in ids if rid != taken.id]
    db.dispose()


def three_days_before(tmp_path: Path, db_url: str, port: int, task_id: str,
                      owners: list[str]) -> tuple[Any, ManualClock, Any]:
    """One task due Wednesday 10 June 2026 with one reminder three days before (Friday 5 June
    08:00), applied on 1 May: the database, a clock at the reminder, and an engine."""
    proj = TestProject(tmp_path / "p", db_url, port,
                       policy={"before_due": ["3d"], "overdue_max": 0})
    proj.write_config()
    proj.write_timeline([task(task_id, dt.date(2026, 6, 10), owners=owners)])
    proj.apply(oslo(2026, 5, 1))
    db = open_database(proj.db_url)
    clock = ManualClock(oslo(2026, 6, 5, 8))
    return db, clock, make_engine(db, proj.config(), clock)


def test_smtp_outage_is_retried_with_backoff_until_delivered(tmp_path: Path,
                                                             db_url: str) -> None:
    # Acceptance 4, first half: 451 for a while, then the server recovers.
    handler = RejectSome({"ola@example.no"}, "451 4.3.0 Try again later")
    with smtp_server(handler=handler) as server:
        db, clock, engine = three_days_before(tmp_path, db_url, server.port, "ute",
                                              ["ola"])
        planned_at: list[dt.datetime] = []
        for _ in range(4):
            assert [o.status for o in run_pass(engine).outcomes] == ["retry"]
            (row,) = rows(db)
            planned_at.append(row.next_attempt_at)
            clock.set(row.next_attempt_at)
        handler.down = False
        assert [o.status for o in run_pass(engine).outcomes] == ["sent"]
    (row,) = rows(db)
    assert (row.status, row.attempts) == ("sent", 5)
    gaps = [b - a for a, b in zip(planned_at, planned_at[1:], strict=False)]
    assert all(later > earlier for earlier, later in zip(gaps, gaps[1:], strict=False))
    assert [d.outcome for d in deliveries(db)] == ["retry"] * 4 + ["sent"]
    assert {d.code for d in deliveries(db)[:4]} == {451}
    assert keys_received(server.messages) == {row.idem_key: 1}
    db.dispose()


def test_permanent_failure_is_dead_and_alerts_the_coordinator_once(tmp_path: Path,
                                                                   db_url: str) -> None:
    # Acceptance 4, second half: 550 → dead, one alert listing it, nothing retried.
    handler = RejectSome({"anna@example.se"}, "550 5.1.1 No such user")
    with smtp_server(handler=handler) as server:
        db, clock, engine = three_days_before(tmp_path, db_url, server.port, "feil",
                                              ["ola", "anna"])
        statuses = sorted((o.kind, o.status) for o in run_pass(engine).outcomes)
        assert statuses == [("alert", "sent"), ("due", "dead"), ("due", "sent")]
        for hours in (1, 24, 72):
            clock.set(oslo(2026, 6, 5, 8) + dt.timedelta(hours=hours))
            assert run_pass(engine).outcomes == []
    alerts = [m for m in server.messages if m.rcpt_tos == ["kari@example.no"]]
    assert len(alerts) == 1
    body = alerts[0].parsed().get_body(("plain",))
    assert body is not None and "anna@example.se" in body.get_content()
    dead = [r for r in rows(db) if r.status == "dead"]
    assert [r.recipient for r in dead] == ["anna"] and "550" in dead[0].last_error
    db.dispose()


def test_weekly_digest_collects_an_owners_tasks(proj: TestProject, smtp: SmtpServer) -> None:
    # 3 days before 11 and 12 June: Monday 8 and Tuesday 9 June, the same week.
    proj.write_timeline([task("a", dt.date(2026, 6, 11), owners=["ola"]),
                         task("b", dt.date(2026, 6, 12), owners=["ola"]),
                         task("c", dt.date(2026, 6, 12), owners=["ola"], status="done")],
                        header={"policy": {"digest": "weekly"}})
    proj.apply(oslo(2026, 5, 1))
    db = open_database(proj.db_url)
    (digest,) = rows(db)
    assert digest.kind == "digest" and digest.local_date == dt.date(2026, 6, 8)  # a Monday
    assert len(digest.payload["tasks"]) == 2
    run_pass(make_engine(db, proj.config(), ManualClock(oslo(2026, 6, 8, 8))))
    (mail,) = smtp.messages
    text = mail.parsed().get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Oppgåve a" in text and "Oppgåve b" in text and "Oppgåve c" not in text
    db.dispose()


def test_ambiguous_send_is_retried_with_the_same_message_id(tmp_path: Path,
                                                            db_url: str) -> None:
    # The line drops after the message went out: it may have arrived. Retried, same id.
    with smtp_server(handler=DropAfterData(times=1)) as server:
        db, clock, engine = three_days_before(tmp_path, db_url, server.port, "uviss",
                                              ["ola"])
        assert [o.status for o in run_pass(engine).outcomes] == ["retry"]
        (row,) = rows(db)
        assert row.possible_duplicate and row.status == "retry"
        clock.set(row.next_attempt_at)
        assert [o.status for o in run_pass(engine).outcomes] == ["sent"]
    ids = [str(m.parsed()["Message-ID"]) for m in server.messages]
    assert len(ids) == 2 and len(set(ids)) == 1
    (row,) = rows(db)
    assert row.message_id == ids[0] and row.possible_duplicate
    assert [d.outcome for d in deliveries(db)] == ["ambiguous", "sent"]
    db.dispose()
