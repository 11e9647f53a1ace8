"""VTIMEZONE components in RRULE form, derived from the system's zoneinfo.

icalendar's `add_missing_timezones()` lists every transition as RDATEs, which Outlook
misreads; a yearly rule per transition ("last Sunday of March") is what every client reads.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vDDDTypes, vRecur, vUTCOffset

from notifiers.calendar.values import text

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REFERENCE_YEAR = 2025  # a recent year whose rules are today's rules


@dataclass(frozen=True)
class Transition:
    local: dt.datetime  # wall-clock time the change happens, in the old offset
    before: dt.timedelta
    after: dt.timedelta
    name: str
    daylight: bool


def _offset(zone: ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    return moment.astimezone(zone).utcoffset() or dt.timedelta(0)


def _transitions(zone: ZoneInfo, year: int) -> list[Transition]:
    """Every offset change in the year, found hour by hour (cached per zone)."""
    moment = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    found: list[Transition] = []
    while moment.year == year:
        after = moment + dt.timedelta(hours=1)
        old, new = _offset(zone, moment), _offset(zone, after)
        if old != new:
            local = after.astimezone(zone)
            found.append(Transition((after + old).replace(tzinfo=None), old, new,
                                    local.tzname() or "", bool(local.dst())))
        moment = after
    return found


def _nth(day: dt.date) -> int:
    """Which weekday of the month this is: 1..4, or -1 for the last one."""
    last = calendar.monthrange(day.year, day.month)[1]
    return -1 if day.day + 7 > last else (day.day - 1) // 7 + 1


def _rule_day(year: int, month: int, weekday: int, nth: int) -> dt.date:
    days = [d for d in calendar.Calendar().itermonthdates(year, month)
            if d.month == month and d.weekday() == weekday]
    return days[-1] if nth == -1 else days[nth - 1]


def _observance(tr: Transition) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if tr.daylight else TimezoneStandard()
    nth, weekday = _nth(tr.local.date()), tr.local.weekday()
    start = dt.datetime.combine(_rule_day(1970, tr.local.month, weekday, nth), tr.local.time())
    part["DTSTART"] = vDDDTypes(start)
    part["RRULE"] = vRecur(freq="YEARLY", bymonth=tr.local.month, byday=f"{nth}{DAYS[weekday]}")
    part["TZOFFSETFROM"] = vUTCOffset(tr.before)
    part["TZOFFSETTO"] = vUTCOffset(tr.after)
    part["TZNAME"] = text(tr.name)
    return part


def _fixed(zone: ZoneInfo) -> TimezoneStandard:
    moment = dt.datetime(REFERENCE_YEAR, 1, 1, tzinfo=dt.UTC).astimezone(zone)
    offset = moment.utcoffset() or dt.timedelta(0)
    part = TimezoneStandard()
    part["DTSTART"] = vDDDTypes(dt.datetime(1970, 1, 1))
    part["TZOFFSETFROM"] = vUTCOffset(offset)
    part["TZOFFSETTO"] = vUTCOffset(offset)
    part["TZNAME"] = text(moment.tzname() or "")
    return part


@cache
def timezone(name: str) -> Timezone:
    """The VTIMEZONE for an IANA zone, one yearly rule per transition of today's rules (built
    once per zone; callers add it to a calendar and never change it).

    >>> oslo = timezone("Europe/Oslo").to_ical(sorted=False)
    >>> b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\\r\\n" in oslo
    True
    >>> b"TZOFFSETFROM:+0100\\r\\nTZOFFSETTO:+0200\\r\\nTZNAME:CEST\\r\\n" in oslo
    True
    """
    zone = ZoneInfo(name)
    component = Timezone()
    component["TZID"] = text(name)
    transitions = _transitions(zone, REFERENCE_YEAR)
    for tr in transitions:
        component.add_component(_observance(tr))
    if not transitions:
        component.add_component(_fixed(zone))
    return component
