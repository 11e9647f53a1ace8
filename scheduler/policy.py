"""Reminder policy: which messages a task deserves, and at which instant each goes out.

All date arithmetic is done on local dates in the recipient's zone, then combined with the
send time in that zone: "3 days before at 08:00" is 08:00 local even when a DST switch lies
in between (subtracting 72 hours would give 07:00 or 09:00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from timelines.base.status import OPEN_STATUSES
from timelines.base.workdays import ONE_DAY, Offset, WorkCalendar, calendar_for, reminder_day
from timelines.config import Policy

UTC = dt.UTC
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def local_instant(day: dt.date, at: dt.time, zone: str) -> dt.datetime:
    """`day` at local time `at` in `zone`, as a UTC instant (a time inside a DST gap is
    read with the offset before the switch, as zoneinfo does)."""
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_today(now: dt.datetime, zone: str) -> dt.date:
    return now.astimezone(ZoneInfo(zone)).date()


@dataclass(frozen=True)
class Planned:
    """One message the policy asks for; `expire_at`: after this it is reported, not sent."""

    rule: str
    kind: str
    local_date: dt.date
    local_time: dt.time
    zone: str
    expire_at: dt.datetime

    @property
    def send_at(self) -> dt.datetime:
        return local_instant(self.local_date, self.local_time, self.zone)


@dataclass(frozen=True)
class TaskDates:
    start: dt.date | None
    due: dt.date | None
    status: str


def _expiry(policy: Policy, cal: WorkCalendar, day: dt.date, zone: str,
            deadline: dt.date | None) -> dt.datetime:
    """Stale after max lateness, and in any case once the day it points at has passed."""
    late = local_instant(cal.shift(day, Offset.parse(policy.max_lateness), +1),
                         policy.send_time, zone)
    if deadline is None:
        return late
    return min(late, local_instant(deadline + ONE_DAY, dt.time(0), zone))


def _before(policy: Policy, cal: WorkCalendar, kind: str, anchor: dt.date, text: str,
            zone: str) -> Planned:
    day = reminder_day(cal, anchor, text)
    return Planned(f"{kind}-{text}", kind, day, policy.send_time, zone,
                   _expiry(policy, cal, day, zone, anchor))


def _overdue(policy: Policy, cal: WorkCalendar, due: dt.date, zone: str) -> list[Planned]:
    # An overdue notice on a closed day waits for the next working day: moving it earlier
    # could send "overdue" before the deadline has passed.
    out = []
    for n in range(1, policy.overdue_max + 1):
        day = cal.on_or_after(due + n * policy.overdue_every_days * ONE_DAY)
        out.append(Planned(f"overdue-{n}", "overdue", day, policy.send_time, zone,
                           _expiry(policy, cal, day, zone, None)))
    return out


def plan_task(policy: Policy, task: TaskDates, zone: str) -> list[Planned]:
    """Every message an open task gets; done and cancelled tasks get nothing.

    Long fuzzy spans (a quarter, a season) count from their due date, so "Q1 2021" reminds
    before March 31, not before January 1."""
    if task.status not in OPEN_STATUSES:
        return []
    cal = calendar_for(policy)
    out: list[Planned] = []
    if task.due is not None:
        out += [_before(policy, cal, "due", task.due, t, zone) for t in policy.before_due]
    if task.start is not None:
        out += [_before(policy, cal, "start", task.start, t, zone) for t in policy.before_start]
    if task.due is not None:
        out += _overdue(policy, cal, task.due, zone)
    return out


def digest_day(policy: Policy, day: dt.date) -> dt.date:
    """The digest that carries a reminder for `day`: the digest weekday on or before it."""
    back = (day.weekday() - WEEKDAYS.index(policy.digest_weekday)) % 7
    return day - back * ONE_DAY
