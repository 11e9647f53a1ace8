"""`apply` does work in proportion to what changed: an unchanged file is skipped by its
stored hash, and within a changed file only the changed tasks touch the ledger."""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine as DbEngine
from test_engine_support import TestProject, cli, fault_env, numbered_tasks, oslo, rows

from scheduler import hooks
from scheduler.hooks import apply_in_steps
from timelines.db import open_database
from timelines.model import Reminder, Task
from timelines.project import load_project
from timelines.resolve import resolve_timeline

NOW = oslo(2026, 3, 2, 12)


@pytest.fixture
def proj(tmp_path: Path, db_url: str) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, policy={"before_due": ["3d", "14d"]})
    p.write_config()
    return p


@contextmanager
def recorded() -> Iterator[dict[str, int]]:
    """Statements run on any engine, and the Task and Reminder rows loaded as objects."""
    seen = {"statements": 0, "writes": 0, "tasks": 0, "reminders": 0}

    def statement(_conn: Any, _cursor: Any, text: str, *_: Any) -> None:
        seen["statements"] += 1
        if text.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            seen["writes"] += 1

    def task(*_: Any) -> None:
        seen["tasks"] += 1

    def reminder(*_: Any) -> None:
        seen["reminders"] += 1

    hooks = [(DbEngine, "before_cursor_execute", statement), (Task, "load", task),
             (Reminder, "load", reminder)]
    for target, name, fn in hooks:
        event.listen(target, name, fn)
    try:
        yield seen
    finally:
        for target, name, fn in hooks:
            event.remove(target, name, fn)


def noop_cost(proj: TestProject, count: int) -> dict[str, int]:
    """Two files of `count` tasks each applied, then applied again unchanged: its cost."""
    proj.write_timeline(numbered_tasks("a", count), tl_id="a")
    proj.write_timeline(numbered_tasks("b", count), tl_id="b")
    assert proj.apply(NOW)
    with recorded() as seen:
        assert proj.apply(NOW) == []
    return seen


def test_an_unchanged_apply_costs_the_same_at_any_size(proj: TestProject) -> None:
    few, many = noop_cost(proj, 5), noop_cost(proj, 60)
    assert len(rows(open_database(proj.db_url))) >= 240  # 120 tasks, two reminders each
    assert few["writes"] == many["writes"] == 0
    assert few["tasks"] == many["tasks"] == 0
    assert few["reminders"] == many["reminders"] == 0
    assert few["statements"] == many["statements"]


def waiting(db: DbEngine) -> dict[str, tuple[str, dt.datetime]]:
    return {r.idem_key: (r.status, r.send_at) for r in rows(db)}


def test_moving_one_task_touches_only_its_rows(proj: TestProject) -> None:
    proj.write_timeline(numbered_tasks("a", 40), tl_id="a")
    proj.write_timeline(numbered_tasks("b", 40), tl_id="b")
    proj.apply(NOW)
    db = open_database(proj.db_url)
    before = waiting(db)
    moved = numbered_tasks("a", 40)
    moved[7]["due"] = dt.date(2026, 11, 20)
    proj.write_timeline(moved, tl_id="a")
    with recorded() as seen:
        changes = proj.apply(NOW)
    assert [(c.kind, c.key) for c in changes] == [("moved", "a7")]
    # file a's tasks are compared (the moved one read again to re-plan and for its notice);
    # file b is not read at all
    assert seen["tasks"] <= 40 + 2
    assert seen["reminders"] <= 8  # the moved task's own rows, not the 158 of the others
    after = waiting(db)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    pk = changes[0].task_pk
    assert changed and all(k.startswith((f"t{pk}:", "moved:")) or f"t{pk}:" in k
                           for k in changed), changed
    # The partial re-plan leaves the ledger a whole one would: forget the hashes, apply.
    with db.begin() as conn:
        conn.execute(sa.text("UPDATE timeline SET applied_hash = ''"))
    assert proj.apply(NOW) == []
    assert waiting(db) == after
    db.dispose()


def test_a_config_change_replans_unchanged_files(proj: TestProject) -> None:
    proj.write_timeline(numbered_tasks("a", 3), tl_id="a")
    proj.apply(NOW)
    proj.people["ola"] = {**proj.people["ola"], "email": "ola.ny@example.no"}
    proj.write_config()
    assert proj.apply(NOW) == []
    db = open_database(proj.db_url)
    assert {r.email for r in rows(db) if r.recipient == "ola"} == {"ola.ny@example.no"}
    db.dispose()


# Two steps of `fristvakt apply` (STEP_TASKS: SQLite's size, which `small_steps` also makes
# PostgreSQL's).
FILES = {"a": 600, "b": 600, "c": 300}
POLICY = {"before_due": ["3d", "14d"], "overdue_max": 0}  # two rows a task


def many(proj: TestProject) -> None:
    for name, count in FILES.items():
        proj.write_timeline(numbered_tasks(name, count), tl_id=name)


def ledger(db: DbEngine) -> set[tuple[object, ...]]:
    """Every row as it reads back (bulk writes go through the driver: the same values)."""
    return {(r.idem_key, r.task_pk, r.recipient, r.email, r.rule, r.kind, r.status, r.send_at,
             r.next_attempt_at, r.zone, r.local_date, r.local_time, r.created_at,
             r.possible_duplicate, r.attempts, r.lease_until, json.dumps(r.payload))
            for r in rows(db)}


def test_the_command_applies_in_steps_what_one_transaction_would(tmp_path: Path,
                                                                  db_url: str) -> None:
    proj = TestProject(tmp_path / "steps", db_url, policy=POLICY)
    proj.write_config()
    many(proj)
    assert cli(proj, "apply", "--now", NOW.isoformat(),
               env=fault_env("small_steps")).returncode == 0
    alone = TestProject(tmp_path / "one", f"sqlite:///{tmp_path / 'one.db'}", policy=POLICY)
    alone.write_config()
    many(alone)
    alone.apply(NOW)  # tasks and ledger in one transaction, as an owner's answer applies
    db, one = open_database(proj.db_url), open_database(alone.db_url)
    try:
        assert len(rows(db)) == 2 * sum(FILES.values())
        assert ledger(db) == ledger(one)
    finally:
        db.dispose()
        one.dispose()


def test_an_apply_killed_half_way_leaves_whole_files_and_the_next_finishes(
        tmp_path: Path, db_url: str) -> None:
    proj = TestProject(tmp_path / "p", db_url, policy=POLICY)
    proj.write_config()
    many(proj)
    killed = cli(proj, "apply", "--now", NOW.isoformat(), env=fault_env("during_apply"))
    assert killed.returncode == -signal.SIGKILL
    db = open_database(db_url)
    try:
        with db.connect() as conn:
            applied = {tl for (tl,) in conn.execute(sa.text(
                "SELECT DISTINCT timeline_id FROM task"))}
            planned = conn.execute(sa.text(
                "SELECT count(DISTINCT task_pk) FROM reminder")).scalar_one()
        assert applied == {"a"} and planned == FILES["a"]  # the first step, whole
        assert cli(proj, "apply", "--now", NOW.isoformat()).returncode == 0
        assert len(rows(db)) == 2 * sum(FILES.values())
        assert proj.apply(NOW) == []  # nothing left to do
    finally:
        db.dispose()


def test_a_step_reads_its_files_timeline_rows_in_one_query(proj: TestProject) -> None:
    """Each changed file's own row comes from the step's one preload, not a query per file
    (the preloaded rows are held for the step: the session keeps none it is not given)."""
    names = ["a", "b", "c"]
    for name in names:
        proj.write_timeline(numbered_tasks(name, 5), tl_id=name)
    proj.apply(NOW)
    for name in names:
        proj.write_timeline(numbered_tasks(name, 5, shift=1), tl_id=name)
    project = load_project(proj.config_path)
    timelines = [resolve_timeline(t) for t in project.timelines]
    db = open_database(proj.db_url)
    texts: list[str] = []
    event.listen(db, "before_cursor_execute", lambda *args: texts.append(args[2]))
    try:
        applied = apply_in_steps(db, project.config, timelines, NOW)
    finally:
        db.dispose()
    assert sorted({c.timeline_id for c in applied.changes}) == names
    by_id = [t for t in texts if re.search(r"FROM timeline\s+WHERE timeline\.id = ", t)]
    assert by_id == []
    assert len([t for t in texts if re.search(r"FROM timeline\s+WHERE timeline\.id IN", t)]) == 1


def _apply_statements(proj: TestProject) -> list[str]:
    """`fristvakt apply`'s steps in-process: the statements they ran."""
    project = load_project(proj.config_path)
    db = open_database(proj.db_url)
    texts: list[str] = []
    event.listen(db, "before_cursor_execute", lambda *args: texts.append(args[2]))
    try:
        apply_in_steps(db, project.config, [resolve_timeline(t) for t in project.timelines],
                       NOW)
    finally:
        db.dispose()
    return texts


def test_statistics_are_renewed_after_a_bulk_apply_not_a_small_share(
        proj: TestProject, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL's planner gets fresh statistics after a first apply, not after one that
    wrote a small share of the tables; SQLite (no planner statistics to renew) never."""
    monkeypatch.setattr(hooks, "BULK", 1)
    proj.write_timeline(numbered_tasks("a", 40), tl_id="a")
    first = _apply_statements(proj)
    if not proj.db_url.startswith("postgresql"):
        assert not any(t.startswith("ANALYZE") for t in first)
        return
    assert any(t.startswith("ANALYZE") for t in first)  # a first apply
    moved = numbered_tasks("a", 40)
    moved[7]["due"] = dt.date(2026, 11, 20)
    proj.write_timeline(moved, tl_id="a")
    assert not any(t.startswith("ANALYZE") for t in _apply_statements(proj))  # 1 of 40


def test_a_first_apply_gives_the_planner_statistics_after_its_first_step(
        proj: TestProject, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without statistics PostgreSQL's planner often reads the whole growing task table for
    each chunk's lookup by key: a first apply samples the tables once its first step is
    written, however few rows it wrote, and an apply on sampled tables does not."""
    monkeypatch.setattr(hooks, "STEP_TASKS", {"sqlite": 10, "postgresql": 10})
    for name in ("a", "b", "c"):
        proj.write_timeline(numbered_tasks(name, 10), tl_id=name)
    first = _apply_statements(proj)
    analyzed = [i for i, t in enumerate(first) if t.startswith("ANALYZE")]
    if not proj.db_url.startswith("postgresql"):
        assert not analyzed
        return
    later = [i for i, t in enumerate(first) if t.lstrip().startswith("INSERT INTO timeline")]
    assert len(later) == 3 and analyzed and later[0] < analyzed[0] < later[1]
    proj.write_timeline(numbered_tasks("d", 10), tl_id="d")
    assert not any(t.startswith("ANALYZE") for t in _apply_statements(proj))
