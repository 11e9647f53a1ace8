"""Ledger rows → the Notices the notifier renders (read in the claim transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session

from notifiers.base import FailureLine, Notice, PermanentDeliveryError, TaskView
from scheduler.policy import OPEN, local_today
from scheduler.recipients import display_names, recipient
from timelines.config import Config
from timelines.model import Reminder, Task, Timeline

# The feeds engineer (#7) plugs in a function owner key → private subscription URL here.
FeedUrl = Callable[[str], str | None]


def task_view(config: Config, task: Task, timeline: Timeline | None) -> TaskView:
    roles = timeline.roles if timeline else {}
    return TaskView(
        timeline_id=task.timeline_id, timeline_title=timeline.title if timeline else "",
        timeline_lang=timeline.lang if timeline else None, section=task.section,
        task_id=task.key, title=task.title, when_text=task.when_text, kind=task.kind,
        start=task.start, due=task.due, approximate=task.approximate, status=task.status,
        owners=display_names(config, task.owners, roles),
        participants=display_names(config, task.participants, roles),
        date_version=task.date_version)


def _view(session: Session, config: Config, task_pk: int | None) -> TaskView | None:
    task = session.get(Task, task_pk) if task_pk is not None else None
    if task is None:
        return None
    return task_view(config, task, session.get(Timeline, task.timeline_id))


class NothingToSend(Exception):
    """A digest whose tasks were all closed meanwhile: the row is dropped, not sent."""


def _digest_tasks(session: Session, config: Config, row: Reminder) -> tuple[TaskView, ...]:
    # Only what is still open when the digest goes out.
    views = [_view(session, config, pk) for pk in row.payload.get("tasks", [])]
    open_views = tuple(v for v in views if v is not None and v.status in OPEN)
    if not open_views:
        raise NothingToSend(row.idem_key)
    return open_views


def _failures(session: Session, row: Reminder) -> tuple[FailureLine, ...]:
    lines = []
    for dead_id in row.payload.get("reminders", []):
        dead = session.get(Reminder, dead_id)
        if dead is None:
            continue
        task = session.get(Task, dead.task_pk) if dead.task_pk is not None else None
        lines.append(FailureLine(task.title if task else dead.kind,
                                 f"{dead.recipient} <{dead.email}>", dead.last_error))
    return tuple(lines)


def _old_dates(row: Reminder) -> tuple[dt.date | None, dt.date | None] | None:
    raw = row.payload.get("old")
    if not raw:
        return None
    return (dt.date.fromisoformat(raw[0]) if raw[0] else None,
            dt.date.fromisoformat(raw[1]) if raw[1] else None)


def _tasks(session: Session, config: Config, row: Reminder) -> tuple[TaskView, ...]:
    if row.kind == "digest":
        return _digest_tasks(session, config, row)
    if row.kind == "alert":
        return ()
    view = _view(session, config, row.task_pk)
    if view is None:
        raise PermanentDeliveryError(f"task of reminder {row.id} no longer exists")
    return (view,)


def build_notice(session: Session, config: Config, row: Reminder, now: dt.datetime,
                 feed_url: FeedUrl | None = None) -> Notice:
    """Everything the message needs; PermanentDeliveryError if it can no longer be written
    (the person was removed from fristvakt.toml, the task is gone)."""
    try:
        person = recipient(config, row.recipient)
    except KeyError:
        raise PermanentDeliveryError(
            f"{row.recipient!r} is no longer in fristvakt.toml [owners]") from None
    return Notice(
        kind=row.kind,  # type: ignore[arg-type]
        recipient=person, tasks=_tasks(session, config, row), idem_key=row.idem_key,
        today=local_today(now, row.zone), feed_url=feed_url(row.recipient) if feed_url else None,
        moved=_old_dates(row), failures=_failures(session, row) if row.kind == "alert" else ())
