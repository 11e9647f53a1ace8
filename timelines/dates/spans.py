"""A reading -> first and last day: calendar arithmetic and the range sharing rules.

Any impossible date (31 April, 29 February 2023, week 53 of 2021, a backwards range that
is not a year crossing) raises ValueError, which the caller turns into `unparsed`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Literal, NamedTuple

from timelines.dates.grammar import (
    _COUNTED,
    _LIMITS,
    _ORDINAL_UNITS,
    PADDING,
    Part,
    Reading,
    State,
    phrase_at,
    read,
)
from timelines.dates.lexer import END, MAX_YEAR, MIN_YEAR, Tok, entry_symbol, lex
from timelines.dates.vocab import LAST, WINTER, Entry, vocabulary

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
    table = _YEAR_TABLES.get(year)
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
_YEAR_TABLES: dict[int, dict[tuple[str, int, int], Span]] = {}
_YEARS_KEPT = 64  # bounds the tables, whatever years are thrown at them


def _year_table(year: int) -> dict[tuple[str, int, int], Span]:
    if len(_YEAR_TABLES) >= _YEARS_KEPT:
        _YEAR_TABLES.clear()
    table = {key: _piece_days(key, year) for key in _SHAPES}
    weeks = dt.date(year, 12, 28).isocalendar()[1]  # 28 December is in the year's last week
    table |= {("week", n, 0): _piece_days(("week", n, 0), year) for n in range(1, weeks + 1)}
    day = dt.date(year, 1, 1)
    while day.year == year:
        table["day", day.day, day.month] = (day, day)
        day += _DAY
    _YEAR_TABLES[year] = table
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


def read_plain(text: str, ref_year: int | None, lexed: tuple[list[Tok], str] | None = None
               ) -> Found | State | None:
    """A cleaned text (or its tokens and symbols, from `lex`) read by the Part 1 grammar alone;
    None when a token is left unexplained (or the text has no tokens at all)."""
    tokens, symbols = lex(text) if lexed is None else lexed
    if not tokens:
        return None
    found = fast(tokens, symbols, ref_year)
    if found is None:
        return read_grammar(tokens, ref_year, symbols)
    return found or None


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
# A text of one part or a range of two ("mars 2023", "15. mars", "uke 12", "mars – mai 2023",
# "uke 3–14") with at most one prefix ("innen", "fra", "i løpet av", "ca.", "mellom") is read
# from its tokens' symbols (lexer.py) instead of rule by rule: each side's symbols name the
# part it is. The parts are the grammar's, or None for anything unusual (then the grammar
# decides). tests/test_dates_fast.py compares the two.

# A part's fields as the grammar's Part has them (unit, n, month, year, digits), as a plain tuple:
# a single part needs no more, and a range makes Parts of its two.
Fields = tuple[str, int, int, int, int]
PartBuilder = Callable[[list[Tok], int, int], Fields | None]  # tokens, first token, written year


def _entry(tok: Tok) -> Entry:
    assert tok.entry is not None  # a word of any symbol but "x", "w" and "#" is a vocabulary phrase
    return tok.entry[0]


def _month_part(tokens: list[Tok], at: int, year: int) -> Fields:
    """ "mars", "mars 2023"."""
    return ("month", 0, tokens[at].nums[0], year, 0)


def _day_part(tokens: list[Tok], at: int, year: int) -> Fields | None:
    """ "15. mars", "15 mars 2023", "15:e mars"."""
    day = tokens[at].nums[0]
    return ("day", day, tokens[at + 1].nums[0], year, 0) if day <= 31 else None


def _numeric_part(tokens: list[Tok], at: int, year: int) -> Fields:
    """ "22/5", "15.03 2023", "31.12.2023", "2023-12-31" (the date's own year first)."""
    nums = tokens[at].nums
    return ("day", nums[2], nums[1], nums[0] or year, 0)


def _month_year_part(tokens: list[Tok], at: int, year: int) -> Fields:
    """ "03.2023", "2023-03"."""
    nums = tokens[at].nums
    return ("month", 0, nums[1], nums[0], 0)


def _year_part(tokens: list[Tok], at: int, year: int) -> Fields:
    return ("year", 0, 0, tokens[at].nums[0], 0)


def _bare_part(tokens: list[Tok], at: int, year: int) -> Fields:
    """ "3" in "3.–5. oktober": a number that takes the unit of the other side."""
    tok = tokens[at]
    return ("bare", tok.nums[0], 0, year, len(tok.text))


def _season_part(tokens: list[Tok], at: int, year: int) -> Fields:
    """ "våren 2024", "vinter"."""
    return ("season", tokens[at].nums[0], 0, year, 0)


def _pom_part(tokens: list[Tok], at: int, year: int) -> Fields:
    """ "primo mars", "i slutet av mars 2023"."""
    return ("pom", tokens[at].nums[0], tokens[at + 1].nums[0], year, 0)


def _unit_number_part(tokens: list[Tok], at: int, year: int) -> Fields | None:
    """ "uke 12", "Q2 2024", "tertial 3", "H1"."""
    unit, limit = _LIMITS[_entry(tokens[at]).category]
    n = tokens[at + 1].nums[0]
    return (unit, n, 0, year, 0) if 1 <= n <= limit else None


def _number_unit_part(tokens: list[Tok], at: int, year: int) -> Fields:
    """ "2. kvartal 2023", "3:e kvartalet", "12 uke"."""
    unit = _ORDINAL_UNITS[_entry(tokens[at + 1]).category]
    return (unit, tokens[at].nums[0], 0, year, 0)


def _ordinal_unit_part(tokens: list[Tok], at: int, year: int) -> Fields | None:
    """ "andra halvåret 2023", "siste kvartal", "andre uke"."""
    n = tokens[at].nums[0]
    category = _entry(tokens[at + 1]).category
    if n < 0 and category == "week":
        return None  # "siste uke" is a week of a month (Part 2)
    return (_ORDINAL_UNITS[category], n, 0, year, 0)


def _with_years(shapes: dict[str, PartBuilder]) -> dict[str, tuple[PartBuilder, bool]]:
    """Each shape as written, and followed by a year (when the grammar reads one after it)."""
    table = {symbols: (builder, False) for symbols, builder in shapes.items()}
    table |= {symbols + "Y": (builder, True) for symbols, builder in shapes.items()
              if symbols not in ("D", "m", "Y")}
    return table


# By symbols: M month, S season, W week, K quarter/tertial/half, q "Q", O ordinal word, P part
# of a month; n a small number, d one with a dot, o a Swedish ordinal ("3:e"), Y a year; D a
# numeric date with its year, E one without, m a month and year ("03.2023").
_PARTS = _with_years({
    "M": _month_part, "nM": _day_part, "dM": _day_part, "oM": _day_part, "E": _numeric_part,
    "D": _numeric_part, "m": _month_year_part, "Y": _year_part, "S": _season_part,
    "PM": _pom_part, "n": _bare_part, "d": _bare_part, "o": _bare_part,
    **dict.fromkeys(("Wn", "Wd", "Kn", "Kd", "qn", "qd"), _unit_number_part),
    **dict.fromkeys(("nW", "dW", "oW", "nK", "dK", "oK"), _number_unit_part),
    **dict.fromkeys(("OW", "OK"), _ordinal_unit_part),
})
# Prefixes: "<" by ("innen"), "u" up to ("t.o.m."), ">" from, "i" during, "~" about ("ca."), "b"
# between ("mellom", only before a range with "og").
_PREFIXES = frozenset("<u>i~b")
_NEVER_FIRST = frozenset("xw!?-/&")  # no shape starts with these: "før", "etter", "(", "?"
_DEADLINES = frozenset("<u")
# Between the sides of a range: a dash, a slash, "og"/"til" (&), "t.o.m." (u), "til og med" (#).
_SEPARATOR = re.compile(r"[-/&u#]")


def _part(tokens: list[Tok], symbols: str, at: int, end: int) -> Fields | None:
    """The part written by tokens[at:end], or None when its symbols are no shape of _PARTS."""
    shape = _PARTS.get(symbols[at:end])
    if shape is None:
        return None
    builder, has_year = shape
    return builder(tokens, at, tokens[end - 1].nums[0] if has_year else 0)


def _leading_phrase(tokens: list[Tok], symbols: str) -> tuple[list[Tok], str]:
    """The tokens with a phrase of several words at the start ("til og med", "i slutet av")
    made one token, as the grammar reads it; a first word that starts no phrase here gets its
    own symbol."""
    first = tokens[0]
    second = tokens[1] if len(tokens) > 1 else END
    seconds = _VOCABULARY.seconds[first.text]
    if second.text not in seconds and second.dotted not in seconds:  # "i mars", "fra uke 3"
        return tokens, entry_symbol(first.entry[0] if first.entry else None) + symbols[1:]
    found = phrase_at(tokens + PADDING, 0, _VOCABULARY)
    if found is None:
        return tokens, "x" + symbols[1:]
    entry, size = found
    symbol = entry_symbol(entry)
    if size == 1:
        return tokens, symbol + symbols[1:]
    phrase = _new(Tok, ("word", first.text, first.dot, (entry.value,), first.dotted, found,
                        symbol))
    return [phrase, *tokens[size:]], symbol + symbols[size:]


def fast(tokens: list[Tok], symbols: str, ref_year: int | None) -> Found | Literal[False] | None:
    """The reading of a text of one common shape, as `read_grammar` gives it; False when the
    grammar would find those parts but no days for them (31 April, week 53 of 2021, no year);
    None for any other text, which only the grammar can tell."""
    first = symbols[0]
    if first in _NEVER_FIRST:
        return None
    if first == "#":
        tokens, symbols = _leading_phrase(tokens, symbols)
        first = symbols[0]
    prefix, at = (first, 1) if first in _PREFIXES else ("", 0)
    shape = _PARTS.get(symbols[at:] if at else symbols)
    try:
        if shape is None:
            return _range(tokens, symbols, at, prefix, ref_year)
        part = shape[0](tokens, at, tokens[-1].nums[0] if shape[1] else 0)
        return None if part is None else _one(part, prefix, ref_year)
    except (ValueError, OverflowError):  # from the calendar: the parts have no such days
        return False


def _one(part: Fields, prefix: str, ref_year: int | None) -> Found | Literal[False]:
    unit, n, _, written, _ = part
    year = written or ref_year
    if year is None or prefix == "b":
        return False  # no year, and no ref_year: never guessed from today; "mellom" one part
    table = _YEAR_TABLES.get(year)  # bounds() without its call, for the commonest case
    days = table.get(part[:3]) if table is not None else None
    first, last = days or bounds(_new(Part, part), year)
    if prefix in _DEADLINES:
        return _new(Found, (None, last, False, ""))
    if prefix == ">":
        return _new(Found, (first, None, False, ""))
    written_as = "winter" if unit == "season" and n == WINTER else unit
    return _new(Found, (first, last, prefix == "~", written_as))


def _range(tokens: list[Tok], symbols: str, at: int, prefix: str, ref_year: int | None
           ) -> Found | None:
    """ "mars – mai 2023", "fra uke 3 til uke 5", "mellom mars og mai": the grammar's range."""
    found = _SEPARATOR.search(symbols, at)
    cut = found.start() if found else 0
    separator = _separator(tokens, symbols, at, cut) if found else None
    if separator is None:
        return None
    size, word = separator
    left = _part(tokens, symbols, at, cut)
    right = _part(tokens, symbols, cut + size, len(symbols))
    if left is None or right is None or (prefix == "b" and word not in ("og", "och")):
        return None  # "mellom mars – mai": "mellom" needs "og"
    first, last = range_span(_new(Part, left), _new(Part, right), ref_year)
    if prefix in _DEADLINES:
        return _new(Found, (None, last, False, ""))
    return _new(Found, (first, last, prefix == "~", ""))


def _separator(tokens: list[Tok], symbols: str, at: int, cut: int) -> tuple[int, str] | None:
    """How many tokens separate the sides from `cut` on, and the separating word; None when
    the symbol at `cut` is no separator: a slash before a year is the left side's year when it
    has none yet ("uke 12/2023"; "vintern 2023/2024" is a range)."""
    symbol = symbols[cut]
    if symbol == "/" and symbols[cut + 1:cut + 2] == "Y":
        left = symbols[at:cut]
        return None if left + "Y" in _PARTS and not left.endswith("Y") else (1, symbol)
    if symbol == "-" or symbol == "/":
        return 1, symbol
    if symbol != "#":
        return 1, tokens[cut].text
    found = phrase_at(tokens + PADDING, cut, _VOCABULARY)
    if found is None or found[0].category not in ("sep", "until"):
        return None
    return found[1], tokens[cut + found[1] - 1].text
