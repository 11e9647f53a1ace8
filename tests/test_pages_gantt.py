"""The plan timeline's SVG: bars, diamonds, today line, arrows and occurrences where the
dates say, read back from the markup's geometry (not from pixels)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from test_pages_support import SVG, Seeds, geometry, import_seeds, marks, svg_root

from scheduler.pages import OccurrenceMark, PlanView, Section, TaskMark, gantt_svg
from scheduler.pages.build import task_mark
from timelines.base.i18n import _

D = dt.date
ONE = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    return import_seeds(tmp_path_factory.mktemp("pages") / "proj")


def _points(polygon) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polygon.attrib["points"].split()]


@pytest.mark.parametrize("zoom", ["month", "quarter", "year"])
@pytest.mark.parametrize("seed", ["002", "004"])
def test_one_bar_per_dated_task_spanning_start_to_due(seeds: Seeds, seed: str, zoom: str):
    resolved = seeds.timelines[seed]
    svg = svg_root(gantt_svg(seeds.view(seed, D(2020, 6, 1)), D(2020, 6, 1), zoom))
    axis, found = geometry(svg), marks(svg)
    dated = [task for task in resolved.tasks if task.start or task.due]
    assert set(found) == {f"{resolved.id}/{task.key}" for task in dated}
    for task in dated:
        mark = found[f"{resolved.id}/{task.key}"]
        bars = mark.findall(f"{SVG}rect")
        if task.start and task.due and task.start != task.due:
            (bar,) = bars
            x, width = float(bar.attrib["x"]), float(bar.attrib["width"])
            assert x == pytest.approx(axis.x(task.start), abs=0.01)
            assert x + width == pytest.approx(axis.x(task.due + ONE), abs=0.01)
        else:
            assert bars == []
            (diamond,) = mark.findall(f"{SVG}polygon")
            xs = sorted(x for x, _ in _points(diamond))
            assert (xs[0] + xs[-1]) / 2 == pytest.approx(axis.x(task.due or task.start), abs=0.01)


def test_a_known_bar_of_002_at_quarter_zoom(seeds: Seeds) -> None:
    """Formulera förslag 7-24 April 2020 on an axis from 1 April at 3 px a day."""
    svg = svg_root(gantt_svg(seeds.view("002", D(2020, 6, 1)), D(2020, 6, 1), "quarter"))
    (mark,) = [g for ref, g in marks(svg).items() if "/formulera-forslag" in ref]
    bar = mark.find(f"{SVG}rect")
    assert svg.attrib["data-axis-start"] == "2020-04-01"
    assert (float(bar.attrib["x"]), float(bar.attrib["width"])) == (300 + 6 * 3, 18 * 3)
    assert (mark.attrib["data-start"], mark.attrib["data-due"]) == ("2020-04-07", "2020-04-24")


@pytest.mark.parametrize("seed,milestone", [("002", "workshop-for-att"),
                                            ("004", "presentasjon-av-planforslag")])
def test_single_day_tasks_are_diamonds(seeds: Seeds, seed: str, milestone: str) -> None:
    svg = svg_root(gantt_svg(seeds.view(seed, D(2020, 6, 1)), D(2020, 6, 1)))
    (mark,) = [g for ref, g in marks(svg).items() if f"/{milestone}" in ref]
    assert "milestone" in mark.attrib["class"].split()
    assert len(_points(mark.find(f"{SVG}polygon"))) == 4


@pytest.mark.parametrize("seed,today", [("002", D(2020, 9, 15)), ("004", D(2017, 10, 1))])
def test_today_line_at_the_given_date(seeds: Seeds, seed: str, today: dt.date) -> None:
    svg = svg_root(gantt_svg(seeds.view(seed, today), today, "month"))
    (group,) = [g for g in svg.iter(f"{SVG}g") if g.attrib.get("class") == "today"]
    line = group.find(f"{SVG}line")
    assert float(line.attrib["x1"]) == pytest.approx(geometry(svg).x(today), abs=0.01)
    assert group.attrib["data-date"] == today.isoformat()


def test_no_today_line_when_today_is_off_the_axis(seeds: Seeds) -> None:
    svg = svg_root(gantt_svg(seeds.view("002", D(2030, 1, 1)), D(2030, 1, 1)))
    assert not [g for g in svg.iter(f"{SVG}g") if g.attrib.get("class") == "today"]


def test_every_mark_is_focusable_named_and_carries_its_card(seeds: Seeds) -> None:
    view = seeds.view("004", D(2017, 9, 5))
    for ref, mark in marks(svg_root(gantt_svg(view, D(2017, 9, 5)))).items():
        assert mark.attrib["tabindex"] == "0" and mark.attrib["role"] == "img"
        task = next(task for task in view.tasks if task.ref == ref)
        assert task.title in mark.attrib["aria-label"]
        card = mark.find(f"{SVG}title").text
        assert task.title in card and task.when_text in card


def test_status_in_words_and_overdue_marked(seeds: Seeds) -> None:
    """Before 24 April 2020 nothing is overdue; after it the first task is, and says so."""
    lang = seeds.timelines["002"].lang or "en"
    later = marks(svg_root(gantt_svg(seeds.view("002", D(2020, 5, 1)), D(2020, 5, 1))))
    (first,) = [g for ref, g in later.items() if "/formulera-forslag" in ref]
    words = "".join(first.itertext())
    assert _(lang, "planned") in words and _(lang, "overdue") in words
    assert "overdue" in first.attrib["class"].split()
    early = marks(svg_root(gantt_svg(seeds.view("002", D(2020, 4, 1)), D(2020, 4, 1))))
    assert not any("overdue" in g.attrib["class"].split() for g in early.values())


def _plan(*tasks: TaskMark, lang: str = "en") -> PlanView:
    return PlanView("plan", "Plan", lang, (Section("Work", tasks),))


def _task(task_id: str, start: dt.date | None, due: dt.date | None, **extra) -> TaskMark:
    return TaskMark("plan", task_id, task_id.title(), "Work", start, due, **extra)


def test_after_dependency_is_an_arrow_from_end_to_start() -> None:
    first = _task("first", D(2025, 1, 6), D(2025, 1, 17))
    second = _task("second", D(2025, 1, 20), D(2025, 2, 7), after=("first",))
    svg = svg_root(gantt_svg(_plan(first, second), D(2025, 1, 1), "month"))
    (arrow,) = [p for p in svg.iter(f"{SVG}path") if p.attrib.get("data-to") == "plan/second"]
    axis = geometry(svg)
    moves = arrow.attrib["d"].split()
    assert arrow.attrib["data-from"] == "plan/first"
    assert float(moves[0][1:].split(",")[0]) == pytest.approx(axis.x(D(2025, 1, 18)))
    assert float(moves[-1][1:]) == pytest.approx(axis.x(D(2025, 1, 20)))
    assert arrow.attrib["marker-end"] == "url(#arrow)"


def test_recurring_task_drawn_as_its_occurrences() -> None:
    days = (D(2025, 3, 1), D(2025, 6, 1), D(2025, 9, 1))
    each = tuple(OccurrenceMark(d.isoformat(), f"Report {d.isoformat()}", d) for d in days)
    svg = svg_root(gantt_svg(_plan(_task("report", days[0], None, occurrences=each)),
                             D(2025, 1, 1), "quarter"))
    mark = marks(svg)["plan/report"]
    shapes = mark.findall(f"{SVG}polygon")
    assert [s.attrib["data-due"] for s in shapes] == [d.isoformat() for d in days]
    axis = geometry(svg)
    assert [float(s.attrib["data-x"]) for s in shapes] == [axis.x(d) for d in days]


def test_approximate_ends_fade() -> None:
    rough = _task("rough", D(2025, 1, 1), D(2025, 3, 31), approximate_due=True)
    svg = svg_root(gantt_svg(_plan(rough), D(2025, 1, 1)))
    bar = marks(svg)["plan/rough"].find(f"{SVG}rect")
    gradient_id = bar.attrib["fill"].removeprefix("url(#").removesuffix(")")
    (gradient,) = [g for g in svg.iter(f"{SVG}linearGradient") if g.attrib["id"] == gradient_id]
    opacities = [float(stop.attrib["stop-opacity"]) for stop in gradient]
    assert opacities[0] == 1 and opacities[-1] < 0.5
    assert _("en", "approximate dates") in "".join(marks(svg)["plan/rough"].itertext())


def test_unanswered_marked_in_words_and_dashes() -> None:
    silent = _task("silent", D(2025, 1, 1), D(2025, 2, 1), unanswered=True)
    mark = marks(svg_root(gantt_svg(_plan(silent, lang="nn"), D(2025, 1, 1))))["plan/silent"]
    assert mark.find(f"{SVG}rect").attrib["stroke-dasharray"]
    assert _("nn", "no answer") in "".join(mark.itertext())


def test_text_is_escaped_in_the_svg() -> None:
    odd = _task("odd", D(2025, 1, 1), D(2025, 2, 1), note="<script>alert(1)</script> & co")
    markup = gantt_svg(_plan(odd), D(2025, 1, 1))
    assert "<script>" not in markup and "&lt;script&gt;" in markup


def test_unknown_zoom_is_refused() -> None:
    with pytest.raises(ValueError):
        gantt_svg(_plan(_task("x", D(2025, 1, 1), D(2025, 1, 2))), D(2025, 1, 1), "decade")


def test_builder_expands_a_recurring_tasks_rule(seeds: Seeds) -> None:
    timeline = seeds.timelines["002"]
    base = timeline.tasks[0]
    monthly = replace(base, start=D(2025, 1, 31), due=D(2025, 1, 31),
                      recurrence="FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4")
    mark = task_mark(seeds.config, timeline, monthly, D(2025, 1, 1))
    assert mark.deadlines == (D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30))
    assert [o.label for o in mark.occurrences] == [d.isoformat() for d in mark.deadlines]
    assert not mark.milestone
    assert task_mark(seeds.config, timeline, base, D(2025, 1, 1)).occurrences == ()


def test_builder_open_ended_rule_stops_at_the_tasks_until(seeds: Seeds) -> None:
    timeline = seeds.timelines["002"]
    weekly = replace(timeline.tasks[0], start=None, due=D(2025, 1, 6), recurrence="FREQ=WEEKLY",
                     until=D(2025, 2, 3))
    mark = task_mark(seeds.config, timeline, weekly, D(2025, 1, 1))
    assert mark.deadlines == tuple(D(2025, 1, 6) + dt.timedelta(weeks=n) for n in range(5))
