"""Shared setup of the recurring-task tests (no tests here): the årshjul plan of DATES.md
Part 2 ("årlig innen 1. mars" over 2024–2026) for two owners, an owner's real answer, and the
feed's SEQUENCE."""

from __future__ import annotations

import datetime as dt
import uuid

import icalendar
from test_engine_support import TestProject

from notifiers.calendar.feed import Scope, build_feed
from scheduler.answers.signing import Signer
from scheduler.answers.store import Choice, record
from timelines.db import open_database, session_scope
from timelines.model import Reminder, Task

HEADER = """[timeline]
id = "plan"
title = "Handlingsplan 2024–2026"
lang = "nb"
ref_year = 2024
period = "2024-2026"
owners = ["ola", "anna"]

[[task]]
id = "arsmelding"
title = "Årsmelding"
when = "årlig innen 1. mars"
"""
MOVED_2026 = '\n[task.occurrence."2026"]\ndue = 2026-03-15\n'
DONE_2025 = '\n[task.occurrence."2025"]\nstatus = "done"\n'
KEY = b"recurring-test-secret"


def write_plan(proj: TestProject, extra: str = "", more: str = "") -> None:
    """The plan with `extra` lines for the recurring task and `more` tasks after it."""
    folder = proj.root / "timelines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.toml").write_text(HEADER + extra + more, encoding="utf-8")


def answer_done(proj: TestProject, person: str, occurrence: str, now: dt.datetime) -> None:
    """`person` answers "done" for one occurrence, as the confirm page records it."""
    signer = Signer(KEY)
    token = signer.read_action(
        signer.action(person, "plan", "arsmelding", occurrence, now.date()), now.date())
    db = open_database(proj.db_url)
    try:
        with session_scope(db) as session:
            record(session, proj.config(), token, uuid.uuid4().hex, Choice("done"), now)
    finally:
        db.dispose()


def the_task(proj: TestProject) -> Task:
    db = open_database(proj.db_url)
    try:
        with session_scope(db) as session:
            task = session.get(Task, 1)
            assert task is not None
            return task
    finally:
        db.dispose()


def feed_sequence(proj: TestProject, now: dt.datetime) -> int:
    """The SEQUENCE of the series' master event in the plan's feed."""
    db = open_database(proj.db_url)
    try:
        with session_scope(db) as session:
            body = build_feed(session, proj.config(), Scope(timeline="plan"), now).body
    finally:
        db.dispose()
    cal = icalendar.Calendar.from_ical(body)
    (master,) = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e
                 and str(e["UID"]).startswith("plan.arsmelding@")]
    return int(master["SEQUENCE"])


def moved_rows(rows: list[Reminder]) -> list[Reminder]:
    return [r for r in rows if r.kind == "moved"]
