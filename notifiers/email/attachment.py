"""The .ics attachment of a single-task reminder: the very event the owner's feed shows.

The event is built by `notifiers.calendar.event` from an `Entry`, like every event of a feed, so
the attachment and a subscribed feed show the same UID, dates, texts and SEQUENCE. Only what
the mail does not know differs: DTSTAMP is when the message was written, and there are no
alarms (the mail itself is the reminder).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from functools import cache, lru_cache

from icalendar import Calendar, vText

from notifiers.base import TaskView
from notifiers.calendar.event import Entry, Style, event
from notifiers.calendar.values import day
from notifiers.calendar.written import CALENDAR_END, ical_bytes

PRODID = "-//Fristvakt//Fristvakt reminders//EN"


def task_entry(task: TaskView, now: datetime) -> Entry:
    """The task of a notice as a calendar entry; `now` (aware) is its DTSTAMP."""
    return Entry(
        timeline_id=task.timeline_id, key=task.task_id, plan=task.timeline_title,
        title=task.title, section=task.section, when_text=task.when_text, start=task.start,
        due=task.due, approximate=task.approximate, status=task.status, removed=False,
        owners=tuple(task.owners), participants=tuple(task.participants), notes=task.notes,
        date_version=task.date_version, sequence=task.sequence, stamp=now)


@cache
def _head() -> bytes:
    """The calendar's own lines, the same in every attachment: written once."""
    cal = Calendar()
    cal["VERSION"] = vText("2.0")
    cal["PRODID"] = vText(PRODID)
    cal["METHOD"] = vText("PUBLISH")
    return bytes(cal.to_ical(sorted=False)).removesuffix(CALENDAR_END)


def calendar_bytes(task: TaskView, style: Style, now: datetime) -> bytes | None:
    """A `METHOD:PUBLISH` calendar holding the task's event, or None for an undated task:
    the calendar's lines, then the event's (what `Calendar.to_ical` writes for the two, as
    the feeds assemble theirs)."""
    if task.due is None and task.start is None:
        return None
    # DTSTAMP is written to the second: the owners of a task, mailed one after the other,
    # get the calendar made for the first.
    return _calendar(task_entry(task, now.replace(microsecond=0)), style, task.planned)


# A pass sends a task's messages one after the other: a few calendars are enough to keep.
@lru_cache(maxsize=16)
def _calendar(entry: Entry, style: Style, planned: date | None) -> bytes:
    if planned is None:
        part = event(entry, style)
    else:  # one occurrence: the feed series' instance of that day, the deadline alone
        part = event(entry, replace(style, span=False))
        part["RECURRENCE-ID"] = day(planned)
    return _head() + ical_bytes(part) + CALENDAR_END
