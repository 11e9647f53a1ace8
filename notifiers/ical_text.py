"""RFC 5545 content lines, written by hand so the bytes are ours to decide.

icalendar's writer chooses property order and parameter forms itself (it writes
`REFRESH-INTERVAL` without `VALUE=DURATION`, for one); a feed that must be byte-identical
between builds and put every VALARM last is simpler to write directly. Three parsers check
the result in the tests.
"""

from __future__ import annotations

import datetime as dt
import re

from icalendar import vDDDTypes, vDuration, vText

CRLF = "\r\n"
LIMIT = 75  # octets per line, CRLF not counted
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    r"""A TEXT value: backslash, semicolon, comma and newlines escaped, control characters gone.

    >>> escape("Plan; del 1, steg 2\nneste linje")
    'Plan\\; del 1\\, steg 2\\nneste linje'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.replace("\\", "\\\\"))
    return text.replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character.

    >>> [len(part.encode()) for part in fold("X:" + "æ" * 60).split(CRLF)]
    [74, 49]
    """
    data = line.encode()
    if len(data) <= LIMIT:
        return line
    parts, start, room = [], 0, LIMIT
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a continuation byte: step back to a boundary
            end -= 1
        parts.append(data[start:end].decode())
        start, room = end, LIMIT - 1  # continuation lines begin with one space
    parts.append(data[start:].decode())
    return (CRLF + " ").join(parts)


def date_value(day: dt.date) -> str:
    """`20260320` for a DATE value."""
    return day.strftime("%Y%m%d")


def utc_value(moment: dt.datetime) -> str:
    """`20260320T070000Z`: aware datetimes only, written in UTC without fractions."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime in a feed: attach a time zone")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def duration(delta: dt.timedelta) -> str:
    """A signed DURATION value in days, hours and minutes.

    >>> duration(dt.timedelta(days=-14, hours=8)), duration(dt.timedelta(hours=8))
    ('-P13DT16H', 'PT8H')
    """
    sign = "-" if delta < dt.timedelta(0) else ""
    minutes = abs(int(delta.total_seconds())) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    time = (f"{hours}H" if hours else "") + (f"{mins}M" if mins else "")
    body = (f"{days}D" if days else "") + (f"T{time}" if time else "")
    return f"{sign}P{body or 'T0M'}"


class Lines:
    """An ordered list of content lines; `bytes()` gives the CRLF-terminated, folded text."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def add(self, name: str, value: str) -> None:
        """A property whose value is already in its written form (dates, params, numbers)."""
        self._lines.append(fold(f"{name}:{value}"))

    def text(self, name: str, value: str) -> None:
        """A TEXT property, escaped."""
        self.add(name, escape(value))

    def begin(self, component: str) -> None:
        self._lines.append(f"BEGIN:{component}")

    def end(self, component: str) -> None:
        self._lines.append(f"END:{component}")

    def extend(self, other: Lines) -> None:
        self._lines.extend(other._lines)

    def __bytes__(self) -> bytes:
        return (CRLF.join(self._lines) + CRLF).encode()


# -- values for icalendar's component model (the writer that replaces `Lines`) ---------------

def clean(text: str) -> str:
    r"""Text without the control characters RFC 5545 forbids in a TEXT value (TAB and line
    breaks stay: icalendar's vText escapes the breaks).

    >>> clean("Plan\x01 del\t1\nneste")
    'Plan del\t1\nneste'
    """
    return _CONTROL.sub("", text)


def text(value: str) -> vText:
    r"""A TEXT value; icalendar escapes it when written.

    >>> text("Plan; del 1, steg 2\nneste linje").to_ical()
    b'Plan\\; del 1\\, steg 2\\nneste linje'
    """
    return vText(clean(value))


def utc(moment: dt.datetime) -> vDDDTypes:
    """A DATE-TIME in UTC: `20260320T070000Z`; aware datetimes only.

    >>> oslo = dt.timezone(dt.timedelta(hours=1))
    >>> utc(dt.datetime(2026, 3, 20, 8, 0, 0, 500, tzinfo=oslo)).to_ical()
    b'20260320T070000Z'
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime in a feed: attach a time zone")
    return vDDDTypes(moment.astimezone(dt.UTC).replace(microsecond=0))


def day(value: dt.date) -> vDDDTypes:
    """A DATE value, written with `VALUE=DATE`.

    >>> day(dt.date(2026, 3, 20)).params, day(dt.date(2026, 3, 20)).to_ical()
    (Parameters({'VALUE': 'DATE'}), b'20260320')
    """
    return vDDDTypes(value)


def span(delta: dt.timedelta, **params: str) -> vDuration:
    """A signed DURATION value.

    >>> span(dt.timedelta(days=-14, hours=8)).to_ical(), span(dt.timedelta(hours=8)).to_ical()
    (b'-P13DT16H', b'PT8H')
    """
    return vDuration(delta, params=params or None)
