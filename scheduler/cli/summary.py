"""What `apply` did to the reminder plan, and when `run` has something to do next.

The ledger is read as it stands before and after an apply, in the same transaction, so the
coordinator is told what was planned even when no task in the files changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from scheduler.states import ReminderStatus
from timelines.base.i18n import _, _n
from timelines.base.status import OPEN_STATUSES
from timelines.model import Reminder
from timelines.resolve import ResolvedTimeline

WAITING = (ReminderStatus.PENDING, ReminderStatus.RETRY)
# A replay starts this long before a plan's first date, so its earliest reminders are planned.
REPLAY_LEAD = dt.timedelta(days=30)


@dataclass(frozen=True)
class PlanState:
    """The reminders waiting to be sent: how many, and the first of them."""

    count: int
    first: dt.datetime | None


def plan_state(session: Session) -> PlanState:
    """The waiting rows of the ledger as they stand in `session` (counted by the database:
    a whole country's ledger is never read into memory for it)."""
    stmt = select(func.count(), func.min(Reminder.send_at)).where(
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


def past_hints(lang: str, timelines: Iterable[ResolvedTimeline], today: dt.date) -> list[str]:
    """For each plan whose dates all lie before today: say so, and how to replay it."""
    return [hint for tl in timelines if (hint := past_hint(lang, tl, today))]


def past_hint(lang: str, tl: ResolvedTimeline, today: dt.date) -> str | None:
    """When every date of `tl` lies before today, that and the --now that replays it."""
    dates = open_dates(tl)
    if not dates or max(dates) >= today:
        return None
    replay = f"{min(dates) - REPLAY_LEAD:%Y-%m-%d}T08:00"
    return _(lang, "{timeline}: every date lies in the past (the last is {last}), so it gets no "
                   "reminders; to replay it as if it were earlier: fristvakt apply --now {now}",
             timeline=tl.id, last=max(dates), now=replay)


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
