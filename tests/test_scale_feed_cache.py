"""One feed reads only its own tasks (through `task_person`), the feed server's change check
costs index lookups whatever the size, and a rebuild renders only the events that changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import select
from test_engine_support import TestProject, cli

from notifiers.calendar.feed import EventCache, Scope, build_feed
from notifiers.feeds.cache import data_stamp
from timelines.config import load_config
from timelines.db import open_database, read_session, session_scope
from timelines.model import Owner, Task

NOW = "2026-09-01T09:00"
MOMENT = dt.datetime(2026, 9, 1, 7, tzinfo=dt.UTC)
TODAY = MOMENT.date()


def tasks(count: int, first_owner: str = "ola") -> list[dict[str, Any]]:
    """`count` tasks, a quarter each to ola, anna, the role radgiver (ola) and leiar (anna);
    task 0 to `first_owner`."""
    return [{"id": f"t{n}", "title": f"Oppgåve {n}", "due": dt.date(2026, 9, 3 + n % 20),
             "owners": [first_owner if n == 0 else ("ola", "anna", "radgiver", "leiar")[n % 4]]}
            for n in range(count)]


def project(tmp_path: Path, db_url: str) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, policy={"before_due": ["3d"]},
                       roles={"radgiver": ["ola"], "leiar": ["anna"]})
    proj.write_config()
    proj.write_timeline(tasks(40))
    assert cli(proj, "apply", "--now", NOW).returncode == 0
    return proj


@contextmanager
def loaded() -> Iterator[dict[str, int]]:
    """Task and Owner rows loaded as objects meanwhile."""
    seen = {"tasks": 0, "owners": 0}

    def task(*_: Any) -> None:
        seen["tasks"] += 1

    def owner(*_: Any) -> None:
        seen["owners"] += 1

    event.listen(Task, "load", task)
    event.listen(Owner, "load", owner)
    try:
        yield seen
    finally:
        event.remove(Task, "load", task)
        event.remove(Owner, "load", owner)


def events(body: bytes) -> set[str]:
    return {line.split(":", 1)[1].split("@")[0] for line in body.decode().splitlines()
            if line.startswith("UID:")}


def test_one_owners_feed_reads_only_their_tasks(tmp_path: Path, db_url: str) -> None:
    proj = project(tmp_path, db_url)
    db = open_database(db_url)
    try:
        with read_session(db) as session, loaded() as seen:
            feed = build_feed(session, proj.config(), Scope(owner="ola"), MOMENT)
    finally:
        db.dispose()
    assert len(events(feed.body)) == 20  # ola's own ten and radgiver's ten
    assert seen["tasks"] == 20  # of 40: anna's and leiar's are never read
    assert seen["owners"] == 1  # the only person these tasks name


def test_a_reassigned_task_leaves_one_owners_feed_for_another(tmp_path: Path,
                                                              db_url: str) -> None:
    proj = project(tmp_path, db_url)
    proj.write_timeline(tasks(40, first_owner="anna"))
    assert cli(proj, "apply", "--now", NOW).returncode == 0
    db = open_database(db_url)
    try:
        with read_session(db) as session:
            ola, anna = (build_feed(session, proj.config(), Scope(owner=who), MOMENT)
                         for who in ("ola", "anna"))
    finally:
        db.dispose()
    assert "plan.t0" not in events(ola.body) and "plan.t0" in events(anna.body)
    assert len(events(ola.body)) == 19 and len(events(anna.body)) == 21


def stamp(db_url: str) -> tuple[Any, ...]:
    db = open_database(db_url)
    try:
        with read_session(db) as session:
            return data_stamp(session, TODAY)
    finally:
        db.dispose()


def test_the_data_stamp_follows_every_writer_and_nothing_else(tmp_path: Path,
                                                              db_url: str) -> None:
    proj = project(tmp_path, db_url)
    first = stamp(db_url)
    assert cli(proj, "apply", "--now", NOW).returncode == 0  # nothing changed
    assert stamp(db_url) == first
    db = open_database(db_url)
    try:  # a writer other than apply, leaving every changed_at as it was
        with session_scope(db) as session:
            task = session.exec(select(Task).where(Task.key == "t5")).one()
            task.latest_status = {"status": "delayed", "note": "", "on": "2026-08-30"}
            session.add(task)
    finally:
        db.dispose()
    second = stamp(db_url)
    assert second != first and second[1:] == first[1:]
    proj.people["ola"] = {**proj.people["ola"], "name": "Ola Nordli"}  # a name a feed shows
    proj.write_config()
    assert cli(proj, "apply", "--now", NOW).returncode == 0
    assert stamp(db_url)[0] != second[0]


def test_a_rebuild_renders_only_the_events_that_changed(tmp_path: Path, db_url: str) -> None:
    proj = project(tmp_path, db_url)
    config = load_config(proj.config_path)
    cache = EventCache(config.policy)
    db = open_database(db_url)
    try:
        with read_session(db) as session:
            build_feed(session, config, Scope(timeline="plan"), MOMENT, cache=cache)
        assert len(cache) == 40
        moved = tasks(40)
        moved[7]["title"] = "Oppgåve 7 med ny tittel"
        proj.write_timeline(moved)
        assert cli(proj, "apply", "--now", NOW).returncode == 0
        with read_session(db) as session:
            again = build_feed(session, config, Scope(timeline="plan"), MOMENT, cache=cache)
            fresh = build_feed(session, config, Scope(timeline="plan"), MOMENT)
    finally:
        db.dispose()
    assert len(cache) == 41  # the changed task's event alone was rendered again
    assert again == fresh
    assert "Oppgåve 7 med ny tittel".encode() in again.body
