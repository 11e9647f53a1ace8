"""Recurring tasks in the ledger: every occurrence plans, closes and moves on its own, on
SQLite and PostgreSQL; sending fences by the occurrence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from smtp_server import smtp_server
from test_engine_support import (
    TestProject,
    keys_received,
    make_engine,
    oslo,
    rows,
    run_pass,
)

from scheduler.clock import ManualClock
from timelines.db import open_database
from timelines.model import Reminder

HEADER = """[timeline]
id = "plan"
title = "Handlingsplan 2024–2026"
lang = "nb"
ref_year = 2024
period = "2024-2026"
owners = ["radgiver"]

[[task]]
id = "arsmelding"
title = "Årsmelding"
when = "årlig innen 1. mars"
"""


@pytest.fixture
def proj(tmp_path: Path, db_url: str) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, 2525, policy={"before_due": ["7d"],
                                                             "overdue_max": 0})
    p.write_config()
    return p


def write(proj: TestProject, extra: str = "") -> None:
    folder = proj.root / "timelines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.toml").write_text(HEADER + extra, encoding="utf-8")


def live(db_rows: list[Reminder]) -> dict[str, dt.date]:
    """Occurrence → the local day of its waiting before-due reminder."""
    return {r.occurrence: r.local_date for r in db_rows
            if r.status == "pending" and r.kind != "moved"}


def test_each_occurrence_is_planned_closed_and_moved_alone(proj: TestProject) -> None:
    write(proj)
    proj.apply(oslo(2024, 1, 10, 12))
    db = open_database(proj.db_url)
    try:
        assert live(rows(db)) == {"2024": dt.date(2024, 2, 23), "2025": dt.date(2025, 2, 21),
                                  "2026": dt.date(2026, 2, 20)}  # weekends: the Friday
        assert all("@" in r.idem_key for r in rows(db))
        write(proj, '\n[task.occurrence."2025"]\nstatus = "done"\n'
                    '\n[task.occurrence."2026"]\ndue = 2026-03-15\n')
        proj.apply(oslo(2024, 1, 11, 12))
        assert live(rows(db)) == {"2024": dt.date(2024, 2, 23), "2026": dt.date(2026, 3, 6)}
        gone = [r for r in rows(db) if r.status == "superseded"]
        assert sorted(r.occurrence for r in gone) == ["2025", "2026"]
        first = next(r for r in rows(db) if r.occurrence == "2024")
        assert first.status == "pending" and first.id == min(r.id or 0 for r in rows(db))
        before = [(r.idem_key, r.status) for r in rows(db)]
        assert proj.apply(oslo(2024, 1, 12, 12)) == []  # the same file: nothing changes
        assert [(r.idem_key, r.status) for r in rows(db)] == before
    finally:
        db.dispose()


def test_a_done_occurrence_sends_nothing_and_the_next_one_is_sent(proj: TestProject) -> None:
    with smtp_server() as smtp:
        proj.smtp_port = smtp.port
        proj.write_config()
        write(proj, '\n[task.occurrence."2024"]\nstatus = "done"\n')
        proj.apply(oslo(2024, 1, 10, 12))
        db = open_database(proj.db_url)
        try:
            clock = ManualClock(oslo(2024, 2, 23, 9))
            engine = make_engine(db, proj.config(), clock)
            assert run_pass(engine).outcomes == []
            clock.set(oslo(2025, 2, 21, 9))
            run_pass(engine)
            assert [k.split(":")[0] for k in keys_received(smtp.messages)] == ["t1@2025"]
            mail = smtp.messages[0].parsed()
            assert "Årsmelding 2025" in str(mail["Subject"])
            body = mail.get_body(("plain",))
            assert body is not None and "1. mars 2025" in body.get_content()
            (attachment,) = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
            assert b"RECURRENCE-ID;VALUE=DATE:20250301" in attachment.get_payload(decode=True)
        finally:
            db.dispose()
