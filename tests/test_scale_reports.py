"""`plan --json` and `log --json` on a ledger larger than one statement's parameters allow."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_engine_cli import fristvakt
from test_engine_support import TestProject

from timelines.db import open_database
from timelines.model import Task

# PostgreSQL refuses a statement with more than 65,535 parameters: one task more than that,
# each with its own reminder and delivery, would have overflowed an IN list of task keys.
TASKS = 65_536 + 100
TABLES = Task.metadata.tables
NOW = dt.datetime(2026, 9, 1, 7, 0, tzinfo=dt.UTC)


def _fill(db_url: str) -> None:
    """TASKS tasks in the timeline `apply` made, each with one pending reminder and one
    delivery attempt, inserted in bulk (executemany)."""
    db = open_database(db_url)
    try:
        with db.begin() as conn:
            conn.execute(sa.insert(TABLES["task"]), [
                {"timeline_id": "plan", "key": f"bulk-{n}", "title": f"Oppgåve {n}",
                 "owners": [], "participants": [], "after": [], "policy": {},
                 "created_at": NOW, "changed_at": NOW} for n in range(TASKS)])
            pks = conn.execute(sa.select(TABLES["task"].c.pk)
                               .where(TABLES["task"].c.key.like("bulk-%"))).scalars().all()
            conn.execute(sa.insert(TABLES["reminder"]), [
                {"idem_key": f"bulk:{pk}", "task_pk": pk, "recipient": "ola",
                 "email": "ola@example.no", "rule": "due-1d", "kind": "due", "send_at": NOW,
                 "zone": "Europe/Oslo", "local_date": NOW.date(), "local_time": dt.time(9),
                 "status": "pending", "next_attempt_at": NOW + dt.timedelta(days=30),
                 "payload": {}, "created_at": NOW} for pk in pks])
            ids = conn.execute(sa.select(TABLES["reminder"].c.id)
                               .where(TABLES["reminder"].c.idem_key.like("bulk:%"))
                               ).scalars().all()
            conn.execute(sa.insert(TABLES["delivery"]), [
                {"reminder_id": rid, "attempt": 1, "at": NOW, "outcome": "retry",
                 "code": 451, "detail": "try later"} for rid in ids])
    finally:
        db.dispose()


@pytest.mark.timeout(600)
def test_plan_and_log_json_work_beyond_the_parameter_limit(
        tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    proj = TestProject(tmp_path / "p", db_url)
    proj.write_config()
    proj.write_timeline([{"id": "a", "title": "Første", "due": dt.date(2026, 12, 1),
                          "owners": ["ola"]}])
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    _fill(db_url)
    plan = json.loads(fristvakt(proj, capsys, "plan", "--json", "--now", "2026-09-01T09:00"))
    bulk = [r for r in plan if r["key"].startswith("bulk:")]
    assert len(bulk) == TASKS
    assert {r["task"] for r in bulk} == {f"plan/bulk-{n}" for n in range(TASKS)}
    assert any(r["title"] == "Første" for r in plan)
    log = json.loads(fristvakt(proj, capsys, "log", "--json"))
    assert len(log) == TASKS
    assert {r["title"] for r in log} == {f"Oppgåve {n}" for n in range(TASKS)}
    one = json.loads(fristvakt(proj, capsys, "log", "--json", "--task", "plan/bulk-7"))
    assert [(r["task"], r["code"]) for r in one] == [("plan/bulk-7", 451)]


def test_empty_plan_json_is_an_empty_array(
        tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    proj = TestProject(tmp_path / "p", db_url)
    proj.write_config()
    proj.write_timeline([])
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    assert json.loads(fristvakt(proj, capsys, "log", "--json")) == []
