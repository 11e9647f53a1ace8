"""apply/diff: idempotent, history-preserving, dependency-aware; on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import sqlalchemy as sa
from conftest import Project

from timelines.db import open_database

PLAN = """\
[timeline]
id = "plan"
title = "Plan"
lang = "nb"
ref_year = 2026
owners = ["ola"]

[[task]]
id = "a"
title = "A"
start = 2026-03-01
due = 2026-03-31

[[task]]
id = "b"
title = "B follows A"
after = ["a"]
lag = "1w"
start = 2026-01-01
due = 2026-01-10

[[task]]
id = "c"
title = "C is independent"
due = 2026-06-01
"""


def _write(project: Project, text: str) -> None:
    (project.timelines / "plan.toml").write_text(text, encoding="utf-8")
    (project.timelines / "eksempel.toml").unlink(missing_ok=True)


def _versions(project: Project) -> dict[str, tuple[int, str | None, str | None]]:
    engine = open_database(project.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "select key, date_version, removed_at from task where timeline_id = 'plan'")).all()
        dues = dict(conn.execute(sa.text("select key, due from task")).all())
    engine.dispose()
    return {k: (v, str(dues[k]), r) for k, v, r in rows}


def test_apply_twice_changes_nothing_the_second_time(project: Project) -> None:
    _write(project, PLAN)
    first = project.run("apply", "--json")
    assert first.code == 0 and len(json.loads(first.out)) == 3
    before = _versions(project)
    second = project.run("apply", "--json")
    assert second.code == 0 and json.loads(second.out) == []
    assert _versions(project) == before


def test_dependent_starts_the_day_after_its_predecessor_plus_lag(project: Project) -> None:
    _write(project, PLAN.replace('start = 2026-01-01\ndue = 2026-01-10\n', ""))
    result = project.run("diff", "--json")
    b = next(c for c in json.loads(result.out) if c["task"] == "b")
    assert b["new"] == ["2026-04-08", "2026-04-08"]


def test_moving_one_due_moves_it_and_its_dependents_only(project: Project) -> None:
    _write(project, PLAN.replace('start = 2026-01-01\ndue = 2026-01-10\n', ""))
    assert project.run("apply").code == 0
    _write(project, PLAN.replace("due = 2026-03-31", "due = 2026-04-30")
           .replace('start = 2026-01-01\ndue = 2026-01-10\n', ""))
    diff = json.loads(project.run("diff", "--json").out)
    assert {(c["kind"], c["task"]) for c in diff} == {("moved", "a"), ("moved", "b")}
    moved_b = next(c for c in diff if c["task"] == "b")
    assert moved_b["old"] == ["2026-04-08", "2026-04-08"]
    assert moved_b["new"] == ["2026-05-08", "2026-05-08"]
    assert project.run("diff", "--json").out == project.run("diff", "--json").out  # no writes
    assert project.run("apply").code == 0
    versions = _versions(project)
    assert versions["a"][0] == 2 and versions["b"][0] == 2 and versions["c"][0] == 1


def test_a_task_removed_from_the_file_is_marked_not_deleted(project: Project) -> None:
    _write(project, PLAN)
    assert project.run("apply").code == 0
    _write(project, PLAN.split("[[task]]\nid = \"c\"")[0])
    diff = json.loads(project.run("diff", "--json").out)
    assert [(c["kind"], c["task"]) for c in diff] == [("removed", "c")]
    assert project.run("apply").code == 0
    versions = _versions(project)
    assert versions["c"][2] is not None and versions["a"][2] is None
    _write(project, PLAN)
    told = json.loads(project.run("diff", "--json").out)  # diff tells what apply then does
    assert [(c["kind"], c["task"]) for c in told] == [("restored", "c")]
    restored = json.loads(project.run("apply", "--json").out)
    assert [(c["kind"], c["task"]) for c in restored] == [("restored", "c")]
    assert _versions(project)["c"][2] is None


def test_a_deleted_timeline_file_marks_its_tasks_removed(project: Project) -> None:
    _write(project, PLAN)
    assert project.run("apply").code == 0
    (project.timelines / "plan.toml").unlink()
    changes = json.loads(project.run("apply", "--json").out)
    assert sorted(c["task"] for c in changes) == ["a", "b", "c"]
    assert all(c["kind"] == "removed" for c in changes)
