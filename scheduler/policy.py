"""Reminder policy: which messages a task deserves, and at which instant each goes out.

All date arithmetic is done on local dates in the recipient's zone, then combined with the
send time in that zone: "3 days before at 08:00" is 08:00 local even when a DST switch lies
in between (subtracting 72 hours would give 07:00 or 09:00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from timelines.config import Policy, PolicyOverride

UTC = dt.UTC
OPEN = frozenset({"planned", "ongoing"})
ONE_DAY = dt.timedelta(days=1)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Offset:
    days: int
    working: bool

    @classmethod
    def parse(cls, text: str) -> Offset:
        """`14d` (calendar days) or `5wd` (working days); the config already checked the form."""
        working = text.endswith("wd")
        return cls(int(text[:-2] if working else text[:-1]), working)


class WorkCalendar:
    """Which days are closed: weekends, public holidays (NO/SE) and configured closed days."""

    def __init__(self, country: str, closed_days: tuple[str, ...],
                 periods: tuple[tuple[dt.date, dt.date], ...]) -> None:
        self.holidays = None if country == "none" else holidays.country_holidays(country)
        self.every_year = {d for d in closed_days if len(d) == 5}
        self.dates = {dt.date.fromisoformat(d) for d in closed_days if len(d) > 5}
        self.periods = periods

    def is_closed(self, day: dt.date) -> bool:
        return (day.weekday() >= 5 or (self.holidays is not None and day in self.holidays)
                or day.strftime("%m-%d") in self.every_year or day in self.dates
                or any(start <= day <= end for start, end in self.periods))

    def on_or_before(self, day: dt.date) -> dt.date:
        while self.is_closed(day):
            day -= ONE_DAY
        return day

    def on_or_after(self, day: dt.date) -> dt.date:
        while self.is_closed(day):
            day += ONE_DAY
        return day

    def shift(self, day: dt.date, offset: Offset, sign: int) -> dt.date:
        """`day` moved by the offset (sign -1: before, +1: after); working days skip closed."""
        if not offset.working:
            return day + sign * offset.days * ONE_DAY
        for _ in range(offset.days):
            day += sign * ONE_DAY
            while self.is_closed(day):
                day += sign * ONE_DAY
        return day


@lru_cache(maxsize=64)
def _calendar(country: str, closed: tuple[str, ...],
              periods: tuple[tuple[dt.date, dt.date], ...]) -> WorkCalendar:
    return WorkCalendar(country, closed, periods)


def calendar_for(policy: Policy) -> WorkCalendar:
    periods = tuple((p.start, p.end) for p in policy.closed_periods)
    return _calendar(policy.holidays, tuple(policy.closed_days), periods)


def effective_policy(base: Policy, timeline: dict[str, object],
                     task: dict[str, object]) -> Policy:
    """[policy], then the timeline's override, then the task's (later wins)."""
    overrides = [PolicyOverride.model_validate(o) if o else None for o in (timeline, task)]
    return base.merged(*overrides)


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
    # A reminder never lands on a closed day: it moves to the working day before.
    day = cal.on_or_before(cal.shift(anchor, Offset.parse(text), -1))
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
    if task.status not in OPEN:
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
