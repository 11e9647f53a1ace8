"""Which tasks are coming up for whom (the `agenda` command)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from timelines.base.status import OPEN_STATUSES
from timelines.checks import people_for
from timelines.config import Config
from timelines.occurrences import occurrences_of
from timelines.resolve import ResolvedTask, ResolvedTimeline


@dataclass(frozen=True)
class AgendaItem:
    timeline_id: str
    timeline_title: str
    task: ResolvedTask
    people: tuple[str, ...]
    overdue: bool
    occurrence: str = ""  # of a recurring task: "2025" (the task then has its dates)

    def as_json(self) -> dict[str, object]:
        t = self.task
        return {
            "timeline": self.timeline_id, "timeline_title": self.timeline_title, "task": t.key,
            "occurrence": self.occurrence or None,
            "title": t.title, "section": t.section, "when": t.when_text, "kind": t.kind,
            "start": t.start, "due": t.due, "approximate": t.approximate, "status": t.status,
            "owners": list(t.owners), "participants": list(t.participants),
            "people": list(self.people), "overdue": self.overdue,
        }


def task_people(config: Config, task: ResolvedTask) -> tuple[str, ...]:
    """Owner keys reached by the task's owners and participants, in order, once each."""
    keys = [p for key in (*task.owners, *task.participants) for p in people_for(config, key)]
    return tuple(dict.fromkeys(keys))


def _relevant(task: ResolvedTask, horizon: dt.date) -> bool:
    # Overdue open tasks stay on the agenda until someone marks them done.
    moment = task.due or task.start
    return task.status in OPEN_STATUSES and moment is not None and moment <= horizon


def agenda(config: Config, timelines: list[ResolvedTimeline], today: dt.date, days: int,
           owner: str | None = None) -> list[AgendaItem]:
    """Open tasks due (or starting) by `today + days`, overdue ones included, soonest first."""
    horizon = today + dt.timedelta(days=days)
    items = []
    for tl in timelines:
        for task, occurrence in (one for each in tl.tasks for one in units(each)):
            people = task_people(config, task)
            if not _relevant(task, horizon) or (owner and owner not in people):
                continue
            overdue = task.due is not None and task.due < today
            items.append(AgendaItem(tl.id, tl.title, task, people, overdue, occurrence))
    return sorted(items, key=lambda i: (i.task.due or i.task.start or today, i.task.title))


def units(task: ResolvedTask) -> Iterator[tuple[ResolvedTask, str]]:
    """The task, or each occurrence of a recurring one as a dated task of its own."""
    if not task.recurrence:
        yield task, ""
        return
    for occ in occurrences_of(task):
        yield replace(task, kind="dated", start=occ.start, due=occ.due,
                      status=occ.status), occ.label
