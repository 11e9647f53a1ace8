"""The Gantt and the årshjul show each occurrence of a recurring task as the engine plans it: a
moved occurrence on its moved day, a done one as done (from the file, or from its owner's
answer on the served pages), and the task overdue only by an open occurrence."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from test_engine_support import TestProject, oslo
from test_pages_support import SVG, marks, svg_root
from test_recurring_support import DONE_2025, MOVED_2026, answer_done, write_plan

from scheduler.cli import main
from scheduler.pages import PlanView, TaskMark, gantt_svg, plan_view, wheel_page, wheel_svg
from scheduler.pages.stored import plan_views
from timelines.base.i18n import named
from timelines.base.status import status_word
from timelines.db import open_database, session_scope
from timelines.project import load_project
from timelines.resolve import resolve_timeline

D = dt.date
TODAY = D(2024, 1, 10)
PLANNED = [("2024", D(2024, 3, 1), "planned"), ("2025", D(2025, 3, 1), "done"),
           ("2026", D(2026, 3, 15), "planned")]


@pytest.fixture
def proj(tmp_path: Path, db_url: str) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, 2525, policy={"before_due": ["7d"]})
    p.write_config()
    return p


def file_view(proj: TestProject, today: dt.date = TODAY) -> PlanView:
    """The plan as `pages export` builds it: from the file."""
    project = load_project(proj.config_path)
    (timeline,) = project.timelines
    return plan_view(project.config, resolve_timeline(timeline), today)


def stored_view(proj: TestProject, today: dt.date = TODAY) -> PlanView:
    """The plan as the served pages build it: from what `apply` and the answers stored."""
    db = open_database(proj.db_url)
    try:
        with session_scope(db) as session:
            (view,) = plan_views(session, proj.config(), today)
            return view
    finally:
        db.dispose()


def parse(page: str) -> ET.Element:
    """The page read strictly (any HTML error raises)."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def tagged(document: ET.Element, tag: str) -> list[ET.Element]:
    """The `tag` elements (HTML or SVG) about the recurring task, in document order."""
    found = [el for el in document.iter() if str(el.tag).rpartition("}")[2] == tag]
    return [el for el in found if el.get("data-task") == "plan/arsmelding" or (
        tag == "polygon" and el.get("class", "").startswith("occurrence"))]


def recurring(view: PlanView) -> TaskMark:
    (mark,) = [task for task in view.tasks if task.task_id == "arsmelding"]
    return mark


def shown(mark: TaskMark) -> list[tuple[str, dt.date, str]]:
    return [(o.label, o.due, o.status) for o in mark.occurrences]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_files_moved_and_done_occurrences_are_on_the_page_model(proj: TestProject) -> None:
    write_plan(proj, MOVED_2026 + DONE_2025)
    mark = recurring(file_view(proj))
    assert shown(mark) == PLANNED
    assert mark.deadlines == (D(2024, 3, 1), D(2025, 3, 1), D(2026, 3, 15))


def test_the_served_pages_show_the_files_move_and_the_owners_done(proj: TestProject) -> None:
    write_plan(proj, MOVED_2026)
    proj.apply(oslo(2024, 1, 10, 12))
    answer_done(proj, "ola", "2025", oslo(2024, 1, 10, 13))
    assert shown(recurring(stored_view(proj))) == PLANNED


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_recurring_task_is_overdue_only_by_an_open_occurrence_past_its_day(
        proj: TestProject) -> None:
    write_plan(proj, '\n[task.occurrence."2024"]\nstatus = "done"\n')
    mark = recurring(file_view(proj, D(2024, 6, 1)))
    assert not mark.overdue and not any(o.overdue for o in mark.occurrences)
    mark = recurring(file_view(proj, D(2025, 6, 1)))
    assert mark.overdue
    assert [o.label for o in mark.occurrences if o.overdue] == ["2025"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_gantt_draws_each_occurrence_on_its_day_in_its_status(proj: TestProject) -> None:
    write_plan(proj, MOVED_2026 + DONE_2025)
    svg = svg_root(gantt_svg(file_view(proj), TODAY))
    diamonds = marks(svg)["plan/arsmelding"].findall(f"{SVG}polygon")
    assert [(d.attrib["data-due"], f"status-{status}" in d.attrib["class"].split())
            for d, (_, _, status) in zip(diamonds, PLANNED, strict=True)] == [
        (day.isoformat(), True) for _, day, _ in PLANNED]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_wheel_marks_each_occurrence_by_its_name_day_and_status(proj: TestProject) -> None:
    write_plan(proj, MOVED_2026 + DONE_2025)
    tasks = file_view(proj).tasks
    for label, day, status in PLANNED:
        svg = svg_root(wheel_svg(tasks, day.year, "nb"))
        (mark,) = [g for g in svg.iter(f"{SVG}g") if g.attrib.get("data-task") == "plan/arsmelding"]
        assert mark.attrib["data-due"] == day.isoformat()
        assert f"status-{status}" in mark.attrib["class"].split()
        assert named("Årsmelding", label, "nb") in mark.attrib["aria-label"]
        assert status_word(status, "nb") in mark.attrib["aria-label"]


def test_the_served_wheel_page_shows_the_owners_done_in_chart_and_table(
        proj: TestProject) -> None:
    write_plan(proj)
    proj.apply(oslo(2024, 1, 10, 12))
    answer_done(proj, "ola", "2025", oslo(2024, 1, 10, 13))
    page = parse(wheel_page([stored_view(proj)], 2025, "nb", TODAY))
    (row,) = tagged(page, "tr")
    assert "status-done" in row.get("class", "").split()
    assert named("Årsmelding", "2025", "nb") in "".join(row.itertext())
    (mark,) = tagged(page, "g")
    assert "status-done" in mark.get("class", "").split()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_static_export_puts_the_moved_occurrence_on_its_day(
        proj: TestProject, tmp_path: Path) -> None:
    write_plan(proj, MOVED_2026 + DONE_2025)
    out = tmp_path / "site"
    assert main(["-c", str(proj.config_path), "pages", "export", str(out), "--now",
                 "2024-01-10T10:00"]) == 0
    wheel = parse((out / "wheel" / "2026.html").read_text(encoding="utf-8"))
    assert [g.get("data-due") for g in tagged(wheel, "g")] == ["2026-03-15"]
    timeline = parse((out / "plans" / "plan.html").read_text(encoding="utf-8"))
    assert [p.get("data-due") for p in tagged(timeline, "polygon")] == [
        "2024-03-01", "2025-03-01", "2026-03-15"]
