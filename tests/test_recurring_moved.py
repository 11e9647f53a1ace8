"""Moving one occurrence of a recurring task in the file tells its owners, as moving a task
does: one "date moved" mail per owner, old date → new date, naming the occurrence; nothing
about the other occurrences. On SQLite and PostgreSQL, through a real SMTP server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from smtp_server import SmtpServer
from test_engine_support import TestProject, make_engine, oslo, rows, run_pass
from test_recurring_support import DONE_2025, MOVED_2026, moved_rows, write_plan

from scheduler.clock import ManualClock
from timelines.base.i18n import _, format_date
from timelines.db import open_database

LANGS = {"ola@example.no": "nb", "anna@example.se": "sv"}


@pytest.fixture
def proj(tmp_path: Path, db_url: str, smtp: SmtpServer) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, smtp.port,
                    policy={"before_due": ["7d"], "overdue_max": 0})
    p.write_config()
    return p


def send(proj: TestProject, now: dt.datetime) -> None:
    db = open_database(proj.db_url)
    try:
        run_pass(make_engine(db, proj.config(), ManualClock(now)))
    finally:
        db.dispose()


def moved_mails(smtp: SmtpServer) -> list[tuple[str, str, str]]:
    """(recipient, subject, plain body) of each "date moved" mail."""
    found = []
    for message in smtp.messages:
        mail = message.parsed()
        if ":moved:" in str(mail["X-Fristvakt-Key"]):
            body = mail.get_body(("plain",))
            assert body is not None
            found.append((message.rcpt_tos[0], str(mail["Subject"]), body.get_content()))
    return sorted(found)


def test_moving_one_occurrence_tells_each_owner_old_and_new_date_once(
        proj: TestProject, smtp: SmtpServer) -> None:
    write_plan(proj)
    proj.apply(oslo(2024, 1, 10, 12))
    write_plan(proj, MOVED_2026)
    changes = proj.apply(oslo(2024, 1, 11, 12))
    assert [(c.kind, [o.label for o in c.occurrences]) for c in changes] == [
        ("changed", ["2026"])]
    assert proj.apply(oslo(2024, 1, 11, 13)) == []  # the same file again: no second notice
    send(proj, oslo(2024, 1, 11, 13))
    mails = moved_mails(smtp)
    assert [mail[0] for mail in mails] == sorted(LANGS)
    for to, subject, body in mails:
        lang = LANGS[to]
        assert "Årsmelding 2026" in subject
        for old_or_new in (dt.date(2026, 3, 1), dt.date(2026, 3, 15)):
            assert format_date(old_or_new, lang) in body, (lang, body)
        assert "2024" not in subject and "2025" not in subject
        # The plan's words give 1 March: the mail does not say they read as the moved day.
        assert _(lang, "“{when}”, read as {date}", when="årlig innen 1. mars",
                 date=format_date(dt.date(2026, 3, 15), lang)) not in body
    assert len(smtp.messages) == 2  # nothing about 2024 or 2025


def test_only_the_moved_occurrence_gets_a_notice_and_a_done_one_none(
        proj: TestProject) -> None:
    write_plan(proj)
    proj.apply(oslo(2024, 1, 10, 12))
    write_plan(proj, MOVED_2026 + DONE_2025)
    proj.apply(oslo(2024, 1, 11, 12))
    db = open_database(proj.db_url)
    try:
        notices = moved_rows(rows(db))
        assert sorted((r.occurrence, r.recipient) for r in notices) == [
            ("2026", "anna"), ("2026", "ola")]
        assert {tuple(r.payload["old"]) for r in notices} == {(None, "2026-03-01")}
    finally:
        db.dispose()


def test_an_occurrence_moved_twice_before_the_notice_goes_out_is_told_once_oldest_to_newest(
        proj: TestProject, smtp: SmtpServer) -> None:
    write_plan(proj)
    proj.apply(oslo(2024, 1, 10, 12))
    write_plan(proj, MOVED_2026)
    proj.apply(oslo(2024, 1, 11, 12))
    write_plan(proj, MOVED_2026.replace("2026-03-15", "2026-03-20"))
    proj.apply(oslo(2024, 1, 11, 12, 30))
    send(proj, oslo(2024, 1, 11, 13))
    mails = moved_mails(smtp)
    assert len(mails) == 2
    for to, _subject, body in mails:
        lang = LANGS[to]
        assert format_date(dt.date(2026, 3, 1), lang) in body
        assert format_date(dt.date(2026, 3, 20), lang) in body
        assert format_date(dt.date(2026, 3, 15), lang) not in body


def test_an_occurrence_moved_there_back_and_there_again_is_told_each_time(
        proj: TestProject, smtp: SmtpServer) -> None:
    write_plan(proj)
    proj.apply(oslo(2024, 1, 10, 12))
    for hour, extra in enumerate((MOVED_2026, "", MOVED_2026), start=12):
        write_plan(proj, extra)
        proj.apply(oslo(2024, 1, 11, hour))
        send(proj, oslo(2024, 1, 11, hour, 30))
    told = [body for to, _, body in moved_mails(smtp) if to == "ola@example.no"]
    assert len(told) == 3
