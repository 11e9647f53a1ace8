"""Turn a timeline file into tasks with concrete dates.

Order of precedence for a task's dates: explicit `start`/`due` in the file, then `after`
(the day after the latest predecessor's due, plus `lag`), then the `when` text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from graphlib import TopologicalSorter
from typing import Any

from timelines.checks import dependency_graph
from timelines.dates import DateSpan, parse_span, recurs_until
from timelines.dates.recurrence import due_days
from timelines.files import TaskSpec, TimelineFile
from timelines.occurrences import overrides_json

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ResolvedTask:
    timeline_id: str
    key: str
    title: str
    section: str
    when_text: str
    kind: str
    start: dt.date | None
    due: dt.date | None
    approximate: bool
    status: str
    owners: tuple[str, ...]
    participants: tuple[str, ...]
    after: tuple[str, ...] = ()
    lag_days: int = 0
    budget_text: str = ""
    budget_nok: int | None = None
    notes: str = ""
    line: int | None = None
    attention: str = ""
    policy: dict[str, Any] = field(default_factory=dict)
    recurrence: str = ""  # an RRULE of due days: the task recurs (see timelines.occurrences)
    until: dt.date | None = None
    occurrences: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        return (self.start, self.due)


@dataclass(frozen=True)
class ResolvedTimeline:
    id: str
    title: str
    lang: str | None
    ref_year: int | None
    source: str
    path: str
    owners: tuple[str, ...]
    roles: dict[str, str]
    policy: dict[str, Any]
    tasks: tuple[ResolvedTask, ...]


OwnDates = tuple[str, dt.date | None, dt.date | None, bool]


def _first_year(tl: TimelineFile) -> int | None:
    """The year a recurring task's series starts: the plan year, else the period's first."""
    header = tl.doc.timeline
    if header.ref_year is not None:
        return header.ref_year
    span = parse_span(header.period) if header.period else None
    return span.start.year if span and span.start else None


def _recurrence(tl: TimelineFile, spec: TaskSpec, span: DateSpan) -> DateSpan | None:
    """The task's series: an explicit `recurrence` wins over the `when` text (as `due` does),
    and explicit `start`/`due` make a `when` series a single dated task."""
    year = _first_year(tl)
    if spec.recurrence and year is not None:
        days = due_days(spec.recurrence, dt.date(year, 1, 1), dt.date(year + 50, 12, 31))
        if days:
            return DateSpan(spec.when, "recurring", None, days[0], False, spec.recurrence)
        return None
    if span.kind == "recurring" and not (spec.start or spec.due):
        return span
    return None


def _own_dates(tl: TimelineFile, spec: TaskSpec, span: DateSpan) -> OwnDates:
    start = spec.start or span.start
    due = spec.due or span.due
    kind = "dated" if (start or due) else span.kind
    return kind, start, due, span.approximate


def _series_fields(tl: TimelineFile, spec: TaskSpec, series: DateSpan) -> dict[str, Any]:
    header = tl.doc.timeline
    year = _first_year(tl) or (series.due.year if series.due else 2000)
    return {"kind": "recurring", "start": series.start, "due": series.due,
            "approximate": series.approximate, "recurrence": series.recurrence or "",
            "until": recurs_until(spec.until, header.period, year),
            "occurrences": overrides_json(spec.occurrence)}


def _base_task(tl: TimelineFile, spec: TaskSpec) -> ResolvedTask:
    header = tl.doc.timeline
    span = parse_span(spec.when, lang=header.lang, ref_year=header.ref_year)
    kind, start, due, approximate = _own_dates(tl, spec, span)
    series = _recurrence(tl, spec, span)
    task = _plain_task(tl, spec, kind, start, due, approximate)
    return replace(task, **_series_fields(tl, spec, series)) if series else task


def _plain_task(tl: TimelineFile, spec: TaskSpec, kind: str, start: dt.date | None,
                due: dt.date | None, approximate: bool) -> ResolvedTask:
    budget = spec.budget
    return ResolvedTask(
        timeline_id=tl.id, key=spec.id, title=spec.title, section=spec.section,
        when_text=spec.when, kind=kind, start=start, due=due, approximate=approximate,
        status=spec.status, owners=tuple(spec.owners or tl.doc.timeline.owners),
        participants=tuple(spec.participants), after=tuple(spec.after), lag_days=spec.lag_days,
        budget_text=budget.text if budget else "", budget_nok=budget.nok if budget else None,
        notes=spec.notes, line=spec.line, attention=spec.attention,
        policy=spec.policy.model_dump(exclude_none=True, mode="json") if spec.policy else {},
    )


def resolve_task(tl: TimelineFile, spec: TaskSpec) -> ResolvedTask:
    """One task from its own lines alone (not placed after its predecessors)."""
    return _base_task(tl, spec)


def _follow(task: ResolvedTask, spec: TaskSpec, preds: list[ResolvedTask]) -> ResolvedTask:
    """Place a dependent task after its predecessors, keeping its own duration."""
    dues = [p.due for p in preds if p.due]
    if not dues or spec.start or task.recurrence:  # a series keeps its own calendar
        return task
    start = max(dues) + ONE_DAY * (1 + task.lag_days)
    length = (task.due - task.start) if (task.start and task.due) else dt.timedelta(0)
    due = spec.due if (spec.due and spec.due >= start) else start + length
    return replace(task, kind="dated", start=start, due=due)


def resolve_timeline(tl: TimelineFile) -> ResolvedTimeline:
    specs = {spec.id: spec for spec in tl.doc.task}
    done: dict[str, ResolvedTask] = {}
    for key in TopologicalSorter(dependency_graph(tl)).static_order():
        task = _base_task(tl, specs[key])
        preds = [done[a] for a in specs[key].after if a in done]
        done[key] = _follow(task, specs[key], preds) if preds else task
    header = tl.doc.timeline
    return ResolvedTimeline(
        id=header.id, title=header.title, lang=header.lang, ref_year=header.ref_year,
        source=header.source, path=str(tl.path), owners=tuple(header.owners),
        roles=dict(header.roles),
        policy=header.policy.model_dump(exclude_none=True, mode="json") if header.policy else {},
        tasks=tuple(done[spec.id] for spec in tl.doc.task),
    )
