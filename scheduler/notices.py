"""Ledger rows → the Notices the notifier renders (read in the claim transaction)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, col, select

from notifiers.base import FailureLine, Notice, PermanentDeliveryError, TaskView
from scheduler.planning import payload_dates
from scheduler.policy import local_today
from scheduler.recipients import display_names, recipient
from timelines.base.i18n import named, pick_lang
from timelines.base.status import OPEN_STATUSES
from timelines.checks import people_for
from timelines.config import Config
from timelines.dates import parse_span
from timelines.model import Reminder, Task, Timeline
from timelines.occurrences import occurrence_named

# The feeds engineer (#7) plugs in a function owner key → private subscription URL here.
FeedUrl = Callable[[str], str | None]


def task_view(config: Config, task: Task, timeline: Timeline | None) -> TaskView:
    roles = timeline.roles if timeline else {}
    keys = [*task.owners, *task.participants]
    return TaskView(
        timeline_id=task.timeline_id, timeline_title=timeline.title if timeline else "",
        timeline_lang=timeline.lang if timeline else None, section=task.section,
        task_id=task.key, title=task.title, when_text=task.when_text, kind=task.kind,
        start=task.start, due=task.due, approximate=task.approximate, status=task.status,
        owners=display_names(config, task.owners, roles),
        participants=display_names(config, task.participants, roles),
        date_version=task.date_version, sequence=task.sequence, notes=task.notes,
        reaches={name: tuple(people_for(config, key)) for key, name
                 in zip(keys, display_names(config, keys, roles), strict=True)},
        due_from_when=due_from_when(task, timeline))


def due_from_when(task: Task, timeline: Timeline | None) -> bool:
    """Is the task's deadline what its `when` text says? Not when an explicit `due` or an
    `after` put it elsewhere: the row keeps only the result, so the text is read again here
    (as `resolve` read it: the timeline's language and reference year)."""
    if task.due is None or not task.when_text.strip():
        return False
    span = parse_span(task.when_text, lang=timeline.lang if timeline else None,
                      ref_year=timeline.ref_year if timeline else None)
    return span.due == task.due


class Lookup:
    """Tasks and timelines for a batch of rows, each loaded once and kept (the session's
    identity map holds objects weakly, so repeated `get`s would query again)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tasks: dict[int, Task] = {}
        self.timelines: dict[str, Timeline] = {}
        # A task with five owners is five rows of a batch: its view is built once (views
        # are frozen, and the batch reads one config and one database state).
        self.views: dict[int, TaskView] = {}

    def preload(self, rows: list[Reminder]) -> None:
        pks = {r.task_pk for r in rows if r.task_pk is not None}
        pks |= {pk for r in rows for pk in r.payload.get("tasks", [])}
        missing = pks - set(self.tasks)
        if missing:
            found = self.session.exec(select(Task).where(col(Task.pk).in_(missing))).all()
            self.tasks.update((t.pk, t) for t in found if t.pk is not None)
        ids = {t.timeline_id for t in self.tasks.values()} - set(self.timelines)
        if ids:
            found_tl = self.session.exec(select(Timeline).where(col(Timeline.id).in_(ids)))
            self.timelines.update((tl.id, tl) for tl in found_tl.all())

    def task(self, pk: int | None) -> Task | None:
        if pk is not None and pk not in self.tasks:
            task = self.session.get(Task, pk)
            if task is not None:
                self.tasks[pk] = task
        return self.tasks.get(pk) if pk is not None else None

    def view(self, config: Config, pk: int | None) -> TaskView | None:
        if pk is not None and pk in self.views:
            return self.views[pk]
        task = self.task(pk)
        if task is None or pk is None:
            return None
        view = task_view(config, task, self.timelines.get(task.timeline_id)
                         or self.session.get(Timeline, task.timeline_id))
        self.views[pk] = view
        return view


class NothingToSend(Exception):
    """A digest whose tasks were all closed meanwhile: the row is dropped, not sent."""


class UnknownRecipient(Exception):
    """The row's person is not in the config in force (added to fristvakt.toml after this
    process read it, or removed and perhaps coming back): the row waits, it does not die."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def _digest_tasks(lookup: Lookup, config: Config, row: Reminder) -> tuple[TaskView, ...]:
    # Only what is still open when the digest goes out: a recurring task by its occurrences.
    listed = [(pk, label) for pk, label in row.payload.get("occurrences", [])]
    recurring = {pk for pk, _ in listed}
    views = [lookup.view(config, pk) for pk in row.payload.get("tasks", [])
             if pk not in recurring]
    views += [_occurrence_item(lookup, config, pk, label) for pk, label in listed]
    open_views = tuple(v for v in views if v is not None and v.status in OPEN_STATUSES)
    if not open_views:
        raise NothingToSend(row.idem_key)
    return open_views


def _failures(lookup: Lookup, row: Reminder) -> tuple[FailureLine, ...]:
    lines = []
    if row.payload.get("outage"):  # the route was down: no reminder is lost, all are late
        lines.append(FailureLine("SMTP", row.payload.get("since", ""), row.payload["outage"]))
    for dead_id in row.payload.get("reminders", []):
        dead = lookup.session.get(Reminder, dead_id)
        if dead is None:
            continue
        task = lookup.task(dead.task_pk)
        lines.append(FailureLine(task.title if task else dead.kind,
                                 f"{dead.recipient} <{dead.email}>", dead.last_error))
    return tuple(lines)


def _old_dates(row: Reminder) -> tuple[dt.date | None, dt.date | None] | None:
    raw = row.payload.get("old")
    return payload_dates(raw) if raw else None


def _tasks(lookup: Lookup, config: Config, row: Reminder) -> tuple[TaskView, ...]:
    if row.kind == "digest":
        return _digest_tasks(lookup, config, row)
    if row.kind == "alert":
        return ()
    view = lookup.view(config, row.task_pk)
    if view is None:
        raise PermanentDeliveryError(f"task of reminder {row.id} no longer exists")
    return (occurrence_view(lookup, config, row.task_pk, row.occurrence, view),)


def _occurrence_item(lookup: Lookup, config: Config, pk: int, label: str) -> TaskView | None:
    """A digest's line about one occurrence; None when the series no longer has it."""
    view, task = lookup.view(config, pk), lookup.task(pk)
    if view is None or task is None or occurrence_named(task, label) is None:
        return None
    return occurrence_view(lookup, config, pk, label, view)


def occurrence_view(lookup: Lookup, config: Config, pk: int | None, label: str,
                    view: TaskView) -> TaskView:
    """One occurrence of a recurring task: its name, dates and status."""
    task = lookup.task(pk)
    occ = occurrence_named(task, label) if task and label else None
    if occ is None:
        return view
    lang = pick_lang(None, view.timeline_lang, config.lang)
    return dataclasses.replace(
        view, title=named(view.title, occ.label, lang),
        start=occ.start, due=occ.due, status=occ.status, occurrence=occ.label,
        planned=occ.planned, due_from_when=view.due_from_when and not occ.moved)


def build_notice(lookup: Lookup, config: Config, row: Reminder, now: dt.datetime,
                 feed_url: FeedUrl | None = None, installation: str = "") -> Notice:
    """Everything the message needs; PermanentDeliveryError if it can no longer be written
    (the task is gone), UnknownRecipient if the person is not in the config now."""
    try:
        person = recipient(config, row.recipient)
    except KeyError:
        raise UnknownRecipient(row.recipient) from None
    return Notice(
        kind=row.kind,  # type: ignore[arg-type]
        recipient=person, tasks=_tasks(lookup, config, row), idem_key=row.idem_key,
        today=local_today(now, row.zone), feed_url=feed_url(row.recipient) if feed_url else None,
        moved=_old_dates(row), failures=_failures(lookup, row) if row.kind == "alert" else (),
        installation=installation)
