"""Property values for the feed's icalendar components.

icalendar writes the content lines (escaping, folding at 75 octets, CRLF); these helpers
only choose the value types, so every build gives the same bytes: DATE values with
`VALUE=DATE`, DATE-TIME values in UTC without fractions, DURATIONs, and TEXT without the
control characters RFC 5545 forbids (icalendar would write them as they are).
"""

from __future__ import annotations

import datetime as dt
import re

from icalendar import vDDDTypes, vDuration, vText

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


def duration(delta: dt.timedelta, **params: str) -> vDuration:
    """A signed DURATION value, with parameters such as `RELATED="END"` or `VALUE="DURATION"`.

    >>> duration(dt.timedelta(days=-14, hours=8)).to_ical()
    b'-P13DT16H'
    >>> duration(dt.timedelta(hours=8), VALUE="DURATION").params
    Parameters({'VALUE': 'DURATION'})
    """
    return vDuration(delta, params=params or None)
