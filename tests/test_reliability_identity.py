"""Identity and freshness: Message-IDs unique across databases and stable across retries;
feeds whose Last-Modified and ETag move whenever their set of events does; SEQUENCE that
grows on cancel, removal and restore; the address a report shows is the one mail went to."""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar
from smtp_server import smtp_server
from test_engine_support import TestProject, make_engine, oslo, rows, run_pass

from notifiers.calendar.feed import Scope, build_feed
from notifiers.feeds import tokens
from notifiers.feeds.cache import FeedCache
from scheduler.clock import ManualClock
from timelines.db import installation_id, migrate, open_database, session_scope

SECRET = {"FRISTVAKT_FEED_SECRET": "test-secret"}


def task(key: str, **extra: Any) -> dict[str, Any]:
    return {"id": key, "title": f"Oppgåve {key}", "due": dt.date(2026, 6, 8),
            "owners": ["ola"], **extra}


def one_send(tmp_path: Path, name: str, port: int) -> str:
    proj = TestProject(tmp_path / name, f"sqlite:///{tmp_path / name}.db", port,
                       policy={"before_due": ["3d"], "overdue_max": 0})
    proj.write_config()
    proj.write_timeline([task("a")])
    proj.apply(oslo(2026, 5, 1))
    db = open_database(proj.db_url)
    report = run_pass(make_engine(db, proj.config(), ManualClock(oslo(2026, 6, 5, 8))))
    (sent,) = report.of("sent")
    db.dispose()
    return sent.idem_key


def test_the_same_key_in_two_databases_gets_two_message_ids(tmp_path: Path) -> None:
    with smtp_server() as server:
        keys = [one_send(tmp_path, "first", server.port), one_send(tmp_path, "second",
                                                                   server.port)]
        ids = [str(m.parsed()["Message-ID"]) for m in server.messages]
    assert keys[0] == keys[1] and ids[0] != ids[1]
    db = open_database(f"sqlite:///{tmp_path / 'first'}.db")
    before = installation_id(db)
    migrate(db)
    assert installation_id(db) == before and len(before) == 32  # chosen once, kept
    db.dispose()


def feed_project(tmp_path: Path, db_url: str) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url)
    proj.write_config()
    proj.write_timeline([task("a"), task("b")])
    proj.apply(oslo(2026, 5, 1))
    return proj


def test_last_modified_and_etag_move_when_a_task_leaves_the_feed(tmp_path: Path,
                                                                 db_url: str) -> None:
    proj = feed_project(tmp_path, db_url)
    db = open_database(db_url)
    with session_scope(db) as session:
        token = tokens.create(session, proj.config(), Scope(owner="ola"), oslo(2026, 5, 1),
                              env=SECRET)
    cache = FeedCache(proj.config(), db, clock=lambda: oslo(2026, 5, 20), recheck=0)
    first = cache.get(token, "event")
    proj.write_timeline([task("a"), task("b", owners=["anna"])])  # b leaves ola's feed
    proj.apply(oslo(2026, 5, 10))
    second = cache.get(token, "event")
    assert not isinstance(first, int) and not isinstance(second, int)
    assert second.etag != first.etag
    assert parsedate_to_datetime(second.last_modified) > parsedate_to_datetime(
        first.last_modified)
    db.dispose()


def sequence(proj: TestProject, db_url: str, key: str) -> int | None:
    db = open_database(db_url)
    with session_scope(db) as session:
        feed = build_feed(session, proj.config(), Scope(owner="ola"), oslo(2026, 5, 20))
    db.dispose()
    for event in Calendar.from_ical(feed.body).walk("VEVENT"):
        if str(event["UID"]).split("@")[0].endswith(f".{key}"):
            return int(event["SEQUENCE"])
    return None


def test_sequence_grows_on_cancel_reopen_and_removal(tmp_path: Path, db_url: str) -> None:
    proj = feed_project(tmp_path, db_url)
    seen = [sequence(proj, db_url, "b")]
    for day, tasks in ((2, [task("a"), task("b", status="cancelled")]),
                       (3, [task("a"), task("b")]),
                       (4, [task("a")])):
        proj.write_timeline(tasks)
        proj.apply(oslo(2026, 5, day))
        seen.append(sequence(proj, db_url, "b"))
    assert seen == [1, 2, 3, 4]  # the removed task is still shown, cancelled, within 60 days


def test_a_report_shows_the_address_the_mail_went_to(tmp_path: Path, db_url: str) -> None:
    with smtp_server() as server:
        proj = TestProject(tmp_path / "p", db_url, server.port,
                           policy={"before_due": ["3d"], "overdue_max": 0})
        proj.write_config()
        proj.write_timeline([task("a"), task("b")])
        proj.apply(oslo(2026, 5, 1))
        proj.people = {**proj.people, "ola": {**proj.people["ola"], "email": "ola@ny.no"}}
        proj.write_config()  # the address changes; `apply` not yet run
        db = open_database(db_url)
        report = run_pass(make_engine(db, proj.config(), ManualClock(oslo(2026, 6, 5, 8))))
        assert {o.email for o in report.outcomes} == {"ola@ny.no"}
        assert {tuple(m.rcpt_tos) for m in server.messages} == {("ola@ny.no",)}
        proj.write_timeline([task("a"), task("b"), task("c", due=dt.date(2026, 7, 1))])
        proj.apply(oslo(2026, 6, 5, 9))  # apply refreshes what the ledger keeps
    waiting = [r for r in rows(db) if r.status == "pending"]
    assert waiting and {r.email for r in waiting} == {"ola@ny.no"}
    db.dispose()
