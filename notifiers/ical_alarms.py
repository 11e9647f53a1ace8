"""VALARM triggers that follow the reminder policy (`before_due`, or `before_start` for tasks
that only have a start).

A trigger is relative to the event's all-day anchor (local midnight in whatever zone the
reader's calendar uses) plus `send_time`, so the alarm rings at 08:00 on the reminder day
wherever the owner is. Working-day offsets (`3wd`) count back over weekends, the policy's
public holidays, `closed_days` and `closed_periods`.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

import holidays

from timelines.config import Policy, PolicyOverride

ONE_DAY = dt.timedelta(days=1)


@cache
def _public_holidays(country: str, year: int) -> frozenset[dt.date]:
    if country == "none":
        return frozenset()
    return frozenset(holidays.country_holidays(country, years=year))


def is_working_day(day: dt.date, policy: Policy) -> bool:
    """Monday to Friday, not a public holiday, not a closed day or period.

    >>> is_working_day(dt.date(2026, 5, 17), Policy())  # a Sunday (and Constitution Day)
    False
    >>> [is_working_day(dt.date(2026, 12, day), Policy()) for day in (23, 24)]
    [True, False]
    """
    if day.weekday() >= 5 or day in _public_holidays(policy.holidays, day.year):
        return False
    if day.isoformat() in policy.closed_days or day.strftime("%m-%d") in policy.closed_days:
        return False
    return not any(p.start <= day <= p.end for p in policy.closed_periods)


def working_days_before(day: dt.date, count: int, policy: Policy) -> dt.date:
    """The working day `count` working days before `day`.

    >>> working_days_before(dt.date(2026, 4, 7), 3, Policy())  # Easter: Apr 2, 3, 6 closed
    datetime.date(2026, 3, 30)
    """
    for _ in range(count):
        day -= ONE_DAY
        while not is_working_day(day, policy):
            day -= ONE_DAY
    return day


def reminder_day(day: dt.date, offset: str, policy: Policy) -> dt.date:
    """The day a reminder `offset` ("14d" or "3wd") before `day` falls on."""
    if offset.endswith("wd"):
        return working_days_before(day, int(offset[:-2]), policy)
    return day - int(offset[:-1]) * ONE_DAY


class Policies:
    """[policy] merged with a timeline's and a task's overrides, each combination once
    (a 5,000-task feed would otherwise spend most of its time validating policies)."""

    def __init__(self, base: Policy) -> None:
        self.base = base
        self._seen: dict[tuple[str, str], Policy] = {}

    def for_task(self, timeline: dict[str, Any], task: dict[str, Any]) -> Policy:
        key = (json.dumps(timeline, sort_keys=True), json.dumps(task, sort_keys=True))
        if key not in self._seen:
            overrides = [PolicyOverride.model_validate(o) for o in (timeline, task)]
            self._seen[key] = self.base.merged(*overrides)
        return self._seen[key]


def triggers(anchor: dt.date, target: dt.date, offsets: list[str], policy: Policy,
             today: dt.date) -> list[dt.timedelta]:
    """Trigger offsets from `anchor` for reminders before `target`, latest first; reminders on
    days already past are left out, so a new subscriber is not flooded with missed alarms."""
    days = sorted({reminder_day(target, o, policy) for o in offsets}, reverse=True)
    at = dt.timedelta(hours=policy.send_time.hour, minutes=policy.send_time.minute)
    return [(d - anchor) + at for d in days if d >= today]
