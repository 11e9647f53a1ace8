"""VALARM triggers that follow the reminder policy (`before_due`, or `before_start` for tasks
that only have a start), on the same days the reminder engine mails.

A trigger is relative to the event's all-day anchor (local midnight in whatever zone the
reader's calendar uses) plus `send_time`, so the alarm rings at 08:00 on the reminder day
wherever the owner is. The day itself comes from the engine's work calendar
(`timelines.base.workdays`): working-day offsets (`3wd`) skip weekends, public holidays, closed days
and periods, and a reminder that would fall on a closed day moves to the working day before,
exactly as the email does.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from timelines.base.workdays import calendar_for
from timelines.base.workdays import reminder_day as work_reminder_day
from timelines.config import Policy


def reminder_day(day: dt.date, offset: str, policy: Policy) -> dt.date:
    """The day the reminder `offset` ("14d" or "3wd") before `day` is mailed.

    >>> reminder_day(dt.date(2026, 4, 7), "3wd", Policy())  # Easter: Apr 2, 3, 6 closed
    datetime.date(2026, 3, 30)
    >>> reminder_day(dt.date(2026, 3, 22), "14d", Policy())  # Sunday the 8th → Friday the 6th
    datetime.date(2026, 3, 6)
    """
    return work_reminder_day(calendar_for(policy), day, offset)


class Policies:
    """[policy] merged with a timeline's and a task's overrides, each combination once
    (a 5,000-task feed would otherwise spend most of its time validating policies)."""

    def __init__(self, base: Policy) -> None:
        self.base = base
        self._seen: dict[tuple[str, str], Policy] = {}

    def for_task(self, timeline: dict[str, Any], task: dict[str, Any]) -> Policy:
        key = (json.dumps(timeline, sort_keys=True), json.dumps(task, sort_keys=True))
        if key not in self._seen:
            self._seen[key] = self.base.overridden(timeline, task)
        return self._seen[key]


def triggers(anchor: dt.date, target: dt.date, offsets: list[str], policy: Policy,
             today: dt.date) -> list[dt.timedelta]:
    """Trigger offsets from `anchor` for reminders before `target`, latest first; reminders on
    days already past are left out, so a new subscriber is not flooded with missed alarms."""
    days = sorted({reminder_day(target, o, policy) for o in offsets}, reverse=True)
    at = dt.timedelta(hours=policy.send_time.hour, minutes=policy.send_time.minute)
    return [(d - anchor) + at for d in days if d >= today]
