"""A reading -> first and last day: calendar arithmetic and the range sharing rules.

Any impossible date (31 April, 29 February 2023, week 53 of 2021, a backwards range that
is not a year crossing) raises ValueError, which the caller turns into `unparsed`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

from timelines._dates_grammar import _COUNTED, Part
from timelines._dates_vocab import LAST, WINTER

Span = tuple[dt.date, dt.date]

_SEASON_MONTHS = {1: (3, 5), 2: (6, 8), 3: (9, 11), WINTER: (1, 2)}  # winter YYYY: Jan-Feb YYYY
_POM_DAYS = {1: (1, 10), 2: (11, 20), 3: (21, 31)}
_BLOCK = {"quarter": 3, "tertial": 4, "half": 6}  # months per counted unit


_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS[month]


def _months(year: int, first: int, last: int) -> Span:
    return dt.date(year, first, 1), dt.date(year, last, _last_day(year, last))


def _counted(year: int, unit: str, n: int) -> Span:
    size = _BLOCK[unit]
    count = 12 // size
    n = count if n == LAST else n
    if not 1 <= n <= count:
        raise ValueError(f"no {unit} {n}")
    return _months(year, (n - 1) * size + 1, n * size)


def _week(year: int, week: int) -> Span:
    monday = dt.date.fromisocalendar(year, week, 1)  # ValueError for a week 53 that is not there
    return monday, monday + dt.timedelta(days=6)


def _part_of_month(year: int, month: int, which: int) -> Span:
    first, last = _POM_DAYS[which]
    return dt.date(year, month, first), dt.date(year, month, min(last, _last_day(year, month)))


def _day(year: int, part: Part) -> Span:
    day = dt.date(year, part.month, part.n)
    return day, day


def _bare(year: int, part: Part) -> Span:
    raise ValueError("a bare number is not a date")


_BOUNDS: dict[str, Callable[[int, Part], Span]] = {
    "day": _day,
    "month": lambda year, part: _months(year, part.month, part.month),
    "year": lambda year, part: _months(year, 1, 12),
    "season": lambda year, part: _months(year, *_SEASON_MONTHS[part.n]),
    "week": lambda year, part: _week(year, part.n),
    "pom": lambda year, part: _part_of_month(year, part.month, part.n),
    "quarter": lambda year, part: _counted(year, part.unit, part.n),
    "tertial": lambda year, part: _counted(year, part.unit, part.n),
    "half": lambda year, part: _counted(year, part.unit, part.n),
    "bare": _bare,
}


def bounds(part: Part, year: int) -> Span:
    """First and last day of `part` in `year` (the part's own year when it states one)."""
    return _BOUNDS[part.unit](part.year or year, part)


def single(part: Part, ref_year: int | None) -> Span:
    if not part.year and ref_year is None:
        raise ValueError("no year and no reference year")
    return bounds(part, part.year or ref_year or 0)


def _stretch(part: Part) -> bool:
    return part.unit == "week" or part.unit in _COUNTED


def _share_unit(left: Part, right: Part) -> tuple[Part, Part, bool]:
    """A bare side takes the other side's unit: "3.–5. oktober", "uke 40–42 2023", "2022-24".

    Returns both sides and whether the left side borrowed its month (then it cannot cross a year).
    """
    if left.unit == "bare" and right.unit != "bare" and not left.year:
        if right.unit == "day":
            return left._replace(unit="day", month=right.month), right, True
        if _stretch(right):
            return left._replace(unit=right.unit), right, False
    if right.unit == "bare" and left.unit != "bare":
        if _stretch(left):
            return left, right._replace(unit=left.unit), False
        if left.unit == "year" and right.digits == 2 and right.n > 12 and not right.year:
            century = left.year - left.year % 100  # "2022-24", "1998-99"
            return left, Part("year", year=century + right.n), False
    if "bare" in (left.unit, right.unit):
        raise ValueError("a bare number with nothing to share a unit with")
    return left, right, False


def _check_year_side(left: Part, right: Part, separator: str) -> None:
    """ "vinteren 2023/2024" or "mars – 2024": a finer left side and a plain year on the right
    does not say which months are meant, so it is not read at all."""
    if right.unit == "year" and left.unit != "year" and (not left.year or separator == "slash"):
        raise ValueError("ambiguous range ending in a bare year")


def _years(left: Part, right: Part, ref_year: int | None) -> tuple[int, int, int]:
    """Years of both sides and the direction a backwards range may cross (+1 right, -1 left)."""
    if left.year and right.year:
        return left.year, right.year, 0
    if left.year:
        return left.year, left.year, 1
    if right.year:
        return right.year, right.year, -1
    if ref_year is None:
        raise ValueError("no year and no reference year")
    return ref_year, ref_year, 1


def range_span(left: Part, right: Part, separator: str, ref_year: int | None) -> Span:
    """Start of the left side .. due of the right side, sharing what the right side states."""
    left, right, borrowed_month = _share_unit(left, right)
    _check_year_side(left, right, separator)
    left_year, right_year, cross = _years(left, right, ref_year)
    first, second = bounds(left, left_year), bounds(right, right_year)
    if first[0] > second[0] and cross and not borrowed_month:
        first, second = _cross(left, right, left_year, right_year, cross)
    if first[0] > second[0]:
        raise ValueError("the range runs backwards")
    return first[0], second[1]


def _cross(left: Part, right: Part, left_year: int, right_year: int, cross: int) -> tuple[
        Span, Span]:
    """A backwards range crosses New Year: "desember – januar", "28/12-3/1", "uke 52 – 2".

    Only from the second half of one year into the first half of the next: "mars og februar
    2023" is a list or a slip, not an eleven-month span, so it stays backwards (unparsed).
    """
    if cross > 0:
        first, second = bounds(left, left_year), bounds(right, right_year + 1)
    else:  # "desember – januar 2023": the left side is in the year before
        first, second = bounds(left, left_year - 1), bounds(right, right_year)
    if first[0].month < 7 or second[1].month > 6:
        raise ValueError("not a crossing of New Year")
    return first, second
