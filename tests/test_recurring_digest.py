"""The weekly digest lists occurrences, not tasks: a recurring task appears once for each of its
open occurrences in the digest's week, by the occurrence's name and date, and a done
occurrence not at all. SQLite and PostgreSQL, through a real SMTP server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from smtp_server import SmtpServer
from test_engine_support import TestProject, make_engine, oslo, rows, run_pass
from test_recurring_support import DONE_2025, answer_done, write_plan

from scheduler.clock import ManualClock
from timelines.base.i18n import format_date, named
from timelines.db import open_database

# 7 days before each: Friday 21 February 2025 (1 March is a Saturday) and Thursday 20
# February: both in the digest of Monday 17 February 2025.
BUDGET = '\n[[task]]\nid = "budsjett"\ntitle = "Budsjett"\ndue = 2025-02-27\n'
DIGEST_DAY = dt.date(2025, 2, 17)


@pytest.fixture
def proj(tmp_path: Path, db_url: str, smtp: SmtpServer) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, smtp.port,
                    policy={"before_due": ["7d"], "overdue_max": 0, "digest": "weekly"})
    p.write_config()
    return p


def digest_of(proj: TestProject, smtp: SmtpServer, to: str) -> list[str]:
    """The lines of `to`'s digest sent on DIGEST_DAY (the only mail of that pass)."""
    db = open_database(proj.db_url)
    try:
        assert DIGEST_DAY in {r.local_date for r in rows(db) if r.kind == "digest"}
        run_pass(make_engine(db, proj.config(), ManualClock(oslo(2025, 2, 17, 8, 5))))
    finally:
        db.dispose()
    (mail,) = [m for m in smtp.messages if m.rcpt_tos == [to]]
    body = mail.parsed().get_body(("plain",))
    assert body is not None
    return body.get_content().splitlines()


@pytest.mark.parametrize("to,lang", [("ola@example.no", "nb"), ("anna@example.se", "sv")])
def test_a_recurring_task_is_listed_by_the_occurrence_in_the_digests_week(
        proj: TestProject, smtp: SmtpServer, to: str, lang: str) -> None:
    write_plan(proj, "", BUDGET)
    proj.apply(oslo(2024, 1, 10, 12))
    lines = digest_of(proj, smtp, to)
    (item,) = [line for line in lines if "Årsmelding" in line]
    assert named("Årsmelding", "2025", lang) in item
    assert format_date(dt.date(2025, 3, 1), lang) in item
    assert any("Budsjett" in line for line in lines)
    for other in (dt.date(2024, 3, 1), dt.date(2026, 3, 1)):
        assert format_date(other, lang) not in "\n".join(lines)


@pytest.mark.parametrize("how", ["answer", "file"])
def test_a_done_occurrence_is_not_in_the_digest(proj: TestProject, smtp: SmtpServer,
                                                how: str) -> None:
    write_plan(proj, DONE_2025 if how == "file" else "", BUDGET)
    proj.apply(oslo(2024, 1, 10, 12))
    if how == "answer":
        answer_done(proj, "ola", "2025", oslo(2024, 1, 10, 13))
    lines = digest_of(proj, smtp, "ola@example.no")
    assert any("Budsjett" in line for line in lines)
    assert not any("Årsmelding" in line for line in lines)
