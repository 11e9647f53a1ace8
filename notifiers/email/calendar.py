"""The `text/calendar; method=PUBLISH` attachment: one task as one all-day event."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import vDate, vDatetime, vInt, vText

from notifiers.base import TaskView
from notifiers.email.headers import clean_header_text
from notifiers.i18n import t

PRODID = "-//Fristvakt//Fristvakt reminders//EN"
_HEAD = ("BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "METHOD:PUBLISH", "BEGIN:VEVENT")
Encodable = vText | vDate | vDatetime | vInt


def event_day(task: TaskView) -> date | None:
    """The day the event sits on: the deadline, or the start when there is no deadline."""
    return task.due or task.start


def event_uid(task: TaskView, domain: str) -> str:
    """Stable per task, so a later message (or the feed) updates the same calendar entry."""
    return f"{task.timeline_id}.{task.task_id}@{domain}"


def _properties(task: TaskView, day: date, lang: str, domain: str,
                now: datetime) -> list[tuple[str, Encodable]]:
    where = t(lang, "calendar.description", plan=task.timeline_title, section=task.section)
    return [
        ("UID", vText(event_uid(task, domain))),
        ("DTSTAMP", vDatetime(now)),
        ("DTSTART", vDate(day)),
        # All-day events end exclusively: DTEND is the day after the deadline.
        ("DTEND", vDate(day + timedelta(days=1))),
        ("SUMMARY", vText(clean_header_text(t(lang, "calendar.summary", title=task.title)))),
        ("DESCRIPTION", vText(f"{where}\n{task.when_text}" if task.when_text else where)),
        ("SEQUENCE", vInt(task.date_version)),
        ("TRANSP", vText("TRANSPARENT")),
    ]


def _line(name: str, value: Encodable) -> str:
    params = ";VALUE=DATE" if isinstance(value, vDate) else ""
    return f"{name}{params}:{value.to_ical().decode('utf-8')}"


def calendar_bytes(task: TaskView, lang: str, domain: str, now: datetime) -> bytes | None:
    """The .ics body for one task, or None when the task has no date to put in a calendar.

    icalendar's value types encode every value (escaping, dates); the lines around them are
    written here because Calendar/Event objects and their to_ical() cost ~4x more, which was
    most of the time it took to render a reminder. A test checks that icalendar reads these
    bytes back and writes the very same lines.
    """
    day = event_day(task)
    if day is None:
        return None
    event = [_line(name, value) for name, value in _properties(task, day, lang, domain, now)]
    lines = [*_HEAD, *event, "END:VEVENT", "END:VCALENDAR"]
    return b"".join(fold(line) + b"\r\n" for line in lines)


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
