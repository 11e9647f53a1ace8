"""An apply of a changed file reads whole only the tasks the file changed: each stored task
keeps the digest of what the last apply wrote (`Task.digest`), and a task the file gives as
stored is told by it. A task stored without one (a database from before digests) is
compared whole once and gets it. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from test_engine_support import TestProject, cli, numbered_tasks, oslo

from timelines.db import open_database, session_scope
from timelines.project import load_project
from timelines.resolve import ResolvedTimeline, resolve_timeline
from timelines.sync import UNCHANGED, Digests, stored_tasks, task_digest

NOW = oslo(2026, 6, 1, 9)


@pytest.fixture
def proj(tmp_path: Path, db_url: str) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, policy={"before_due": ["3d"]})
    p.write_config()
    p.write_timeline(numbered_tasks("t", 5), tl_id="plan")
    p.apply(NOW)
    return p


def read_now(proj: TestProject) -> ResolvedTimeline:
    return resolve_timeline(load_project(proj.config_path).timelines[0])


def whole_and_kept(proj: TestProject) -> tuple[set[str], set[str]]:
    """The keys a step would read whole, and those it tells unchanged by their digests."""
    tl = read_now(proj)
    db = open_database(proj.db_url)
    try:
        with session_scope(db) as session:
            rows = stored_tasks(session, [tl.id], {tl.id: Digests(tl)})[tl.id]
    finally:
        db.dispose()
    return ({k for k, row in rows.items() if row is not UNCHANGED},
            {k for k, row in rows.items() if row is UNCHANGED})


def digests(proj: TestProject) -> dict[str, str]:
    db = open_database(proj.db_url)
    try:
        with db.connect() as conn:
            return dict(conn.execute(text("SELECT key, digest FROM task")).all())  # type: ignore[arg-type]
    finally:
        db.dispose()


def test_a_changed_file_reads_whole_only_the_tasks_it_changed(proj: TestProject) -> None:
    tasks = numbered_tasks("t", 5)
    tasks[2]["due"] = tasks[2]["due"].replace(day=28)  # t2 moves
    tasks[4]["title"] = "Ny tittel"  # t4 changes
    proj.write_timeline([*tasks, *numbered_tasks("n", 1)], tl_id="plan")  # n0 is new
    assert whole_and_kept(proj) == ({"t2", "t4"}, {"t0", "t1", "t3"})
    changes = proj.apply(NOW)
    assert sorted((c.kind, c.key) for c in changes) == [("changed", "t4"), ("moved", "t2"),
                                                         ("new", "n0")]
    written = {task.key: task_digest(task) for task in read_now(proj).tasks}
    assert digests(proj) == written
    assert whole_and_kept(proj) == (set(), set(written))


def test_a_task_gone_from_the_file_is_read_whole_and_removed(proj: TestProject) -> None:
    proj.write_timeline(numbered_tasks("t", 4), tl_id="plan")
    assert whole_and_kept(proj) == ({"t4"}, {"t0", "t1", "t2", "t3"})
    assert [(c.kind, c.key) for c in proj.apply(NOW)] == [("removed", "t4")]
    assert whole_and_kept(proj) == (set(), {"t0", "t1", "t2", "t3"})  # long gone: not read


@pytest.mark.parametrize("command", [False, True], ids=["one-transaction", "fristvakt-apply"])
def test_tasks_stored_without_a_digest_are_compared_whole_once(proj: TestProject,
                                                               command: bool) -> None:
    """As after the upgrade that added digests: nothing is reported, and every task read
    gets its digest, so the apply after that compares none of them whole (in one
    transaction, and in `fristvakt apply`'s steps)."""
    db = open_database(proj.db_url)
    with db.begin() as conn:
        conn.execute(text("UPDATE task SET digest = ''"))
    db.dispose()
    assert whole_and_kept(proj) == ({"t0", "t1", "t2", "t3", "t4"}, set())
    proj.write_timeline([*numbered_tasks("t", 5), *numbered_tasks("n", 1)], tl_id="plan")
    if command:
        done = cli(proj, "apply", "--json", "--now", NOW.isoformat())
        assert done.returncode == 0, done.stderr
        assert [(c["kind"], c["task"]) for c in json.loads(done.stdout)] == [("new", "n0")]
    else:
        assert [(c.kind, c.key) for c in proj.apply(NOW)] == [("new", "n0")]
    assert whole_and_kept(proj) == (set(), {"t0", "t1", "t2", "t3", "t4", "n0"})
