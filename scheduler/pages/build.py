"""Page records from resolved timelines, so the pages show what `apply` would store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from scheduler.agenda import task_people
from scheduler.pages.model import (
    AnswerMark,
    OccurrenceMark,
    PlanCounts,
    PlanView,
    Section,
    TaskMark,
)
from timelines.base.i18n import named
from timelines.base.status import OPEN_STATUSES
from timelines.config import Config
from timelines.occurrences import occurrences_of
from timelines.resolve import ResolvedTask, ResolvedTimeline

NO_ANSWER = AnswerMark(status=None)


def occurrence_marks(task: ResolvedTask, lang: str, today: dt.date) -> tuple[OccurrenceMark, ...]:
    """The occurrences of a recurring task as the engine plans them (moved and closed one
    by one by the file or an owner's answer); () if the task does not recur."""
    return tuple(OccurrenceMark(occ.label, named(task.title, occ.label, lang), occ.due,
                                occ.status, occ.status in OPEN_STATUSES and occ.due < today)
                 for occ in occurrences_of(task))


def display_names(config: Config, keys: Iterable[str], roles: Mapping[str, str]) -> tuple[str, ...]:
    """A person's name, a role's label (config, then the file's own roles), else the key."""
    names = []
    for key in keys:
        if key in config.owners:
            names.append(config.owners[key].name)
        elif key in config.roles and config.roles[key].label:
            names.append(config.roles[key].label)
        else:
            names.append(roles.get(key, key))
    return tuple(names)


def _is_overdue(task: ResolvedTask, today: dt.date,
                occurrences: tuple[OccurrenceMark, ...]) -> bool:
    """Past its due day and open; a recurring task: by one of its occurrences."""
    if occurrences:
        return any(occ.overdue for occ in occurrences)
    return task.status in OPEN_STATUSES and task.due is not None and task.due < today


def task_mark(config: Config, tl: ResolvedTimeline, task: ResolvedTask, today: dt.date,
              answer: AnswerMark = NO_ANSWER) -> TaskMark:
    """One task's mark: names for owners, overdue against `today`, the owner's answer."""
    occurrences = occurrence_marks(task, tl.lang or config.lang, today)
    return TaskMark(
        timeline_id=tl.id, task_id=task.key, title=task.title, section=task.section,
        start=task.start, due=task.due, status=task.status,
        approximate_start=task.approximate and task.start is not None,
        approximate_due=task.approximate and task.due is not None,
        answer=answer.status, overdue=_is_overdue(task, today, occurrences),
        unanswered=answer.asked and answer.status is None and task.status in OPEN_STATUSES,
        owners=display_names(config, task.owners, tl.roles),
        owner_keys=task_people(config, task), when_text=task.when_text,
        note=answer.note, after=task.after, occurrences=occurrences,
    )


def _sections(marks: Iterable[TaskMark]) -> tuple[Section, ...]:
    """Tasks grouped by section, sections in the order they first appear."""
    grouped: dict[str, list[TaskMark]] = {}
    for mark in marks:
        grouped.setdefault(mark.section, []).append(mark)
    return tuple(Section(title, tuple(tasks)) for title, tasks in grouped.items())


def plan_view(config: Config, tl: ResolvedTimeline, today: dt.date,
              answers: Mapping[str, AnswerMark] | None = None) -> PlanView:
    """A timeline as a page: `answers` by `<timeline>/<task>` (none yet: nothing asked)."""
    found = answers or {}
    marks = [task_mark(config, tl, task, today, found.get(f"{tl.id}/{task.key}", NO_ANSWER))
             for task in tl.tasks]
    return PlanView(tl.id, tl.title, tl.lang or config.lang, _sections(marks))


def owner_view(plans: Iterable[PlanView], owner: str, title: str, lang: str) -> PlanView:
    """One person's tasks across plans, each plan a section (owner key, not name)."""
    sections = []
    for plan in plans:
        mine = tuple(task for task in plan.tasks if owner in task.owner_keys)
        if mine:
            sections.append(Section(plan.title, mine))
    return PlanView(f"owner-{owner}", title, lang, tuple(sections))


def counts(plan: PlanView) -> PlanCounts:
    """The overview's numbers for one plan (cancelled tasks count for nothing)."""
    live = [task for task in plan.tasks if task.status != "cancelled"]
    return PlanCounts(
        timeline_id=plan.timeline_id, title=plan.title,
        done=sum(task.status == "done" for task in live),
        on_track=sum(task.answer == "on_track" for task in live),
        delayed=sum(task.answer in ("delayed", "blocked") for task in live),
        overdue=sum(task.overdue for task in live),
        no_answer=sum(task.unanswered for task in live), total=len(live),
    )
