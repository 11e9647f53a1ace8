"""Timeline files with recurring tasks: `period`, `until`, `recurrence` and per-occurrence
tables are read, and mistakes are told with file, line and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from timelines.base.i18n import _
from timelines.checks import unknown_occurrences
from timelines.files import read_timeline
from timelines.occurrences import occurrences_of
from timelines.resolve import resolve_timeline

HEAD = """[timeline]
id = "p"
title = "Årshjul"
lang = "nb"
ref_year = 2024
period = "{period}"

[[task]]
id = "a"
title = "Årsmelding"
when = "årlig innen 1. mars"
"""


def read(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return read_timeline(path, "nb")


def test_explicit_recurrence_wins_over_when_and_until_ends_it(tmp_path: Path) -> None:
    text = HEAD.format(period="2024-2030") + (
        'recurrence = "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15"\nuntil = 2026-12-31\n')
    tl, problems = read(tmp_path, text)
    assert problems == [] and tl is not None
    (task,) = resolve_timeline(tl).tasks
    assert (task.kind, task.recurrence) == ("recurring", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15")
    assert [o.due for o in occurrences_of(task)] == [dt.date(y, 6, 15) for y in (2024, 2025,
                                                                                 2026)]


def test_an_explicit_due_makes_a_recurring_when_one_dated_task(tmp_path: Path) -> None:
    tl, _ = read(tmp_path, HEAD.format(period="2024-2026") + "due = 2024-02-20\n")
    assert tl is not None
    (task,) = resolve_timeline(tl).tasks
    assert (task.kind, task.due, task.recurrence) == ("dated", dt.date(2024, 2, 20), "")


def test_mistakes_name_file_line_and_key(tmp_path: Path) -> None:
    text = HEAD.format(period="snart") + (
        'recurrence = "FREQ=NEVER"\n\n[task.occurrence."neste"]\nstatus = "done"\n')
    _timeline, problems = read(tmp_path, text)
    shown = {p.key: (p.line, p.message) for p in problems}
    assert shown["timeline.period"] == (6, _("nb", "write the years the plan runs, like 2022-2024 "
                                                   "(got {value})", value="'snart'"))
    assert shown["task[1].recurrence"] == (
        12, _("nb", "write a recurrence as an RFC 5545 RRULE without DTSTART, like "
                    "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1 (got {value})", value="'FREQ=NEVER'"))
    assert shown["task[1].occurrence.neste.[key]"][0] == 14


def test_an_occurrence_the_series_lacks_is_reported(tmp_path: Path) -> None:
    text = HEAD.format(period="2024-2026") + '\n[task.occurrence."2031"]\nstatus = "done"\n'
    tl, problems = read(tmp_path, text)
    assert problems == [] and tl is not None
    (problem,) = unknown_occurrences(tl)
    assert (problem.key, problem.line) == ("task[1].occurrence.2031", 13)
    assert problem.message == _("nb", "the task has no occurrence {value} between its first and "
                                      "its last (until)", value="2031")
