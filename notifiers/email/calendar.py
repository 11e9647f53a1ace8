"""The `text/calendar; method=PUBLISH` attachment: one task as one all-day event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from notifiers.base import TaskView
from notifiers.email.headers import clean_header_text
from notifiers.i18n import t
from notifiers.ical_event import uid

PRODID = "-//Fristvakt//Fristvakt reminders//EN"
_HEAD = ("BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "METHOD:PUBLISH", "BEGIN:VEVENT")
_HEAD_BYTES = b"".join(line.encode("ascii") + b"\r\n" for line in _HEAD)
_TAIL_BYTES = b"END:VEVENT\r\nEND:VCALENDAR\r\n"
_BACKSLASH = ord("\\")


def event_day(task: TaskView) -> date | None:
    """The day the event sits on: the deadline, or the start when there is no deadline."""
    return task.due or task.start


def event_uid(task: TaskView, domain: str) -> str:
    """The feed's UID for the task, so a later message (or the feed) updates the same entry."""
    return uid(task.timeline_id, task.task_id, domain)


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value, escaped exactly as icalendar's vText writes it (a test reads
    our lines back with icalendar and compares its output with ours)."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;")
            .replace(",", "\\,").replace("\r\n", "\n").replace("\n", "\\n")
            .replace("\r", "\\n"))


def _day(day: date) -> str:
    """`20221130`, zero-padded as icalendar's vDate writes it (cheaper than strftime)."""
    return day.isoformat().replace("-", "")


def _utc_stamp(moment: datetime) -> str:
    """`20221116T070000Z`, as icalendar's vDatetime writes a UTC time."""
    utc = moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return utc.isoformat().replace("-", "").replace(":", "") + "Z"


def _properties(task: TaskView, day: date, lang: str, domain: str,
                now: datetime) -> list[str]:
    where = t(lang, "calendar.description", plan=task.timeline_title, section=task.section)
    summary = clean_header_text(t(lang, "calendar.summary", title=task.title))
    description = f"{where}\n{task.when_text}" if task.when_text else where
    return [
        f"UID:{escape_text(event_uid(task, domain))}",
        f"DTSTAMP:{_utc_stamp(now)}",
        f"DTSTART;VALUE=DATE:{_day(day)}",
        # All-day events end exclusively: DTEND is the day after the deadline.
        f"DTEND;VALUE=DATE:{_day(day + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"SEQUENCE:{int(task.date_version)}",
        "TRANSP:TRANSPARENT",
    ]


def calendar_bytes(task: TaskView, lang: str, domain: str, now: datetime) -> bytes | None:
    """The .ics body for one task, or None when the task has no date to put in a calendar.

    The lines are written here, not with icalendar's Calendar/Event objects (whose to_ical()
    cost ~4x more, most of the time it took to render a reminder) nor its value types (their
    per-value objects were still a fifth of a render). A test checks that icalendar reads
    these bytes back and writes the very same lines.
    """
    day = event_day(task)
    if day is None:
        return None
    event = b"".join(fold(line) + b"\r\n" for line in _properties(task, day, lang, domain, now))
    return _HEAD_BYTES + event + _TAIL_BYTES


def fold(line: str, limit: int = 75) -> bytes:
    """RFC 5545 folding: at most `limit` octets per line, never splitting a character or
    a backslash escape."""
    data = line.encode("utf-8")
    if len(data) <= limit:
        return data
    pieces: list[bytes] = []
    start, room = 0, limit - 1  # one octet spare, as a continuation line starts with a space
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the lead byte
            cut -= 1
        if _escape_open(data, start, cut):
            cut -= 1  # the backslash moves to the next line with the character it escapes
        pieces.append(data[start:cut])
        start, room = cut, limit - 2
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _escape_open(data: bytes, start: int, cut: int) -> bool:
    """Does the piece data[start:cut] end with the first half of a backslash escape (an odd
    run of backslashes)?"""
    run = 0
    while cut - run > start and data[cut - run - 1] == _BACKSLASH:
        run += 1
    return run % 2 == 1
