"""Recurring texts (DATES.md Part 2): a frequency word, and an optional anchor that narrows each
occurrence ("årlig innen 1. mars", "i mars hvert år", "kvartalsvis").

The result is an RFC 5545 RRULE without DTSTART whose occurrences are the due days, and the
span of the first occurrence that ends on or after 1 January of the plan year. Expanding a rule
is `dateutil.rrule`'s work; this module only writes the rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from dateutil.rrule import rrulestr

from timelines.dates.periods import words_of
from timelines.dates.spans import Found, month_days

YEAR, HALF, TERTIAL, QUARTER, MONTH = "year", "half", "tertial", "quarter", "month"
_FREQUENCIES = {
    **dict.fromkeys(("årlig", "årleg", "hvert år", "kvart år", "årligen", "varje år"), YEAR),
    **dict.fromkeys(("halvårlig", "halvårleg", "hvert halvår", "kvart halvår", "halvårsvis",
                     "varje halvår"), HALF),
    **dict.fromkeys(("tertialvis", "hvert tertial", "kvart tertial", "varje tertial"), TERTIAL),
    **dict.fromkeys(("kvartalsvis", "hvert kvartal", "kvart kvartal", "varje kvartal"), QUARTER),
    **dict.fromkeys(("månedlig", "hver måned", "månadleg", "kvar månad", "månadsvis",
                     "varje månad", "månatligen"), MONTH),
}
_SEASONS = ("vår", "våren", "sommer", "sommar", "høst", "haust", "höst", "vinter")
_WORDS = "|".join(sorted(_FREQUENCIES, key=len, reverse=True))
_FREQUENCY = re.compile(rf"(?:^|\s)(?P<word>{_WORDS})(?=\s|$|,)")
_EACH_SEASON = re.compile(rf"(?:^|\s)(?:hver|kvar|varje)\s+(?P<season>{'|'.join(_SEASONS)})"
                          r"(?=\s|$)")
# Due days of every occurrence of a unit without an anchor: the unit's last days.
_UNIT_RULES = {
    YEAR: "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
    HALF: "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1",
    TERTIAL: "FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1",
    QUARTER: "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
    MONTH: "FREQ=MONTHLY;BYMONTHDAY=-1",
}
_UNIT_MONTHS = {YEAR: 12, HALF: 6, TERTIAL: 4, QUARTER: 3, MONTH: 1}
# "kvartalsvis innen utgangen av kvartalet": by the last day of each one.
_UNIT_END = re.compile(
    r"(?:innen|innan|senest|senast|ved|vid)?\s*(?:utgangen|utgången|slutten|slutet)\s+av\s+"
    r"(?P<unit>året|halvåret|tertialet|kvartalet|måneden|månaden|månaden)")
_UNIT_WORDS = {"året": YEAR, "halvåret": HALF, "tertialet": TERTIAL, "kvartalet": QUARTER,
               "måneden": MONTH, "månaden": MONTH}

WORDS = words_of(_FREQUENCY, _EACH_SEASON, _UNIT_END)

Reader = Callable[[str, int], Found | str | None]


class Recurring(NamedTuple):
    rule: str  # RRULE without DTSTART; occurrences are due days
    first: Found  # the first occurrence ending on or after 1 January of the plan year


# First words of the frequency phrases: a text without one has no frequency.
FIRST_WORDS = frozenset(phrase.split()[0] for phrase in _FREQUENCIES) | {"hver", "kvar", "varje"}


def frequency(cleaned: str) -> tuple[str, str] | None:
    """(unit, the text without its frequency words) when the text names a frequency."""
    match = _FREQUENCY.search(cleaned)
    if match is not None:
        rest = cleaned[:match.start()] + " " + cleaned[match.end():]
        return _FREQUENCIES[match["word"]], " ".join(rest.split())
    match = _EACH_SEASON.search(cleaned)
    if match is not None:  # "hver høst": every year, in the autumn
        rest = cleaned[:match.start()] + " " + match["season"] + cleaned[match.end():]
        return YEAR, " ".join(rest.split())
    return None


def _unit_span(unit: str, ref_year: int) -> Found:
    """The first occurrence of a unit in the plan year: January, Q1, H1, T1, the year."""
    months = _UNIT_MONTHS[unit]
    last = dt.date(ref_year, months, month_days(ref_year, months))
    return Found(dt.date(ref_year, 1, 1), last)


def _anchored(anchor: str, ref_year: int, read: Reader) -> Recurring | None:
    """A yearly anchor: the same calendar days every year, never a year of its own."""
    this, following = read(anchor, ref_year), read(anchor, ref_year + 1)
    if not isinstance(this, Found) or this.due is None or _shift(this, 12) != following:
        return None  # no date, a year of its own ("i 2023"), or a movable feast ("påske")
    # "desember–januar": last year's occurrence, a year earlier, may end in the plan year.
    first = _shift(this, -12) if this.due.year > ref_year else this
    assert first.due is not None
    day = -1 if first.due.month == 2 and first.due.day >= 28 else first.due.day
    rule = f"FREQ=YEARLY;BYMONTH={first.due.month};BYMONTHDAY={day}"
    return tuple.__new__(Recurring, (rule, first))  # without NamedTuple's Python-level __new__


def recurring(unit: str, anchor: str, ref_year: int, read: Reader) -> Recurring | None:
    """The rule and first occurrence of `unit`, narrowed by `anchor` ("" for none)."""
    end = _UNIT_END.fullmatch(anchor) if anchor else None
    if not anchor or (end is not None and _UNIT_WORDS[end["unit"]] == unit):
        first = _unit_span(unit, ref_year)
        return Recurring(_UNIT_RULES[unit], first if end is None else first._replace(start=None))
    if unit != YEAR:
        return None  # "månedlig den 10." and the like: not in the contract
    return _anchored(anchor, ref_year, read)


def _moved(day: dt.date | None, months: int) -> dt.date | None:
    """`day` `months` later; a month's end stays its end, a day past it is clamped."""
    if day is None:
        return None
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if day.day < 28:
        return dt.date(year, month + 1, day.day)  # in every month, and no month's end
    last = month_days(year, month + 1)
    month_end = day.day == month_days(day.year, day.month)
    return dt.date(year, month + 1, last if month_end else min(day.day, last))


def _shift(span: Found, months: int) -> Found:
    """The same occurrence `months` later (February's end stays a month's end)."""
    moved = (_moved(span.start, months), _moved(span.due, months), span.approximate, span.unit)
    return tuple.__new__(Found, moved)  # without NamedTuple's Python-level __new__


def due_days(rule: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """Due days of `rule` from `first` to `last`, both included."""
    start = dt.datetime.combine(first, dt.time())
    series = rrulestr(rule, dtstart=start)
    return [moment.date() for moment in series.between(start, dt.datetime.combine(
        last, dt.time()), inc=True)]


def occurrence(first: Found, due: dt.date) -> Found:
    """The occurrence whose due day is `due`, shaped like the first one."""
    assert first.due is not None
    months = (due.year - first.due.year) * 12 + due.month - first.due.month
    return _shift(first, months)._replace(due=due)

