"""The `text/calendar; method=PUBLISH` attachment: one task as one all-day event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from icalendar import Calendar, Component, Event, vDDDTypes, vInt, vText

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
    # Typed values instead of Event.add(): add() infers each type, a third of the cost.
    event = Event()
    event["UID"] = vText(event_uid(task, domain))
    event["DTSTAMP"] = vDDDTypes(now)
    event["DTSTART"] = vDDDTypes(day)
    # All-day events end exclusively: DTEND is the day after the deadline.
    event["DTEND"] = vDDDTypes(day + timedelta(days=1))
    event["SUMMARY"] = vText(clean_header_text(t(lang, "calendar.summary", title=task.title)))
    where = t(lang, "calendar.description", plan=task.timeline_title, section=task.section)
    event["DESCRIPTION"] = vText(f"{where}\n{task.when_text}" if task.when_text else where)
    event["SEQUENCE"] = vInt(task.date_version)
    event["TRANSP"] = vText("TRANSPARENT")
    return event


def calendar_bytes(task: TaskView, lang: str, domain: str, now: datetime) -> bytes | None:
    """The .ics body for one task, or None when the task has no date to put in a calendar."""
    day = event_day(task)
    if day is None:
        return None
    cal = Calendar()
    cal["PRODID"], cal["VERSION"], cal["METHOD"] = vText(PRODID), vText("2.0"), vText("PUBLISH")
    cal.add_component(_event(task, day, lang, domain, now))
    return b"".join(fold(line) + b"\r\n" for line in content_lines(cal))


def content_lines(component: Component) -> Iterator[str]:
    """The unfolded lines of a component, each value encoded by icalendar's own types.

    Calendar.to_ical() does the same but takes ~4x longer (generic parameter handling and a
    per-character fold), which is most of the time it takes to render a reminder; our
    properties carry only simple parameters (VALUE=DATE), so they need no quoting.
    """
    yield f"BEGIN:{component.name}"
    for name, value in component.items():
        params = "".join(f";{key}={param}" for key, param in value.params.items())
        yield f"{name}{params}:{value.to_ical().decode('utf-8')}"
    for sub in component.subcomponents:
        yield from content_lines(sub)
    yield f"END:{component.name}"


def fold(line: str, limit: int = 75) -> bytes:
    """RFC 5545 folding: at most `limit` octets per line, never splitting a character or
    a backslash escape."""
    if len(line) <= limit and line.isascii():
        return line.encode("ascii")
    data = line.encode("utf-8")
    if len(data) <= limit:
        return data
    pieces: list[bytes] = []
    current, room = b"", limit
    for char in line:
        encoded = char.encode("utf-8")
        # One octet is kept spare so that a backslash escape is never split across lines.
        if len(current) + len(encoded) >= room and not current.endswith(b"\\"):
            pieces.append(current)
            current, room = b"", limit - 1  # continuation lines start with a space
        current += encoded
    return b"\r\n ".join([*pieces, current])
