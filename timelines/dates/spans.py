"""A reading -> first and last day: calendar arithmetic and the range sharing rules.

Any impossible date (31 April, 29 February 2023, week 53 of 2021, a backwards range that
is not a year crossing) raises ValueError, which the caller turns into `unparsed`. The days of
every piece of a plan year (a day, a week, a month, a quarter...) are built once per year.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

from timelines.dates.grammar import _COUNTED, Part, Reading, State, read
from timelines.dates.lexer import MAX_YEAR, MIN_YEAR, Tok
from timelines.dates.vocab import LAST, WINTER, vocabulary

Span = tuple[dt.date, dt.date]

_SEASON_MONTHS = {1: (3, 5), 2: (6, 8), 3: (9, 11), WINTER: (1, 2)}  # winter YYYY: Jan-Feb YYYY
_POM_DAYS = {1: (1, 10), 2: (11, 20), 3: (21, 0)}  # 0: the month's last day
_BLOCK = {"quarter": 3, "tertial": 4, "half": 6}  # months per counted unit
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_WEEK = dt.timedelta(days=6)  # Monday to Sunday
_DAY = dt.timedelta(days=1)

Shape = tuple[int, int, int, int]  # first month, first day, last month, last day (0: month end)
# Builds a named tuple from all its fields without the Python-level __new__ that NamedTuple
# generates, whose call costs as much as a short reading's other steps (bench/dates.py).
_new = tuple.__new__


def _shapes() -> dict[tuple[str, int, int], Shape]:
    """Every unit that is a fixed piece of any year, keyed by (unit, n, month) as in a Part."""
    shapes: dict[tuple[str, int, int], Shape] = {("year", 0, 0): (1, 1, 12, 0)}
    for month in range(1, 13):
        shapes["month", 0, month] = (month, 1, month, 0)
        for which, (first, last) in _POM_DAYS.items():
            shapes["pom", which, month] = (month, first, month, last)
    for season, (first, last) in _SEASON_MONTHS.items():
        shapes["season", season, 0] = (first, 1, last, 0)
    for unit, size in _BLOCK.items():
        for n in range(1, 12 // size + 1):
            shapes[unit, n, 0] = ((n - 1) * size + 1, 1, n * size, 0)
        shapes[unit, LAST, 0] = shapes[unit, 12 // size, 0]
    return shapes


_SHAPES = _shapes()


def bounds(part: Part, year: int) -> Span:
    """First and last day of `part` in `year` (the part's own year when it states one).

    ValueError for what is not in the calendar: 31 April, kvartal 5, week 53 of 2021."""
    year = part.year or year
    table = YEAR_TABLES.get(year)
    if table is None:
        if not MIN_YEAR <= year <= MAX_YEAR:
            return _piece_days(part[:3], year)
        table = _year_table(year)
    days = table.get(part[:3])  # (unit, n, month)
    if days is None:
        raise ValueError(f"no {part.unit} {part.n} in {year}")  # also: a bare number
    return days


# Year -> the days of every piece of the year a part can name (a day, a week, a month, a
# quarter...), keyed like a Part's (unit, n, month) and built the first time the year is read:
# plans name a handful of years over and over, and building dates is a reading's dearest step.
YEAR_TABLES: dict[int, dict[tuple[str, int, int], Span]] = {}
_YEARS_KEPT = 64  # bounds the tables, whatever years are thrown at them


def _year_table(year: int) -> dict[tuple[str, int, int], Span]:
    if len(YEAR_TABLES) >= _YEARS_KEPT:
        YEAR_TABLES.clear()
    table = {key: _piece_days(key, year) for key in _SHAPES}
    weeks = dt.date(year, 12, 28).isocalendar()[1]  # 28 December is in the year's last week
    table |= {("week", n, 0): _piece_days(("week", n, 0), year) for n in range(1, weeks + 1)}
    day = dt.date(year, 1, 1)
    while day.year == year:
        table["day", day.day, day.month] = (day, day)
        day += _DAY
    YEAR_TABLES[year] = table
    return table


def _piece_days(key: tuple[str, int, int], year: int) -> Span:
    unit, n, month = key
    if unit == "day":
        day = dt.date(year, month, n)
        return day, day
    if unit == "week":
        monday = dt.date.fromisocalendar(year, n, 1)
        return monday, monday + _WEEK
    shape = _SHAPES.get(key)
    if shape is None:
        raise ValueError(f"no {unit} {n}")  # also: a bare number is not a date
    first_month, first_day, last_month, last_day = shape
    if not last_day:
        last_day = month_days(year, last_month)
    return dt.date(year, first_month, first_day), dt.date(year, last_month, last_day)


def month_days(year: int, month: int) -> int:
    """The number of days of a month (1-12): calendar.monthrange without its weekday."""
    return 29 if month == 2 and calendar.isleap(year) else _DAYS[month]


def _stretch(part: Part) -> bool:
    return part.unit == "week" or part.unit in _COUNTED


def _share_unit(left: Part, right: Part) -> tuple[Part, Part, bool]:
    """A bare side takes the other side's unit: "3.–5. oktober", "uke 40–42 2023", "2022-24".

    Returns both sides and whether the left side borrowed its month (then it cannot cross a year).
    """
    if left.unit == "bare" and right.unit != "bare" and not left.year:
        if right.unit == "day":
            return _new(Part, ("day", left.n, right.month, 0, left.digits)), right, True
        if _stretch(right):
            return _new(Part, (right.unit, left.n, left.month, 0, left.digits)), right, False
    if right.unit == "bare" and left.unit != "bare":
        if _stretch(left):
            return left, _new(Part, (left.unit, *right[1:])), False
        if left.unit == "year" and right.digits == 2 and right.n > 12 and not right.year:
            century = left.year - left.year % 100  # "2022-24", "1998-99"
            return left, Part("year", year=century + right.n), False
    if "bare" in (left.unit, right.unit):
        raise ValueError("a bare number with nothing to share a unit with")
    return left, right, False


def _check_year_side(left: Part, right: Part) -> None:
    """ "vinteren 2023/2024", "1. halvår 2023 og 2024", "mars – 2024": a finer left side and a
    plain year on the right do not say which months are meant, so they are not read at all."""
    if right.unit == "year" and left.unit != "year":
        raise ValueError("ambiguous range ending in a bare year")


def _years(left: Part, right: Part, ref_year: int | None) -> tuple[int, int, bool]:
    """Years of both sides, and whether a backwards range may move its right side into the next
    year: only when the right side's year is not written. "desember – januar 2023" fixes
    January; whether December is 2022 or 2023 is a guess ("høst/vinter 2023" is most likely
    meant as autumn 2023, which the winter rule cannot give), so it stays backwards."""
    if left.year and right.year:
        return left.year, right.year, False
    if left.year:
        return left.year, left.year, True
    if right.year:
        return right.year, right.year, False
    if ref_year is None:
        raise ValueError("no year and no reference year")
    return ref_year, ref_year, True


def range_span(left: Part, right: Part, ref_year: int | None) -> Span:
    """Start of the left side .. due of the right side, sharing what the right side states."""
    left, right, borrowed_month = _share_unit(left, right)
    _check_year_side(left, right)
    left_year, right_year, may_cross = _years(left, right, ref_year)
    first, second = bounds(left, left_year), bounds(right, right_year)
    if first[0] > second[0] and may_cross and not borrowed_month:
        first, second = _cross(left, right, left_year, right_year)
    if first[0] > second[0]:
        raise ValueError("the range runs backwards")
    return first[0], second[1]


def _cross(left: Part, right: Part, left_year: int, right_year: int) -> tuple[Span, Span]:
    """A backwards range crosses New Year: "desember – januar", "28/12-3/1", "uke 52 – 2".

    Only from the second half of one year into the first half of the next: "mars og februar"
    is a list or a slip, not an eleven-month span, so it stays backwards (unparsed).
    """
    first, second = bounds(left, left_year), bounds(right, right_year + 1)
    if first[0].month < 7 or second[1].month > 6:
        raise ValueError("not a crossing of New Year")
    return first, second


class Found(NamedTuple):
    """A dated reading: either end may be open; `unit` names the one unit X was written as
    ("month", "year", "season", "winter", "quarter"...), "" for a range or a derived span."""

    start: dt.date | None
    due: dt.date | None
    approximate: bool = False
    unit: str = ""


def approximately(found: Found) -> Found:
    """The same span, approximate ("ca.", "innan" in an unknown language, "X eller Y")."""
    return _new(Found, (found[0], found[1], True, found[3]))


def _days(reading: Reading, ref_year: int | None) -> Span | None:
    """First and last day of the reading; None when the calendar has no such days."""
    try:
        if reading.right is not None:
            return range_span(reading.left, reading.right, ref_year)
        if reading.left.year or ref_year is not None:
            return bounds(reading.left, reading.left.year or ref_year or 0)
        return None  # no year, and no ref_year: never guessed from today
    except (ValueError, OverflowError):  # impossible dates: 31 April, week 53 of 2021...
        return None


def _unit(reading: Reading) -> str:
    if reading.right is not None or reading.mode != "span":
        return ""
    left = reading.left
    return "winter" if left.unit == "season" and left.n == WINTER else left.unit


_VOCABULARY = vocabulary()


def read_grammar(tokens: list[Tok], ref_year: int | None, symbols: str | None = None
                 ) -> Found | State | None:
    """Tokens read by the Part 1 grammar, rule by rule (`read_plain` without its shortcut)."""
    reading = read(tokens, _VOCABULARY, symbols)
    if reading is None or isinstance(reading, str):
        return reading
    days = _days(reading, ref_year)
    if days is None:
        return None
    mode = reading.mode
    if mode == "span":
        return _new(Found, (days[0], days[1], reading.approximate, _unit(reading)))
    if mode == "deadline":
        return _new(Found, (None, days[1], reading.approximate, ""))
    return _new(Found, (days[0], None, reading.approximate, ""))
