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
from timelines.dates import parse_span
from timelines.files import TaskSpec, TimelineFile

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


def _own_dates(tl: TimelineFile, spec: TaskSpec) -> OwnDates:
    header = tl.doc.timeline
    span = parse_span(spec.when, lang=header.lang, ref_year=header.ref_year)
    start = spec.start or span.start
    due = spec.due or span.due
    kind = "dated" if (start or due) else span.kind
    return kind, start, due, span.approximate


def _base_task(tl: TimelineFile, spec: TaskSpec) -> ResolvedTask:
    kind, start, due, approximate = _own_dates(tl, spec)
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


def _follow(task: ResolvedTask, spec: TaskSpec, preds: list[ResolvedTask]) -> ResolvedTask:
    """Place a dependent task after its predecessors, keeping its own duration."""
    dues = [p.due for p in preds if p.due]
    if not dues or spec.start:
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
