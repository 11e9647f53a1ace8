"""The plan timeline (Gantt) as SVG: sections as lanes, one row per task.

Geometry (the browser tests and the unit tests derive it back from the SVG's attributes):
`x(date) = left + (date - axis_start).days * px_per_day`. A bar covers whole days, from the
start of its first day to the end of its due day: `x(start) .. x(due + 1 day)`. A point in
time (a milestone's diamond, an occurrence, the today line) sits at `x(date)`.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from scheduler.pages import palette
from scheduler.pages.model import PlanView, TaskMark
from scheduler.pages.svg import element, num, root, serialize
from scheduler.pages.words import card, label, month_names, status_text
from timelines.base.i18n import _

ZOOMS: dict[str, float] = {"month": 8.0, "quarter": 3.0, "year": 1.2}  # px per day
LEFT = 300      # the label column
TOP = 48        # the axis header
ROW = 30        # one task
LANE_HEAD = 28  # a section's title row
RIGHT = 260     # room for the status text after the last bar
BAR = 14        # bar height
DIAMOND = 8     # half the diagonal of a milestone
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Axis:
    start: dt.date
    end: dt.date
    px_per_day: float
    left: float = LEFT

    def x(self, day: dt.date) -> float:
        return self.left + (day - self.start).days * self.px_per_day

    @property
    def width(self) -> float:
        return self.x(self.end) + RIGHT

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _floor(day: dt.date, zoom: str) -> dt.date:
    """The first day of the month, quarter or year `day` falls in."""
    if zoom == "year":
        return dt.date(day.year, 1, 1)
    if zoom == "quarter":
        return dt.date(day.year, 1 + 3 * ((day.month - 1) // 3), 1)
    return day.replace(day=1)


def _next(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _ceil(day: dt.date, zoom: str) -> dt.date:
    """The first day after `day`'s month, quarter or year."""
    return _next(_floor(day, zoom), {"month": 1, "quarter": 3, "year": 12}[zoom])


def all_dates(plan: PlanView) -> list[dt.date]:
    """Every date drawn (a recurring task's: its occurrences' days)."""
    return [d for task in plan.tasks
            for d in (task.deadlines if task.occurrences else (task.start, task.due)) if d]


def axis_for(plan: PlanView, today: dt.date, zoom: str) -> Axis:
    """Whole months, quarters or years around every date of the plan (today if none)."""
    if zoom not in ZOOMS:
        raise ValueError(zoom)
    dates = all_dates(plan) or [today]
    return Axis(_floor(min(dates), zoom), _ceil(max(dates), zoom), ZOOMS[zoom])


def _ticks(axis: Axis, zoom: str) -> list[dt.date]:
    step = 3 if zoom == "year" else 1
    day, found = _floor(axis.start, "quarter" if zoom == "year" else "month"), []
    while day < axis.end:
        if day >= axis.start:
            found.append(day)
        day = _next(day, step)
    return found


def _draw_axis(svg: ET.Element, axis: Axis, zoom: str, height: float, lang: str) -> None:
    names = month_names(lang, "abbreviated")
    group = element(svg, "g", class_="axis", aria_hidden="true")
    for day in _ticks(axis, zoom):
        x = axis.x(day)
        element(group, "line", x1=x, x2=x, y1=TOP - 18, y2=height, stroke=palette.GRID,
                stroke_width=1 if day.month != 1 else 2)
        text = f"{names[day.month - 1]} {day.year}" if day.month == 1 or zoom == "month" \
            else names[day.month - 1]
        element(group, "text", text, x=x + 3, y=TOP - 6, fill=palette.MUTED, font_size=12)


@dataclass
class Layout:
    """Where each task's row is, filled while the lanes are drawn (arrows need it)."""

    rows: dict[str, float]
    height: float = TOP


def _lanes(svg: ET.Element, back: ET.Element, plan: PlanView, axis: Axis,
           lang: str) -> Layout:
    """Each section a lane (its background in `back`, under the grid), each task a row."""
    layout = Layout({})
    for index, section in enumerate(plan.sections):
        lane = element(svg, "g", class_="lane", data_section=section.title)
        lane_height = LANE_HEAD + ROW * len(section.tasks)
        element(back, "rect", x=0, y=layout.height, width=axis.width, height=lane_height,
                fill=palette.LANE if index % 2 == 0 else palette.PAPER)
        element(lane, "text", section.title or _(lang, "Other tasks"), x=8,
                y=layout.height + 19, fill=palette.INK, font_size=14, font_weight="bold")
        y = layout.height + LANE_HEAD
        for task in section.tasks:
            layout.rows[task.ref] = y + ROW / 2
            _task_row(lane, task, axis, y + ROW / 2, lang)
            y += ROW
        layout.height += lane_height
    return layout


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _task_row(lane: ET.Element, task: TaskMark, axis: Axis, mid: float, lang: str) -> None:
    element(lane, "text", _short(task.title), x=LEFT - 10, y=mid + 4, text_anchor="end",
            fill=palette.INK, font_size=12)
    if not task.dated:
        return
    mark = element(lane, "g", class_=_classes(task), data_task=task.ref,
                   data_start=_iso(task.start), data_due=_iso(task.due), tabindex=0,
                   role="img", aria_label=label(task, lang))
    element(mark, "title", card(task, lang))
    right = _shape(mark, task, axis, mid)
    element(mark, "text", status_text(task, lang), x=right + 8, y=mid + 4, font_size=12,
            fill=palette.OVERDUE if task.overdue else palette.INK)


def _classes(task: TaskMark) -> str:
    names = ["task", f"status-{task.status}"]
    names += ["milestone"] if task.milestone else ["bar"]
    names += ["overdue"] * task.overdue + ["unanswered"] * task.unanswered
    return " ".join(names + ["recurring"] * bool(task.occurrences))


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _outline(task: TaskMark) -> dict[str, object]:
    """Overdue: a thick red edge; unanswered: a dashed edge (marked in words too)."""
    if task.overdue:
        return {"stroke": palette.OVERDUE, "stroke_width": 3}
    if task.unanswered:
        return {"stroke": palette.UNANSWERED, "stroke_width": 2, "stroke_dasharray": "4 3"}
    return {}


def _shape(mark: ET.Element, task: TaskMark, axis: Axis, mid: float) -> float:
    """Draw the bar, diamond or occurrences; return the right edge drawn."""
    colour = palette.STATUS.get(task.status, palette.INK)
    if task.occurrences:
        return max(_occurrence(mark, one, axis, mid) for one in task.each_deadline)
    if task.milestone:
        day = task.due or task.start
        assert day is not None  # dated and not recurring
        return _diamond(mark, axis.x(day), mid, colour, task, class_="diamond")
    assert task.start is not None and task.due is not None
    x0, x1 = axis.x(task.start), axis.x(task.due + ONE_DAY)
    element(mark, "rect", class_="bar", x=x0, y=mid - BAR / 2, width=x1 - x0, height=BAR,
            rx=3, fill=_fill(task, colour), **_outline(task))
    return x1


def _occurrence(mark: ET.Element, one: TaskMark, axis: Axis, mid: float) -> float:
    """One occurrence's diamond, in its own status (and its own overdue edge)."""
    assert one.due is not None
    return _diamond(mark, axis.x(one.due), mid, palette.STATUS.get(one.status, palette.INK),
                    one, class_=f"occurrence status-{one.status}", data_due=one.due.isoformat())


def _diamond(mark: ET.Element, x: float, mid: float, colour: str, task: TaskMark,
             **attrs: object) -> float:
    points = f"{num(x)},{num(mid - DIAMOND)} {num(x + DIAMOND)},{num(mid)} " \
             f"{num(x)},{num(mid + DIAMOND)} {num(x - DIAMOND)},{num(mid)}"
    opacity = 0.45 if task.approximate_due else None
    element(mark, "polygon", points=points, fill=colour, fill_opacity=opacity,
            data_x=x, **attrs, **_outline(task))
    return x + DIAMOND


def _fill(task: TaskMark, colour: str) -> str:
    """A solid colour, or a gradient that fades out at an approximate end."""
    if not (task.approximate_start or task.approximate_due):
        return colour
    return f"url(#fade-{task.status}-{int(task.approximate_start)}{int(task.approximate_due)})"


def _gradients(svg: ET.Element) -> None:
    """One gradient per status and faded end: the faded fifth is at 30% opacity."""
    defs = element(svg, "defs")
    marker = element(defs, "marker", id="arrow", viewBox="0 0 10 10", refX=9, refY=5,
                     markerWidth=7, markerHeight=7, orient="auto-start-reverse")
    element(marker, "path", d="M0,0 L10,5 L0,10 z", fill=palette.ARROW)
    for status, colour in palette.STATUS.items():
        for left, right in ((1, 0), (0, 1), (1, 1)):
            grad = element(defs, "linearGradient", id=f"fade-{status}-{left}{right}")
            for offset, faded in ((0, left), (0.2, 0), (0.8, 0), (1, right)):
                element(grad, "stop", offset=offset, stop_color=colour,
                        stop_opacity=0.3 if faded else 1)


def _arrows(svg: ET.Element, plan: PlanView, axis: Axis, layout: Layout) -> None:
    """`after` dependencies: from the end of the predecessor to the start of the task."""
    by_ref = {task.ref: task for task in plan.tasks}  # an owner's view mixes plans
    group = element(svg, "g", class_="dependencies", aria_hidden="true")
    for task in plan.tasks:
        for before_id in task.after:
            before = by_ref.get(f"{task.timeline_id}/{before_id}")
            if before and before.due and task.start and task.ref in layout.rows:
                _arrow(group, before, task, axis, layout)


def _arrow(group: ET.Element, before: TaskMark, task: TaskMark, axis: Axis,
           layout: Layout) -> None:
    assert before.due is not None and task.start is not None
    x0, y0 = axis.x(before.due + ONE_DAY), layout.rows[before.ref]
    x1, y1 = axis.x(task.start), layout.rows[task.ref]
    bend = max(x0, x1 - 6)
    element(group, "path", d=f"M{num(x0)},{num(y0)} H{num(bend)} V{num(y1)} H{num(x1)}",
            fill="none", stroke=palette.ARROW, stroke_width=1.5, marker_end="url(#arrow)",
            data_from=before.ref, data_to=task.ref)


def _today(svg: ET.Element, axis: Axis, today: dt.date, height: float, lang: str) -> None:
    if not axis.contains(today):
        return
    x = axis.x(today)
    group = element(svg, "g", class_="today", data_date=today.isoformat())
    element(group, "line", x1=x, x2=x, y1=TOP - 4, y2=height, stroke=palette.TODAY,
            stroke_width=2)
    element(group, "text", _(lang, "today"), x=x + 4, y=TOP + 10, fill=palette.TODAY,
            font_size=12, font_weight="bold")


def gantt_svg(plan: PlanView, today: dt.date, zoom: str = "quarter") -> str:
    """The plan's timeline as an inline SVG document fragment."""
    lang = plan.lang
    axis = axis_for(plan, today, zoom)
    height = TOP + LANE_HEAD * len(plan.sections) + ROW * len(plan.tasks) + 8
    svg = root(axis.width, height, _(lang, "Timeline of {title}", title=plan.title),
               class_="gantt", data_zoom=zoom, data_axis_start=axis.start.isoformat(),
               data_axis_end=axis.end.isoformat(), data_px_per_day=axis.px_per_day,
               data_left=axis.left, data_today=today.isoformat())
    _gradients(svg)
    element(svg, "rect", x=0, y=0, width=axis.width, height=height, fill=palette.PAPER)
    back = element(svg, "g", class_="lanes", aria_hidden="true")
    _draw_axis(svg, axis, zoom, height, lang)
    layout = _lanes(svg, back, plan, axis, lang)
    _arrows(svg, plan, axis, layout)
    _today(svg, axis, today, height, lang)
    return serialize(svg)
