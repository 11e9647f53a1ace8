"""`plan --json` and `log --json` stream the ledger as unindented JSON, one element a line:
the same rows, keys and values as the ledger's ORM objects give; the `plan` and `log` tables
show the soonest (latest) rows and say how many they left out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from smtp_server import SmtpServer, smtp_server
from sqlmodel import col, select
from test_engine_cli import cli_lang, fristvakt
from test_engine_support import TestProject

from scheduler.planning import expire_at
from scheduler.states import ACTIVE
from timelines.base.i18n import _
from timelines.db import open_database, session_scope
from timelines.model import Delivery, Reminder, Task

RESTART = "2026-09-04T09:00"  # three days after the apply: rows due, stale and ahead
RESTART_UTC = dt.datetime(2026, 9, 4, 7, tzinfo=dt.UTC)  # the same in Oslo's summer time
# The keys of a `plan --json` row, in their order.
KEYS = ("task", "title", "occurrence", "recipient", "email", "kind", "rule", "send_at", "zone",
        "local", "status", "attempts", "key")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


def project(tmp_path: Path, db_url: str, port: int) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, port,
                       policy={"overdue_max": 1, "max_lateness": "2d"})
    proj.write_config()
    proj.write_timeline([
        {"id": "framfor", "title": "Framfor «sitat» \\ \"ja\"", "due": dt.date(2026, 9, 8),
         "owners": ["ola", "anna"], "policy": {"before_due": ["5d"]}},
        {"id": "passert", "title": "Passert\u0007 \x1b[31mRØD", "due": dt.date(2026, 9, 3),
         "owners": ["ola"], "policy": {"before_due": ["1d"]}},
        {"id": "for-seint", "title": "For seint", "due": dt.date(2026, 9, 20),
         "owners": ["radgiver"], "policy": {"before_due": ["18d"]}},
        {"id": "arsmelding", "title": "Årsmelding", "when": "årlig innen 1. oktober",
         "owners": ["anna"]},
    ])
    return proj


def _state(row: Reminder, now: dt.datetime) -> str:
    if row.status not in ACTIVE or row.next_attempt_at > now:
        return row.status
    return "stale" if expire_at(row) <= now else "due"


def _printable(text: str) -> str:
    return text.replace("\u0007", "\ufffd").replace("\x1b", "\ufffd")


def _labels(row: Reminder, task: Task | None) -> tuple[str, str]:
    if task is None:
        return "", row.kind
    return f"{task.timeline_id}/{task.key}", _printable(task.title)


def expected_plan(db_url: str, now: dt.datetime, every: bool) -> list[dict[str, Any]]:
    """The rows `plan --json` promises, made from the ORM objects, as the command made them
    before it streamed."""
    db = open_database(db_url)
    with session_scope(db) as session:
        found = session.exec(select(Reminder, Task)
                             .outerjoin(Task, col(Reminder.task_pk) == col(Task.pk))
                             .order_by(col(Reminder.send_at), col(Reminder.id))).all()
        made = [{"task": _labels(r, t)[0], "title": _labels(r, t)[1],
                 "occurrence": r.occurrence or None, "recipient": r.recipient,
                 "email": r.email, "kind": r.kind, "rule": r.rule,
                 "send_at": r.send_at.isoformat(), "zone": r.zone,
                 "local": f"{r.local_date.isoformat()} {r.local_time.strftime('%H:%M')}",
                 "status": _state(r, now), "attempts": r.attempts, "key": r.idem_key}
                for r, t in found if every or r.status in ACTIVE]
    db.dispose()
    return made


def expected_log(db_url: str) -> list[dict[str, Any]]:
    """The attempts `log --json` promises, made from the ORM objects."""
    db = open_database(db_url)
    with session_scope(db) as session:
        found = session.exec(select(Delivery, Reminder, Task)
                             .join(Reminder, col(Delivery.reminder_id) == col(Reminder.id))
                             .outerjoin(Task, col(Reminder.task_pk) == col(Task.pk))
                             .order_by(col(Delivery.at), col(Delivery.id))).all()
        made = [{"at": d.at.isoformat(), "outcome": d.outcome, "attempt": d.attempt,
                 "kind": r.kind, "task": _labels(r, t)[0] or _labels(r, t)[1],
                 "title": _labels(r, t)[1], "recipient": r.recipient, "email": r.email,
                 "code": d.code, "detail": d.detail, "worker": d.worker, "key": r.idem_key,
                 "possible_duplicate": r.possible_duplicate, "message_id": r.message_id}
                for d, r, t in found]
    db.dispose()
    return made


def add_taskless_row(db_url: str) -> None:
    """A ledger row whose task is gone (a digest names none): named by its kind."""
    db = open_database(db_url)
    moment = dt.datetime(2026, 9, 10, 6, tzinfo=dt.UTC)
    with db.begin() as conn:
        conn.execute(sa.insert(Reminder.metadata.tables["reminder"]).values(
            idem_key="digest:ola:2026-37", task_pk=None, recipient="ola",
            email="ola@example.no", rule="weekly", kind="digest", send_at=moment,
            zone="Europe/Oslo", local_date=moment.date(), local_time=dt.time(8),
            status="pending", next_attempt_at=moment, payload={}, created_at=moment))
    db.dispose()


def elements(out: str) -> list[dict[str, Any]]:
    """The array's elements, each read from its own line (and the array read whole)."""
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]", out[:200]
    each = [json.loads(line.removesuffix(",")) for line in lines[1:-1]]
    assert each == json.loads(out)
    return each


def test_plan_json_streams_the_rows_the_ledger_holds(
        tmp_path: Path, db_url: str, smtp: SmtpServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, db_url, smtp.port)
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    add_taskless_row(db_url)
    planned = elements(fristvakt(proj, capsys, "plan", "--json", "--now", RESTART))
    assert planned == expected_plan(db_url, RESTART_UTC, every=False)
    assert {r["status"] for r in planned} == {"due", "stale", "pending"}
    assert any(r["occurrence"] for r in planned) and any(r["task"] == "" for r in planned)
    assert {tuple(r) for r in planned} == {KEYS}  # the keys, in their order
    fristvakt(proj, capsys, "run", "--once", "--now", RESTART)
    every = elements(fristvakt(proj, capsys, "plan", "--json", "--all", "--now", RESTART))
    assert every == expected_plan(db_url, RESTART_UTC, every=True)
    assert {"sent", "expired"} <= {r["status"] for r in every}


def test_log_json_streams_every_attempt(
        tmp_path: Path, db_url: str, smtp: SmtpServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, db_url, smtp.port)
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    fristvakt(proj, capsys, "run", "--once", "--now", RESTART)
    logged = elements(fristvakt(proj, capsys, "log", "--json"))
    assert logged == expected_log(db_url)
    assert {r["outcome"] for r in logged} == {"sent", "expired"}
    one = elements(fristvakt(proj, capsys, "log", "--json", "--task", "passert"))
    assert one == elements(fristvakt(proj, capsys, "log", "--json", "--task", "plan/passert"))
    assert one and {r["task"] for r in one} == {"plan/passert"}
    anna = elements(fristvakt(proj, capsys, "log", "--json", "--owner", "anna"))
    assert anna and anna == [r for r in logged if r["recipient"] == "anna"]


def test_the_plan_table_shows_the_soonest_and_says_how_many_it_left_out(
        tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, db_url, 8025)
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    rows = elements(fristvakt(proj, capsys, "plan", "--json", "--now", RESTART))
    lang = cli_lang(proj)
    shown = fristvakt(proj, capsys, "plan", "--limit", "2", "--now", RESTART)
    footer = _(lang, "The first {shown} of {total} reminders: --limit N shows more, "
                     "--json all of them.", shown=2, total=len(rows))
    assert shown.rstrip().endswith(footer)
    assert len(table_rows(shown)) == 2
    assert "Årsmelding" not in shown  # the yearly report's rows come later
    every = fristvakt(proj, capsys, "plan", "--limit", "0", "--now", RESTART)
    assert footer not in every and "Årsmelding" in every
    assert fristvakt(proj, capsys, "plan", "--now", RESTART) == every  # fewer than the default


def table_rows(out: str) -> list[list[str]]:
    """The cells of each row of a table (not its headings)."""
    return [[cell.strip() for cell in line.split("│")] for line in out.splitlines()
            if line.startswith("│")]


def test_the_log_table_shows_the_latest_and_says_how_many_it_left_out(
        tmp_path: Path, db_url: str, smtp: SmtpServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, db_url, smtp.port)
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    fristvakt(proj, capsys, "run", "--once", "--now", RESTART)
    logged = elements(fristvakt(proj, capsys, "log", "--json"))
    assert len(logged) > 2
    shown = fristvakt(proj, capsys, "log", "--limit", "2")
    footer = _(cli_lang(proj), "The latest {shown} of {total} attempts: --limit N shows more, "
                               "--json all of them.", shown=2, total=len(logged))
    assert shown.rstrip().endswith(footer)
    every = table_rows(fristvakt(proj, capsys, "log", "--limit", "0"))
    assert table_rows(shown) == every[-2:] and len(every) == len(logged)
    assert fristvakt(proj, capsys, "log") == fristvakt(proj, capsys, "log", "--limit", "0")
