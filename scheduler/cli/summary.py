"""What `apply` did to the reminder plan, and when `run` has something to do next.

The ledger is read as it stands before and after an apply, in the same transaction, so the
coordinator is told what was planned even when no task in the files changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from scheduler.states import ReminderStatus
from timelines.base.i18n import _, _n
from timelines.base.status import OPEN_STATUSES
from timelines.model import Reminder, Task
from timelines.resolve import ResolvedTimeline

WAITING = (ReminderStatus.PENDING, ReminderStatus.RETRY)
# The first and the last date of a plan's open tasks (none: it has no dated open task).
Span = tuple[str, dt.date, dt.date]
# A replay starts this long before a plan's first date, so its earliest reminders are planned.
REPLAY_LEAD = dt.timedelta(days=30)


@dataclass(frozen=True)
class PlanState:
    """The reminders waiting to be sent: how many, and when `run` sends the first of them
    (a pending one at its send time, a retry at its next attempt)."""

    count: int
    first: dt.datetime | None


def plan_state(session: Session) -> PlanState:
    """The waiting rows of the ledger as they stand in `session` (counted by the database:
    a whole country's ledger is never read into memory for it). Both come from the index
    on (status, next_attempt_at): the first send time alone would read every waiting row."""
    stmt = select(func.count(), func.min(Reminder.next_attempt_at)).where(
        col(Reminder.status).in_(WAITING))
    count, first = session.exec(stmt).one()
    return PlanState(count, aware(first) if first else None)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive instants; the ledger stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def local(moment: dt.datetime, zone: str) -> str:
    """An instant as the coordinator reads it: `2026-12-02 08:00 CET`."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def open_dates(tl: ResolvedTimeline) -> list[dt.date]:
    """Every date of every open task of a plan."""
    return [day for task in tl.tasks if task.status in OPEN_STATUSES
            for day in (task.start, task.due) if day]


def planned_line(lang: str, state: PlanState, zone: str) -> str:
    """`14 reminders planned, next on …`, or that none is."""
    if state.first is None:
        return _(lang, "no reminders planned")
    return _n(lang, "{n} reminder planned, next on {next}", "{n} reminders planned, next on {next}",
              state.count, next=local(state.first, zone))


def span(tl: ResolvedTimeline) -> Span | None:
    """The first and last date of the open tasks of a plan read now."""
    dates = open_dates(tl)
    return (tl.id, min(dates), max(dates)) if dates else None


def stored_spans(session: Session, timelines: set[str]) -> dict[str, Span]:
    """The same of plans left unread, from their open tasks as stored (one grouped query)."""
    live = and_(col(Task.removed_at).is_(None), col(Task.status).in_(OPEN_STATUSES))
    stmt = sa.select(col(Task.timeline_id), func.min(Task.start), func.max(Task.start),
                     func.min(Task.due), func.max(Task.due)).where(live).group_by(
                         col(Task.timeline_id))
    found = {}
    for tl_id, *ends in session.execute(stmt).all():
        dates = [day for day in ends if day is not None]
        if tl_id in timelines and dates:
            found[tl_id] = (tl_id, min(dates), max(dates))
    return found


def stored_undated(session: Session, timelines: set[str]) -> int:
    """How many open tasks of plans left unread have no date, as stored."""
    stmt = select(Task.timeline_id, func.count()).where(
        col(Task.removed_at).is_(None), col(Task.status).in_(OPEN_STATUSES),
        col(Task.start).is_(None), col(Task.due).is_(None)).group_by(Task.timeline_id)
    return sum(n for tl_id, n in session.exec(stmt).all() if tl_id in timelines)


def undated_line(lang: str, count: int) -> str | None:
    """The undated tasks of the files left unread, each told when its file was read."""
    if not count:
        return None
    return _n(lang, "{n} open task in files unchanged since they were last read has no date "
                    "(`fristvakt validate` lists it)",
              "{n} open tasks in files unchanged since they were last read have no date "
              "(`fristvakt validate` lists them)", count)


def past_hints(lang: str, spans: Iterable[Span | None], today: dt.date) -> list[str]:
    """For each plan whose dates all lie before today: say so, and how to replay it."""
    return [hint for found in spans if found and (hint := past_hint(lang, found, today))]


def past_hint(lang: str, found: Span, today: dt.date) -> str | None:
    """When every date of a plan lies before today, that and the --now that replays it."""
    tl_id, first, last = found
    if last >= today:
        return None
    replay = f"{first - REPLAY_LEAD:%Y-%m-%d}T08:00"
    return _(lang, "{timeline}: every date lies in the past (the last is {last}), so it gets no "
                   "reminders; to replay it as if it were earlier: fristvakt apply --now {now}",
             timeline=tl_id, last=last, now=replay)


def replanned_line(lang: str, before: PlanState, after: PlanState, changed: int) -> str | None:
    """The plan changed although no task did (another --now, another policy): `changed`
    waiting rows were added or superseded. None when it did not."""
    if not changed:
        return None
    return _(lang, "no task changed, but the reminder plan did: {before} → {after} waiting",
             before=before.count, after=after.count)


def next_line(lang: str, first: dt.datetime | None, zone: str) -> str:
    """After a pass: when the next reminder is due, or that none is planned."""
    if first is None:
        return _(lang, "no reminders planned")
    return _(lang, "next reminder: {next}", next=local(first, zone))
