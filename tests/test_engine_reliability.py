"""Exactly once while the coordinator edits and the mail server misbehaves: tasks closed or
moved while their reminder is in flight, a wrong SMTP password for a whole run, servers that
keep dropping the line, many failures in one pass. Real aiosmtpd, real `fristvakt`
processes, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from smtp_server import PASSWORD, USER, DropAfterData, Recorder, smtp_server
from sqlalchemy import update
from sqlmodel import col
from test_engine_support import (
    TestProject,
    cli,
    deliveries,
    keys_received,
    make_engine,
    oslo,
    rows,
    run_pass,
    spawn,
)

from scheduler.clock import ManualClock
from scheduler.planning import queue_alert, release_alerts
from timelines.db import open_database, session_scope
from timelines.model import Reminder

START = "2026-06-05T08:00"


class HoldFirst(Recorder):
    """Holds the first message at DATA until the test releases it, then answers `reply`;
    accepts every later one."""

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply
        self.holding, self.release = threading.Event(), threading.Event()
        self.held = False

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.held:
            return await super().handle_DATA(server, session, envelope)
        self.held = True
        self.holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        if self.reply.startswith("250"):
            self.record(server, session, envelope)
        return self.reply


def task(key: str, due: dt.date, **extra: Any) -> dict[str, Any]:
    return {"id": key, "title": f"Oppgåve {key}", "due": due, "owners": ["ola"], **extra}


def two_tasks(tmp_path: Path, db_url: str, port: int) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, port,
                       policy={"before_due": ["3d"], "overdue_max": 0})
    proj.write_config()
    proj.write_timeline([task("ferdig", dt.date(2026, 6, 8)), task("flytt", dt.date(2026, 6, 8))])
    proj.apply(oslo(2026, 5, 1))
    return proj


def edit_while_held(proj: TestProject, handler: HoldFirst) -> None:
    """`run --once` holds its first send; meanwhile one task is done and one moved."""
    proc = spawn(proj, "run", "--once", "--now", START)
    assert handler.holding.wait(30), "the run never reached DATA"
    proj.write_timeline([task("ferdig", dt.date(2026, 6, 8), status="done"),
                         task("flytt", dt.date(2026, 6, 9))])
    proj.apply(oslo(2026, 6, 5, 8))
    handler.release.set()
    assert proc.wait(timeout=60) == 0


def keys_of(received: dict[str, int], task_pk: int) -> dict[str, int]:
    return {k: n for k, n in received.items() if k.startswith(f"t{task_pk}:")}


def test_a_task_closed_or_moved_during_a_slow_send_gets_no_stale_mail(
        tmp_path: Path, db_url: str) -> None:
    handler = HoldFirst("451 4.3.0 Try again later")
    with smtp_server(handler=handler) as server:
        proj = two_tasks(tmp_path, db_url, server.port)
        edit_while_held(proj, handler)
        done = cli(proj, "run", "--once", "--now", "2026-06-06T08:30")
        assert done.returncode == 0, done.stderr
        received = keys_received(server.messages)
    db = open_database(db_url)
    by_rule = {(r.task_pk, r.rule, r.date_version): r for r in rows(db)}
    ferdig, flytt = sorted({pk for pk, _, _ in by_rule if pk is not None})
    assert keys_of(received, ferdig) == {}  # no "Status: done" mail
    assert keys_of(received, flytt) == {f"t{flytt}:ola:moved:v2": 1, f"t{flytt}:ola:due-3d:v2": 1}
    assert by_rule[(ferdig, "due-3d", 1)].status == "superseded"
    assert by_rule[(flytt, "due-3d", 1)].status == "superseded"
    db.dispose()


def test_a_send_that_lands_after_the_supersede_is_recorded_as_such(
        tmp_path: Path, db_url: str) -> None:
    handler = HoldFirst("250 2.0.0 Ok")
    with smtp_server(handler=handler) as server:
        proj = two_tasks(tmp_path, db_url, server.port)
        edit_while_held(proj, handler)
        # The one in flight, and for the moved task its notice and its new reminder (due
        # on Saturday, so sent on Friday: now).
        assert len(server.messages) == 3, keys_received(server.messages)
    db = open_database(db_url)
    late = [r for r in rows(db) if r.message_id and r.status == "superseded"]
    assert len(late) == 1 and late[0].possible_duplicate
    outcomes = [d.outcome for d in deliveries(db) if d.reminder_id == late[0].id]
    assert outcomes == ["sent-after-supersede"]
    log = cli(proj, "log", env={"FRISTVAKT_LANG": "en", "COLUMNS": "300"})
    assert "sent after superseded" in log.stdout
    db.dispose()


def auth_project(tmp_path: Path, db_url: str, port: int) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, port,
                       policy={"before_due": ["3d"], "overdue_max": 0},
                       smtp={"username": USER, "password_env": "TEST_SMTP_PASSWORD"})
    proj.write_config()
    proj.write_timeline([task(f"t{i}", dt.date(2026, 6, 8)) for i in range(5)])
    proj.apply(oslo(2026, 5, 1))
    return proj


def test_a_wrong_password_delays_everything_and_loses_nothing(tmp_path: Path,
                                                             db_url: str) -> None:
    with smtp_server(auth=True) as server:
        proj = auth_project(tmp_path, db_url, server.port)
        wrong = {"TEST_SMTP_PASSWORD": "feil-passord", "FRISTVAKT_LANG": "en"}
        first = cli(proj, "run", "--once", "--now", START, env=wrong)
        again = cli(proj, "run", "--once", "--now", "2026-06-05T08:05", env=wrong)
        assert server.messages == []
        fixed = cli(proj, "run", "--once", "--now", "2026-06-05T08:10",
                    env={"TEST_SMTP_PASSWORD": PASSWORD})
        received = keys_received(server.messages)
    assert first.returncode == 4 and again.returncode == 4
    assert "no message could be sent" in first.stderr and "535" in first.stderr
    assert "Traceback" not in first.stderr
    assert fixed.returncode == 0, fixed.stderr
    db = open_database(db_url)
    reminders = [r for r in rows(db) if r.kind != "alert"]
    assert {r.status for r in reminders} == {"sent"}
    assert all(received[r.idem_key] == 1 for r in reminders)
    alerts = [k for k in received if k.startswith("outage:")]
    assert len(alerts) == 1 and received[alerts[0]] == 1  # one alert for the whole outage
    assert len(received) == len(reminders) + 1
    assert "outage" in {d.outcome for d in deliveries(db)}
    db.dispose()


def test_a_line_dropped_after_every_data_is_resent_at_most_twice(tmp_path: Path,
                                                                 db_url: str) -> None:
    with smtp_server(handler=DropAfterData()) as server:
        proj = TestProject(tmp_path / "p", db_url, server.port,
                           policy={"before_due": ["3d"], "overdue_max": 0})
        proj.write_config()
        proj.write_timeline([task("a", dt.date(2026, 6, 8))])
        proj.apply(oslo(2026, 5, 1))
        db = open_database(db_url)
        clock = ManualClock(oslo(2026, 6, 5, 8))
        engine = make_engine(db, proj.config(), clock)
        for _ in range(6):
            run_pass(engine)
            clock.set(clock.now() + dt.timedelta(hours=2))
        received = keys_received(server.messages)
    (row,) = [r for r in rows(db) if r.kind == "due"]
    assert row.status == "dead" and row.possible_duplicate
    assert received[row.idem_key] == 3  # the first send and two resends
    db.dispose()


class RejectAll(Recorder):
    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if address.startswith("ola"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.mark.parametrize("batch", [3])
def test_many_deaths_in_one_pass_make_one_alert(tmp_path: Path, db_url: str,
                                                 batch: int) -> None:
    with smtp_server(handler=RejectAll()) as server:
        proj = TestProject(tmp_path / "p", db_url, server.port,
                           policy={"before_due": ["3d"], "overdue_max": 0})
        proj.write_config()
        proj.write_timeline([task(f"t{i}", dt.date(2026, 6, 8)) for i in range(16)])
        proj.apply(oslo(2026, 5, 1))
        db = open_database(db_url)
        engine = make_engine(db, proj.config(), ManualClock(oslo(2026, 6, 5, 8)), batch=batch)
        run_pass(engine)
        alerts = [m for m in server.messages if m.rcpt_tos == ["kari@example.no"]]
    assert len(alerts) == 1
    assert sum(r.status == "dead" for r in rows(db)) == 16
    # Every death is in the mail, the last batch's too: the alert is held until the pass's
    # connections are done (built when claimed, it would miss a death after its claim).
    text = str(alerts[0].parsed().get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert sorted(int(k) for k in re.findall(r"Oppgåve t(\d+)", text)) == list(range(16))
    db.dispose()


def test_a_death_after_the_alert_went_out_gets_an_alert_of_its_own(tmp_path: Path,
                                                                    db_url: str) -> None:
    """A pass that outlasts its lease: the alert held for it is due and sent before a later
    death; that death gets a new alert, held in turn, and released with the pass's end."""
    proj = TestProject(tmp_path / "p", db_url, policy={"before_due": ["3d"]})
    proj.write_config()
    proj.write_timeline([task("a", dt.date(2026, 6, 8)), task("b", dt.date(2026, 6, 8))])
    proj.apply(oslo(2026, 5, 1))
    db = open_database(db_url)
    first, second = [r.id for r in rows(db) if r.id is not None][:2]  # two reminders
    now, held = oslo(2026, 6, 5, 8), oslo(2026, 6, 5, 8, 5)
    with session_scope(db) as session:
        queue_alert(session, proj.config(), "alert:pass", first, now, held)
    with session_scope(db) as session:  # the pass went on past `held`: the alert was sent
        session.execute(update(Reminder).where(col(Reminder.idem_key) == "alert:pass")
                        .values(status="sent"))
        queue_alert(session, proj.config(), "alert:pass", second, now, held)
    alerts = {r.idem_key: r for r in rows(db) if r.kind == "alert"}
    assert alerts["alert:pass"].payload["reminders"] == [first]
    own = alerts[f"alert:pass/{second}"]
    assert (own.status, own.payload["reminders"], own.next_attempt_at) == ("pending", [second],
                                                                           held)
    with session_scope(db) as session:
        assert release_alerts(session, "alert:pass", now) == 1  # the waiting one only
    assert [r.next_attempt_at for r in rows(db) if r.idem_key == own.idem_key] == [now]
    db.dispose()


class RefuseOla(Recorder):
    """550 for ola while `down`; everything else, and ola afterwards, accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if self.down and address.startswith("ola"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_requeue_sends_dead_reminders_again_once(tmp_path: Path, db_url: str) -> None:
    handler = RefuseOla()
    with smtp_server(handler=handler) as server:
        proj = TestProject(tmp_path / "p", db_url, server.port,
                           policy={"before_due": ["3d"], "overdue_max": 0})
        proj.write_config()
        proj.write_timeline([task("a", dt.date(2026, 6, 8)), task("b", dt.date(2026, 6, 8))])
        proj.apply(oslo(2026, 5, 1))
        assert cli(proj, "run", "--once", "--now", START).returncode == 0
        handler.down = False
        lang = {"FRISTVAKT_LANG": "en"}
        dry = cli(proj, "requeue", "--task", "plan/a", "--dry-run", env=lang)
        assert dry.returncode == 0, dry.stderr
        assert "1 failed reminders would be sent again" in dry.stdout
        none = cli(proj, "requeue", env=lang)
        assert none.returncode == 1 and "--dead-since" in none.stderr
        again = cli(proj, "requeue", "--task", "a", "--now", "2026-06-05T09:00", env=lang)
        assert "1 failed reminders will be sent again" in again.stdout
        assert cli(proj, "run", "--once", "--now", "2026-06-05T09:00").returncode == 0
        assert cli(proj, "run", "--once", "--now", "2026-06-05T09:30").returncode == 0
        to_ola = keys_received([m for m in server.messages if m.rcpt_tos == ["ola@example.no"]])
    db = open_database(db_url)
    by_task = {r.idem_key: r.status for r in rows(db) if r.kind == "due"}
    assert sorted(by_task.values()) == ["dead", "sent"]  # b stays dead: not named
    assert list(to_ola.values()) == [1]
    db.dispose()
