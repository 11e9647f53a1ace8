"""The årshjul: the year as a wheel of twelve months with every deadline at its day.

Angles run clockwise from twelve o'clock. A day's angle is the middle of that day,
`360 * (day_of_year - 0.5) / days_in_year`; a month's sector runs from the angle of its first
day's start to the next month's, so a deadline always lands inside its month's sector.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from scheduler.pages import palette
from scheduler.pages.model import TaskMark
from scheduler.pages.svg import element, num, root, serialize
from scheduler.pages.words import card, day, month_names, status_text
from timelines.base.i18n import _

SIZE = 960
CENTRE = SIZE / 2
OUTER = 460     # outer edge of the month ring
RING = 380      # inner edge of the month ring (month names between)
FIRST = 350     # radius of the first mark of a week
STEP = 30       # further in for each more mark in the same week
INNER = 90      # the hub with the year
MARK = 13


def days_in(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def angle(day_: dt.date) -> float:
    """Degrees clockwise from the top for the middle of `day_`."""
    doy = day_.timetuple().tm_yday
    return 360 * (doy - 0.5) / days_in(day_.year)


def month_start_angle(year: int, month: int) -> float:
    """Where month `month`'s sector begins (13 is the end of December: 360)."""
    if month == 13:
        return 360.0
    return 360 * (dt.date(year, month, 1).timetuple().tm_yday - 1) / days_in(year)


def point(degrees: float, radius: float) -> tuple[float, float]:
    rad = math.radians(degrees)
    return CENTRE + radius * math.sin(rad), CENTRE - radius * math.cos(rad)


def _sector_path(a0: float, a1: float, r0: float, r1: float) -> str:
    (x0, y0), (x1, y1) = point(a0, r1), point(a1, r1)
    (x2, y2), (x3, y3) = point(a1, r0), point(a0, r0)
    large = int(a1 - a0 > 180)
    return (f"M{num(x0)},{num(y0)} A{r1},{r1} 0 {large} 1 {num(x1)},{num(y1)} "
            f"L{num(x2)},{num(y2)} A{r0},{r0} 0 {large} 0 {num(x3)},{num(y3)} Z")


def _months(svg: ET.Element, year: int, lang: str) -> None:
    group = element(svg, "g", class_="months")
    for index, name in enumerate(month_names(lang), start=1):
        a0, a1 = month_start_angle(year, index), month_start_angle(year, index + 1)
        element(group, "path", d=_sector_path(a0, a1, INNER, OUTER), class_="month",
                data_month=index, fill=palette.LANE if index % 2 else palette.PAPER,
                stroke=palette.GRID, stroke_width=1)
        x, y = point((a0 + a1) / 2, (RING + OUTER) / 2)
        element(group, "text", name, x=x, y=y + 8, text_anchor="middle", font_size=24,
                font_weight="bold", fill=palette.INK)


def deadlines(tasks: Iterable[TaskMark], year: int) -> list[tuple[dt.date, TaskMark]]:
    """Every deadline in `year` (each occurrence of a recurring task, as itself), by date
    then title."""
    found = [(due, mark) for task in tasks for mark in task.each_deadline
             for due in mark.deadlines if due.year == year]
    return sorted(found, key=lambda pair: (pair[0], pair[1].title))


def _marks(svg: ET.Element, found: list[tuple[dt.date, TaskMark]], lang: str) -> None:
    group = element(svg, "g", class_="deadlines")
    stacked: dict[int, int] = {}
    for due, task in found:
        week = due.timetuple().tm_yday // 7
        depth = stacked[week] = stacked.get(week, -1) + 1
        radius = max(FIRST - STEP * depth, INNER + MARK + 4)
        _mark(group, due, task, radius, lang)


def _mark(group: ET.Element, due: dt.date, task: TaskMark, radius: float, lang: str) -> None:
    x, y = point(angle(due), radius)
    mark = element(group, "g", class_=f"task status-{task.status}", data_task=task.ref,
                   data_due=due.isoformat(), tabindex=0, role="img",
                   aria_label=f"{task.title}; {day(due, lang)}; {status_text(task, lang)}")
    element(mark, "title", card(task, lang))
    edge = palette.OVERDUE if task.overdue else palette.PAPER
    element(mark, "circle", cx=x, cy=y, r=MARK, fill=palette.STATUS.get(task.status),
            stroke=edge, stroke_width=3 if task.overdue else 1.5)
    element(mark, "text", str(due.day), x=x, y=y + 5, text_anchor="middle", font_size=14,
            font_weight="bold", fill=palette.PAPER)


def _hub(svg: ET.Element, year: int, today: dt.date | None, lang: str) -> None:
    element(svg, "circle", cx=CENTRE, cy=CENTRE, r=INNER, fill=palette.PAPER,
            stroke=palette.GRID)
    element(svg, "text", str(year), x=CENTRE, y=CENTRE + 16, text_anchor="middle",
            font_size=48, font_weight="bold", fill=palette.INK)
    if today and today.year == year:
        x, y = point(angle(today), OUTER)
        hand = element(svg, "g", class_="today", data_date=today.isoformat())
        element(hand, "title", _(lang, "today"))
        (x0, y0) = point(angle(today), INNER)
        element(hand, "line", x1=x0, y1=y0, x2=x, y2=y, stroke=palette.TODAY, stroke_width=3)


def wheel_svg(tasks: Iterable[TaskMark], year: int, lang: str = "en",
              today: dt.date | None = None) -> str:
    """The year wheel of `tasks`' deadlines in `year`, month names in `lang`."""
    svg = root(SIZE, SIZE, _(lang, "Year wheel {year}", year=year), class_="wheel",
               data_year=year, data_cx=CENTRE, data_cy=CENTRE)
    _months(svg, year, lang)
    _hub(svg, year, today, lang)
    _marks(svg, deadlines(tasks, year), lang)
    return serialize(svg)
