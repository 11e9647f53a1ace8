"""The plans as `apply` stored them (with the owners' "done" already applied) and the
owners' latest answers, as page records: what the served pages and the report draw."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from scheduler.answers import rounds, store
from scheduler.pages.build import plan_view
from scheduler.pages.model import AnswerMark, PlanView
from timelines.config import Config
from timelines.model import Reminder, Task, Timeline
from timelines.resolve import ResolvedTask, ResolvedTimeline


def _resolved_task(task: Task) -> ResolvedTask:
    return ResolvedTask(
        timeline_id=task.timeline_id, key=task.key, title=task.title, section=task.section,
        when_text=task.when_text, kind=task.kind, start=task.start, due=task.due,
        approximate=task.approximate, status=task.status, owners=tuple(task.owners),
        participants=tuple(task.participants), after=tuple(task.after),
        lag_days=task.lag_days, budget_text=task.budget_text, budget_nok=task.budget_nok,
        notes=task.notes, line=task.line, attention=task.attention, policy=task.policy,
        recurrence=task.recurrence, until=task.until, occurrences=dict(task.occurrences))


def stored_timelines(session: Session) -> list[ResolvedTimeline]:
    """Every applied timeline with its live tasks, in the files' order."""
    query = select(Timeline).where(col(Timeline.removed_at).is_(None)).order_by(col(Timeline.id))
    return [_resolved(session, tl) for tl in session.exec(query).all()]


def _resolved(session: Session, tl: Timeline) -> ResolvedTimeline:
    query = (select(Task).where(Task.timeline_id == tl.id, col(Task.removed_at).is_(None))
             .order_by(col(Task.line), col(Task.pk)))
    tasks = tuple(_resolved_task(task) for task in session.exec(query).all())
    return ResolvedTimeline(tl.id, tl.title, tl.lang, tl.ref_year, tl.source, tl.path,
                            tuple(tl.owners), dict(tl.roles), dict(tl.policy), tasks)


def _asked(session: Session, config: Config) -> set[tuple[str, str]]:
    """Tasks whose people were asked: a reminder went out, or a status round asked them."""
    query = (select(Task.timeline_id, Task.key)
             .join(Reminder, col(Reminder.task_pk) == col(Task.pk))
             .where(Reminder.status == "sent"))
    found = {(row[0], row[1]) for row in session.exec(query).all()}
    for r in config.status_round:
        for person in config.owners:
            if store.mailed(session, f"{rounds.round_key(r)}:ask:{person}"):
                found |= {(task.timeline_id, task.key)
                          for task in rounds.round_tasks(session, config, r, person)}
    return found


def answer_marks(session: Session, config: Config) -> dict[str, AnswerMark]:
    """The newest status answer per task (by `<timeline>/<task>`), and who was asked."""
    statuses = store.latest_statuses(session)
    asked = _asked(session, config)
    marks = {f"{tl}/{key}": AnswerMark(a.status, a.note, True)
             for (tl, key), a in statuses.items()}
    for tl, key in asked:
        marks.setdefault(f"{tl}/{key}", AnswerMark(None, "", True))
    return marks


def plan_views(session: Session, config: Config, today: dt.date) -> list[PlanView]:
    marks = answer_marks(session, config)
    return [plan_view(config, tl, today, marks) for tl in stored_timelines(session)]
