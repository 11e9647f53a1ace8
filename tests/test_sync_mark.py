"""The mark of a resolved file (`sync.timeline_hash`): a file applied is skipped while its
mark is that of the last apply, so every change of a task must change it, and the same
tasks read again must keep it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from timelines.files import read_timeline
from timelines.resolve import ResolvedTask, ResolvedTimeline, resolve_timeline
from timelines.sync import timeline_hash

ROOT = Path(__file__).resolve().parent.parent
TEXT = """[timeline]
id = "plan"
title = "Plan"
lang = "nb"
ref_year = 2026
owners = ["ola"]

[[task]]
id = "a"
title = "A"
when = "innen 1. mars"

[[task]]
id = "b"
title = "B"
when = "innen 1. mars"
after = ["a"]
policy = { before_due = ["3d"] }

[[task]]
id = "c"
title = "C"
recurrence = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"
[task.occurrence."2027"]
status = "done"
"""


def resolved(tmp_path: Path, text: str = TEXT) -> ResolvedTimeline:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    tl, problems = read_timeline(path)
    assert tl is not None, problems
    return resolve_timeline(tl)


def other(value: Any) -> Any:
    """A value of the same type that differs."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if isinstance(value, tuple):
        return (*value, "x")
    if isinstance(value, dict):
        return {**value, "x": "y"}
    assert value is None
    return dt.date(2026, 1, 1)


@pytest.mark.parametrize("name", [f.name for f in fields(ResolvedTask)])
def test_any_field_of_any_task_changed_changes_the_mark(tmp_path: Path, name: str) -> None:
    tl = resolved(tmp_path)
    for index, task in enumerate(tl.tasks):
        tasks = list(tl.tasks)
        tasks[index] = replace(task, **{name: other(getattr(task, name))})
        assert timeline_hash(replace(tl, tasks=tuple(tasks))) != timeline_hash(tl)


@pytest.mark.parametrize("name", [f.name for f in fields(ResolvedTimeline) if f.name != "tasks"])
def test_a_field_of_the_file_changed_changes_the_mark(tmp_path: Path, name: str) -> None:
    tl = resolved(tmp_path)
    assert timeline_hash(replace(tl, **{name: other(getattr(tl, name))})) != timeline_hash(tl)


def test_tasks_reordered_added_or_dropped_change_the_mark(tmp_path: Path) -> None:
    tl = resolved(tmp_path)
    a, b, c = tl.tasks
    marks = {timeline_hash(replace(tl, tasks=tasks))
             for tasks in [(a, b, c), (b, a, c), (a, b), (a, b, c, c), ()]}
    assert len(marks) == 5


def test_equal_values_mark_alike_whether_or_not_they_are_one_object(tmp_path: Path) -> None:
    """The readings of a `when` text are cached across files: two tasks share their dates
    or not by what else was read. The mark must not tell."""
    tl = resolved(tmp_path)
    a, b, c = tl.tasks
    assert a.due is not None
    shared = replace(b, due=a.due, notes=a.when_text)
    apart = replace(b, due=dt.date.fromordinal(a.due.toordinal()),
                    notes=(a.when_text + ".")[:-1])
    assert shared.due is a.due and apart.due is not a.due and apart.notes is not a.when_text
    assert (timeline_hash(replace(tl, tasks=(a, shared, c)))
            == timeline_hash(replace(tl, tasks=(a, apart, c))))


def test_the_same_tasks_from_other_bytes_keep_the_mark(tmp_path: Path) -> None:
    first = timeline_hash(resolved(tmp_path))
    again = resolved(tmp_path, "# a comment\n" + TEXT.replace("\n\n", "\n\n\n"))
    assert timeline_hash(again) == first


def test_the_mark_is_the_same_in_another_process(tmp_path: Path) -> None:
    """Stored by one apply, compared by the next: nothing of the process (string hashing's
    seed, what else was read) may enter it."""
    (tmp_path / "plan.toml").write_text(TEXT, encoding="utf-8")
    code = ("import sys; from pathlib import Path; from timelines.files import read_timeline; "
            "from timelines.resolve import resolve_timeline; "
            "from timelines.sync import timeline_hash; "
            "print(timeline_hash(resolve_timeline(read_timeline(Path(sys.argv[1]))[0])))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    found = subprocess.run([sys.executable, "-c", code, str(tmp_path / "plan.toml")],
                           capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    assert found.stdout.strip() == timeline_hash(resolved(tmp_path))
