"""A reading -> first and last day: calendar arithmetic and the range sharing rules.

Any impossible date (31 April, 29 February 2023, week 53 of 2021, a backwards range that
is not a year crossing) raises ValueError, which the caller turns into `unparsed`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from timelines.dates.grammar import _COUNTED, PADDING, Part, Reading, State, phrase_at, read
from timelines.dates.lexer import Tok, entry_symbol, lex
from timelines.dates.vocab import LAST, WINTER, Entry, vocabulary

Span = tuple[dt.date, dt.date]

_SEASON_MONTHS = {1: (3, 5), 2: (6, 8), 3: (9, 11), WINTER: (1, 2)}  # winter YYYY: Jan-Feb YYYY
_POM_DAYS = {1: (1, 10), 2: (11, 20), 3: (21, 0)}  # 0: the month's last day
_BLOCK = {"quarter": 3, "tertial": 4, "half": 6}  # months per counted unit
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

Shape = tuple[int, int, int, int]  # first month, first day, last month, last day (0: month end)


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
    if part.unit == "day":
        day = dt.date(year, part.month, part.n)
        return day, day
    if part.unit == "week":
        monday = dt.date.fromisocalendar(year, part.n, 1)
        return monday, monday + dt.timedelta(days=6)
    shape = _SHAPES.get((part.unit, part.n, part.month))
    if shape is None:
        raise ValueError(f"no {part.unit} {part.n}")  # also: a bare number is not a date
    return _in_year(shape, year)


def _in_year(shape: Shape, year: int) -> Span:
    first_month, first_day, last_month, last_day = shape
    if not last_day:
        last_day = 29 if last_month == 2 and calendar.isleap(year) else _DAYS[last_month]
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


# Builds a named tuple from all its fields without the Python-level __new__ that NamedTuple
# generates, whose call costs as much as a short reading's other steps (bench/dates.py).
_new = tuple.__new__


class Found(NamedTuple):
    """A dated reading: either end may be open; `unit` names the one unit X was written as
    ("month", "year", "season", "winter", "quarter"...), "" for a range or a derived span."""

    start: dt.date | None
    due: dt.date | None
    approximate: bool = False
    unit: str = ""


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


def read_plain(text: str, ref_year: int | None, lexed: tuple[list[Tok], str] | None = None
               ) -> Found | State | None:
    """A cleaned text (or its tokens and symbols, from `lex`) read by the Part 1 grammar alone;
    None when a token is left unexplained (or the text has no tokens at all)."""
    tokens, symbols = lex(text) if lexed is None else lexed
    if not tokens:
        return None
    return fast(tokens, symbols, ref_year) or read_grammar(tokens, ref_year, symbols)


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


# -- the commonest shapes, read from their symbols ----------------------------------------------
# A text of one part ("mars 2023", "15. mars", "uke 12", "Q2 2024") with at most one prefix
# ("innen", "fra", "i", "ca.") is read straight from its tokens' symbols (lexer.py) instead of
# rule by rule. Each reader gives the same days as the grammar, or None for anything unusual
# (then the grammar decides). tests/test_dates_fast.py compares the two.

PartDays = tuple[dt.date, dt.date, str]  # first day, last day, the unit X was written as
PartReader = Callable[[list[Tok], int, int], PartDays | None]


def _entry(tok: Tok) -> Entry:
    assert tok.entry is not None  # a word of any symbol but "x" and "#" is a vocabulary phrase
    return tok.entry[0]


def _month(tokens: list[Tok], at: int, year: int) -> PartDays:
    """ "mars", "mars 2023"."""
    month = _entry(tokens[at]).value
    return (*_in_year(_SHAPES["month", 0, month], year), "month")


def _day_month(tokens: list[Tok], at: int, year: int) -> PartDays:
    """ "15. mars", "15 mars 2023", "15:e mars"."""
    day = dt.date(year, _entry(tokens[at + 1]).value, tokens[at].nums[0])
    return day, day, "day"


def _numeric_day(tokens: list[Tok], at: int, year: int) -> PartDays:
    """ "22/5", "15.03 2023", "31.12.2023", "2023-12-31" (the date's own year first)."""
    nums = tokens[at].nums
    day = dt.date(nums[0] or year, nums[1], nums[2])
    return day, day, "day"


def _month_year(tokens: list[Tok], at: int, year: int) -> PartDays | None:
    """ "03.2023", "2023-03"."""
    nums = tokens[at].nums
    shape = _SHAPES.get(("month", 0, nums[1]))  # "13.2023": no such month
    return None if shape is None else (*_in_year(shape, nums[0]), "month")


def _year(tokens: list[Tok], at: int, year: int) -> PartDays:
    return (*_in_year(_SHAPES["year", 0, 0], tokens[at].nums[0]), "year")


def _season(tokens: list[Tok], at: int, year: int) -> PartDays:
    """ "våren 2024"; "vinter 2024" is January and February of 2024."""
    season = _entry(tokens[at]).value
    unit = "winter" if season == WINTER else "season"
    return (*_in_year(_SHAPES["season", season, 0], year), unit)


def _counted(unit: str, n: int, year: int) -> PartDays | None:
    """Week, quarter, tertial or half number `n` of `year`."""
    if unit == "week":
        monday = dt.date.fromisocalendar(year, n, 1)
        return monday, monday + dt.timedelta(days=6), "week"
    shape = _SHAPES.get((unit, n, 0))
    return None if shape is None else (*_in_year(shape, year), unit)


_UNIT_LIMITS = {"week": ("week", 53), "q": ("quarter", 4), "quarter": ("quarter", 4),
                "tertial": ("tertial", 3), "half": ("half", 2)}


def _unit_number(tokens: list[Tok], at: int, year: int) -> PartDays | None:
    """ "uke 12", "Q2 2024", "tertial 3", "H1"."""
    unit, limit = _UNIT_LIMITS[_entry(tokens[at]).category]
    n = tokens[at + 1].nums[0]
    return _counted(unit, n, year) if 1 <= n <= limit else None


def _number_unit(tokens: list[Tok], at: int, year: int) -> PartDays | None:
    """ "2. kvartal 2023", "3:e kvartalet", "12 uke"."""
    category = _entry(tokens[at + 1]).category
    return _counted(_COUNTED.get(category, "week"), tokens[at].nums[0], year)


def _ordinal_unit(tokens: list[Tok], at: int, year: int) -> PartDays | None:
    """ "andra halvåret 2023", "siste kvartal", "andre uke"."""
    n = _entry(tokens[at]).value
    category = _entry(tokens[at + 1]).category
    if n < 0 and category == "week":
        return None  # "siste uke" is a week of a month (Part 2)
    return _counted(_COUNTED.get(category, "week"), n, year)


def _part_of_month(tokens: list[Tok], at: int, year: int) -> PartDays:
    """ "primo mars", "ultimo mars 2023"."""
    which = _entry(tokens[at]).value
    month = _entry(tokens[at + 1]).value
    return (*_in_year(_SHAPES["pom", which, month], year), "pom")


def _with_years(shapes: dict[str, PartReader]) -> dict[str, tuple[PartReader, bool]]:
    """Each shape as written, and followed by a year (when the grammar reads one after it)."""
    table = {symbols: (reader, False) for symbols, reader in shapes.items()}
    table |= {symbols + "Y": (reader, True) for symbols, reader in shapes.items()
              if symbols not in ("D", "m", "Y")}
    return table


# By symbols: M month, S season, W week, K quarter/tertial/half, q "Q", O ordinal word, P part
# of a month; n a small number, d one with a dot, o a Swedish ordinal ("3:e"), Y a year; D a
# numeric date with its year, E one without, m a month and year ("03.2023").
_FAST_PARTS = _with_years({
    "M": _month, "nM": _day_month, "dM": _day_month, "oM": _day_month, "E": _numeric_day,
    "D": _numeric_day, "m": _month_year, "Y": _year, "S": _season, "PM": _part_of_month,
    **dict.fromkeys(("Wn", "Wd", "Kn", "Kd", "qn", "qd"), _unit_number),
    **dict.fromkeys(("nW", "dW", "oW", "nK", "dK", "oK"), _number_unit),
    **dict.fromkeys(("OW", "OK"), _ordinal_unit),
})
# Prefixes: "<" by ("innen", "t.o.m."), ">" from, "i" during, "~" about ("ca.").
_FAST_PREFIXES = frozenset("<>i~")


def _leading_phrase(tokens: list[Tok], symbols: str) -> tuple[list[Tok], str]:
    """The tokens with a phrase of several words at the start ("til og med", "i slutet av")
    made one token, as the grammar reads it; a first word that starts no phrase here gets its
    own symbol."""
    found = phrase_at(tokens + PADDING, 0, _VOCABULARY)
    if found is None:
        return tokens, "x" + symbols[1:]
    entry, size = found
    first = tokens[0]
    symbol = entry_symbol(entry)
    if size == 1:
        return tokens, symbol + symbols[1:]
    phrase = Tok("word", first.text, first.dot, (), first.dotted, found, symbol)
    return [phrase, *tokens[size:]], symbol + symbols[size:]


def fast(tokens: list[Tok], symbols: str, ref_year: int | None) -> Found | None:
    """The reading of a text of one common shape, as `read_grammar` gives it; None for any
    other text, or when the shape's days are not in the calendar (31 April, week 53 of 2021)."""
    if symbols[0] == "#":
        tokens, symbols = _leading_phrase(tokens, symbols)
    at = 1 if symbols[0] in _FAST_PREFIXES else 0
    shape = _FAST_PARTS.get(symbols[at:])
    if shape is None:
        return None
    reader, has_year = shape
    year = tokens[-1].nums[0] if has_year else ref_year
    if year is None:
        return None  # no year, and no ref_year: never guessed from today
    try:
        days = reader(tokens, at, year)
    except (ValueError, OverflowError):
        return None
    return None if days is None else _prefixed(symbols[0] if at else "", days)


def _prefixed(prefix: str, days: PartDays) -> Found:
    if prefix == "<":
        return _new(Found, (None, days[1], False, ""))
    if prefix == ">":
        return _new(Found, (days[0], None, False, ""))
    return _new(Found, (days[0], days[1], prefix == "~", days[2]))
