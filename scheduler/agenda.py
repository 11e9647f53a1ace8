"""Which tasks are coming up for whom (the `agenda` command)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from timelines.base.status import OPEN_STATUSES
from timelines.checks import people_for
from timelines.config import Config
from timelines.resolve import ResolvedTask, ResolvedTimeline


@dataclass(frozen=True)
class AgendaItem:
    timeline_id: str
    timeline_title: str
    task: ResolvedTask
    people: tuple[str, ...]
    overdue: bool

    def as_json(self) -> dict[str, object]:
        t = self.task
        return {
            "timeline": self.timeline_id, "timeline_title": self.timeline_title, "task": t.key,
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
        for task in tl.tasks:
            people = task_people(config, task)
            if not _relevant(task, horizon) or (owner and owner not in people):
                continue
            overdue = task.due is not None and task.due < today
            items.append(AgendaItem(tl.id, tl.title, task, people, overdue))
    return sorted(items, key=lambda i: (i.task.due or i.task.start or today, i.task.title))
