"""The `text/calendar; method=PUBLISH` attachment: one task as one all-day event."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from notifiers.base import TaskView
from notifiers.email.headers import clean_header_text
from notifiers.i18n import t

PRODID = "-//Fristvakt//Fristvakt reminders//EN"


def event_day(task: TaskView) -> date | None:
    """The day the event sits on: the deadline, or the start when there is no deadline."""
    return task.due or task.start


def event_uid(task: TaskView, domain: str) -> str:
    """Stable per task, so a later message (or the feed) updates the same calendar entry."""
    return f"{task.timeline_id}.{task.task_id}@{domain}"


def _event(task: TaskView, day: date, lang: str, domain: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(task, domain))
    event.add("dtstamp", now)
    event.add("dtstart", day)
    # All-day events end exclusively: DTEND is the day after the deadline.
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", clean_header_text(t(lang, "calendar.summary", title=task.title)))
    event.add("description", t(lang, "calendar.description", plan=task.timeline_title,
                               section=task.section) + (f"\n{task.when_text}"
                                                        if task.when_text else ""))
    event.add("sequence", task.date_version)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_bytes(task: TaskView, lang: str, domain: str, now: datetime) -> bytes | None:
    """The .ics body for one task, or None when the task has no date to put in a calendar."""
    day = event_day(task)
    if day is None:
        return None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add_component(_event(task, day, lang, domain, now))
    return bytes(cal.to_ical())
