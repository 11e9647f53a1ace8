"""The årshjul: every deadline of the year inside its month's sector, months named in the
reader's language."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from test_pages_support import SVG, Seeds, import_seeds, marks, svg_root

from scheduler.pages import OccurrenceMark, TaskMark, wheel_svg

D = dt.date


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    return import_seeds(tmp_path_factory.mktemp("wheel") / "proj")


def _bearing(svg, x: float, y: float) -> float:
    """Degrees clockwise from twelve o'clock, seen from the wheel's centre."""
    cx, cy = float(svg.attrib["data-cx"]), float(svg.attrib["data-cy"])
    return math.degrees(math.atan2(x - cx, cy - y)) % 360


def _sector(year: int, month: int) -> tuple[float, float]:
    """Month `month` of `year` as angles: its share of the year's days."""
    first = D(year, 1, 1).toordinal()
    days = D(year + 1, 1, 1).toordinal() - first
    end = D(year + month // 12, month % 12 + 1, 1).toordinal() - first
    return 360 * (D(year, month, 1).toordinal() - first) / days, 360 * end / days


def _placed(svg) -> list[tuple[str, dt.date, float]]:
    """(data-task, data-due, angle) of each deadline mark."""
    found = []
    for group in svg.iter(f"{SVG}g"):
        if "data-due" in group.attrib:
            circle = group.find(f"{SVG}circle")
            angle = _bearing(svg, float(circle.attrib["cx"]), float(circle.attrib["cy"]))
            found.append((group.attrib["data-task"], D.fromisoformat(group.attrib["data-due"]),
                          angle))
    return found


@pytest.mark.parametrize("seed,year", [("002", 2020), ("004", 2017), ("004", 2018)])
def test_each_deadline_in_its_months_sector(seeds: Seeds, seed: str, year: int) -> None:
    view = seeds.view(seed, D(year, 1, 1))
    placed = _placed(svg_root(wheel_svg(view.tasks, year, "nb")))
    expected = sorted((task.ref, task.due or task.start) for task in view.tasks
                      if (task.due or task.start) and (task.due or task.start).year == year)
    assert sorted((ref, due) for ref, due, _ in placed) == expected
    assert expected
    for _, due, angle in placed:
        low, high = _sector(year, due.month)
        assert low < angle < high, (due, angle, low, high)


def test_recurring_deadlines_each_on_the_wheel() -> None:
    days = tuple(D(2026, month, 15) for month in (2, 5, 8, 11))
    each = tuple(OccurrenceMark(d.isoformat(), f"Report {d.isoformat()}", d) for d in days)
    recurring = TaskMark("plan", "report", "Report", "", days[0], None, occurrences=each)
    placed = _placed(svg_root(wheel_svg([recurring], 2026, "en")))
    assert [due for _, due, _ in placed] == list(days)
    for _, due, angle in placed:
        low, high = _sector(2026, due.month)
        assert low < angle < high


def test_leap_year_december_31_is_in_december() -> None:
    task = TaskMark("plan", "end", "End", "", None, D(2024, 12, 31))
    ((_, _, angle),) = _placed(svg_root(wheel_svg([task], 2024)))
    assert _sector(2024, 12)[0] < angle < 360


@pytest.mark.parametrize("lang,january", [("nb", "januar"), ("sv", "januari"),
                                          ("en", "January")])
def test_month_names_in_the_readers_language(lang: str, january: str) -> None:
    svg = svg_root(wheel_svg([], 2026, lang))
    (months,) = [g for g in svg.iter(f"{SVG}g") if g.attrib.get("class") == "months"]
    names = [text.text for text in months.iter(f"{SVG}text")]
    assert len(names) == 12 and names[0] == january


def test_marks_are_focusable_with_their_card(seeds: Seeds) -> None:
    view = seeds.view("004", D(2017, 1, 1))
    found = marks(svg_root(wheel_svg(view.tasks, 2017, "nb")))
    assert found
    for mark in found.values():
        assert mark.attrib["tabindex"] == "0" and mark.attrib["aria-label"]
        assert mark.find(f"{SVG}title").text


def test_large_type_for_a_projector() -> None:
    svg = svg_root(wheel_svg([], 2026, "nn"))
    sizes = [float(text.attrib["font-size"]) for text in svg.iter(f"{SVG}text")]
    assert min(sizes) >= 24  # month names and the year; the viewBox is 960 wide
