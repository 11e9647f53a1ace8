"""Turn a timeline file into tasks with concrete dates.

Order of precedence for a task's dates: explicit `start`/`due` in the file, then `after`
(the day after the latest predecessor's due, plus `lag`), then the `when` text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from graphlib import TopologicalSorter
from typing import Any, cast

from timelines.checks import dependency_graph
from timelines.dates import DateSpan, parse_span, recurs_until
from timelines.dates.recurrence import due_days
from timelines.files import TaskSpec, TimelineFile
from timelines.occurrences import overrides_json

ONE_DAY = dt.timedelta(days=1)


# Not frozen, though nothing assigns to one (`dataclasses.replace` makes a changed copy): a
# frozen dataclass's `__init__` sets each of these 23 fields through `object.__setattr__`, five
# times the cost of a plain one, and a country's 100,000 tasks are made on every read (half a
# second of a `validate` or an `apply` at 100k). Never hashed: `policy` is a dict.
@dataclass
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


@lru_cache(maxsize=8192)
def _when(text: str, lang: str | None, ref_year: int | None) -> DateSpan:
    """`parse_span`, once per text, language and plan year (everything a reading depends on):
    a large plan repeats its `when` texts, most of them empty."""
    return parse_span(text, lang=lang, ref_year=ref_year)


def _recurrence(tl: TimelineFile, spec: TaskSpec, span: DateSpan) -> DateSpan | None:
    """The task's series: an explicit `recurrence` wins over the `when` text (as `due` does),
    and explicit `start`/`due` make a `when` series a single dated task."""
    year = _first_year(tl) if spec.recurrence else None
    if spec.recurrence and year is not None:
        days = due_days(spec.recurrence, dt.date(year, 1, 1), dt.date(year + 50, 12, 31))
        if days:
            return DateSpan(spec.when, "recurring", None, days[0], False, spec.recurrence)
        return None
    if span.kind == "recurring" and not (spec.start or spec.due):
        return span
    return None


def _own_dates(spec: TaskSpec, span: DateSpan) -> OwnDates:
    start = spec.start or span.start
    due = spec.due or span.due
    kind = "dated" if (start or due) else span.kind
    return kind, start, due, span.approximate


def _placed(spec: TaskSpec, own: OwnDates, preds: list[ResolvedTask]) -> OwnDates:
    """A dependent task's dates after its predecessors, keeping its own duration."""
    kind, start, due, approximate = own
    dues = [p.due for p in preds if p.due]
    if not dues or spec.start:
        return own
    first = max(dues) + ONE_DAY * (1 + spec.lag_days)
    length = (due - start) if (start and due) else dt.timedelta(0)
    return "dated", first, spec.due if (spec.due and spec.due >= first) else first + length, \
        approximate


def _series_fields(tl: TimelineFile, spec: TaskSpec, series: DateSpan) -> dict[str, Any]:
    header = tl.doc.timeline
    year = _first_year(tl) or (series.due.year if series.due else 2000)
    return {"kind": "recurring", "start": series.start, "due": series.due,
            "approximate": series.approximate, "recurrence": series.recurrence or "",
            "until": recurs_until(spec.until, header.period, year),
            "occurrences": overrides_json(spec.occurrence)}


def _task(tl: TimelineFile, spec: TaskSpec, preds: list[ResolvedTask]) -> ResolvedTask:
    """One task, placed after its (already resolved) predecessors."""
    header = tl.doc.timeline
    span = _when(spec.when, header.lang, header.ref_year)
    own = _own_dates(spec, span)
    series = _recurrence(tl, spec, span)
    if series is None:  # the common case: the task is built once, with its final dates
        return _plain_task(tl, spec, *_placed(spec, own, preds))
    task = replace(_plain_task(tl, spec, *own), **_series_fields(tl, spec, series))
    return _follow(task, spec, preds) if preds else task


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
    return _task(tl, spec, [])


def _follow(task: ResolvedTask, spec: TaskSpec, preds: list[ResolvedTask]) -> ResolvedTask:
    """Place a dependent task after its predecessors, keeping its own duration."""
    if task.recurrence:  # a series keeps its own calendar
        return task
    own = (task.kind, task.start, task.due, task.approximate)
    placed = _placed(spec, own, preds)
    return task if placed is own else replace(task, kind=placed[0], start=placed[1],
                                              due=placed[2])


def _order(tl: TimelineFile) -> Iterator[str]:
    """Every task id, each after those it waits for: the linked ones sorted, then the rest."""
    graph = dependency_graph(tl)
    yield from TopologicalSorter(graph).static_order()
    yield from (task.id for task in tl.doc.task if task.id not in graph)


def resolve_timeline(tl: TimelineFile) -> ResolvedTimeline:
    """The file's tasks with concrete dates; worked out once per TimelineFile (the checks,
    the warnings and the commands that use a project each ask for it)."""
    if tl.resolution is None:
        tl.resolution = _resolved(tl)
    return cast(ResolvedTimeline, tl.resolution)


def _resolved(tl: TimelineFile) -> ResolvedTimeline:
    specs = {spec.id: spec for spec in tl.doc.task}
    done: dict[str, ResolvedTask] = {}
    for key in _order(tl):
        if key not in done:  # a duplicate id: resolved once, from its last task (as before)
            spec = specs[key]
            done[key] = _task(tl, spec, [done[a] for a in spec.after if a in done])
    header = tl.doc.timeline
    return ResolvedTimeline(
        id=header.id, title=header.title, lang=header.lang, ref_year=header.ref_year,
        source=header.source, path=str(tl.path), owners=tuple(header.owners),
        roles=dict(header.roles),
        policy=header.policy.model_dump(exclude_none=True, mode="json") if header.policy else {},
        tasks=tuple(done[spec.id] for spec in tl.doc.task),
    )
