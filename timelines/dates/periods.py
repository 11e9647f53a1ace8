"""Named periods of DATES.md Part 2: holidays, school terms, two-year winters, parts of a unit,
the first/last week of a month and month boundaries. Each reader takes a cleaned text that is
exactly that period (the operator before it already taken off) and returns its days, or None.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from dateutil.easter import easter

from timelines.dates.shortcut import read_plain
from timelines.dates.spans import Found, month_days
from timelines.dates.vocab import END, MIDDLE, START, vocabulary

_DAY = dt.timedelta(days=1)
# Builds a named tuple from all its fields without the Python-level __new__ that NamedTuple
# generates, whose call costs as much as a short reading's other steps (bench/dates.py).
_new = tuple.__new__
_YEAR = r"(?:\s+(?P<year>[0-9]{4}))?"
_DASH = r"\s*[-\u2010-\u2015\u2212/]\s*"


def alternation(words: Iterable[str]) -> str:
    """A regex alternative of the words, longest first (so that "påskeuka" beats "påske")."""
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


def words_of(*patterns: re.Pattern[str]) -> frozenset[str]:
    """Every word written in the patterns: a text with a word outside them (and outside the
    Part 1 vocabulary) cannot be read, which is found without trying each rule."""
    return frozenset(word for pattern in patterns for word in _WORD.findall(pattern.pattern))


_WORD = re.compile(r"[^\W\d_]+")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, month_days(year, month))


# -- holidays ---------------------------------------------------------------------------------
# Each holiday's days are computed once per year (Easter is arithmetic in Python) and kept for
# the years a process reads.
_per_year = lru_cache(maxsize=256)


@_per_year
def _christmas(year: int) -> Found:
    return _new(Found, (dt.date(year, 12, 24), dt.date(year, 12, 26), False, ""))


@_per_year
def _easter(year: int) -> Found:
    sunday = easter(year)  # Western Easter, as both churches keep it
    return _new(Found, (sunday - 3 * _DAY, sunday + _DAY, False, ""))


@_per_year
def _easter_week(year: int) -> Found:
    sunday = easter(year)
    return _new(Found, (sunday - 6 * _DAY, sunday, False, ""))


@_per_year
def _whitsun(year: int) -> Found:
    sunday = easter(year) + dt.timedelta(days=49)
    return _new(Found, (sunday, sunday + _DAY, False, ""))


@_per_year
def _summer_break(year: int) -> Found:
    return _new(Found, (dt.date(year, 7, 1), dt.date(year, 7, 31), True, "holiday"))


_HOLIDAYS: dict[str, Callable[[int], Found]] = {
    **dict.fromkeys(("jula", "julen", "julehelga", "julhelgen"), _christmas),
    **dict.fromkeys(("påske", "påska", "påsken", "påsk"), _easter),
    **dict.fromkeys(("påskeuka", "påskeuken", "påskeveka", "påskveckan"), _easter_week),
    **dict.fromkeys(("pinse", "pinsen", "pingst", "pingsten"), _whitsun),
    **dict.fromkeys(("sommerferien", "fellesferien", "sommarferien", "sommaruppehållet",
                     "semestern"), _summer_break),
}
_HOLIDAY = re.compile(rf"(?P<name>{alternation(_HOLIDAYS)}|jul){_YEAR}")


def holiday(text: str, ref_year: int | None, after_word: bool) -> Found | None:
    """ "påsken", "pinse 2024", "i jul" (bare `jul` only after a word: alone it may be July)."""
    match = _HOLIDAY.fullmatch(text)
    if match is None or (match["name"] == "jul" and (not after_word or match["year"])):
        return None
    year = int(match["year"]) if match["year"] else ref_year
    if year is None:
        return None
    start, due, approximate, _ = _HOLIDAYS.get(match["name"], _christmas)(year)
    return _new(Found, (start, due, approximate, "holiday"))


# -- New Year ---------------------------------------------------------------------------------

_NEW_YEAR = re.compile(
    r"(?P<word>nyttår|nyåret|nyår|årsskiftet)(?:\s+(?P<first>[0-9]{4})/(?P<second>[0-9]{2,4}))?")
AHEAD, BACK, ON = "ahead", "back", "on"


def _pair(first: str, second: str) -> tuple[int, int] | None:
    """ "2023/2024" or "2023/24": two consecutive years."""
    x = int(first)
    y = int(second) if len(second) == 4 else x - x % 100 + int(second)
    return (x, y) if y == x + 1 and len(second) in (2, 4) else None


def new_year(text: str, look: str | None, ref_year: int | None) -> Found | None:
    """The turn of a year; which turn depends on the word before it (DATES.md's table)."""
    match = _NEW_YEAR.fullmatch(text)
    if match is None:
        return None
    pair = _pair(match["first"], match["second"]) if match["first"] else None
    if match["first"] and (pair is None or match["word"] != "årsskiftet"):
        return None
    if pair is None and ref_year is None:
        return None
    before, after = pair or (ref_year or 0, ref_year or 0)
    if look == AHEAD:
        return Found(None, dt.date(before, 12, 31))
    if look == BACK:
        return Found(dt.date(after, 1, 2), None)
    if look == ON and pair is None and match["word"] == "nyåret":
        return Found(dt.date(after, 1, 1), _month_end(after, 2), True)
    if look is None and pair is not None:
        return Found(dt.date(before, 12, 31), dt.date(after, 1, 1))
    return None


_BETWEEN_FEASTS = re.compile(r"(?:mellom|mellan) (?:jul|julen) (?:og|och) (?:nyttår|nyår)")


def between_feasts(text: str, ref_year: int | None) -> Found | None:
    """ "mellom jul og nyttår": 27–30 December (not Part 1's "mellom A og B")."""
    if ref_year is None or not _BETWEEN_FEASTS.fullmatch(text):
        return None
    return Found(dt.date(ref_year, 12, 27), dt.date(ref_year, 12, 30))


# -- school years, terms and two-year winters -------------------------------------------------

_TERMS: dict[str, tuple[int, int, int, int]] = {  # first month, first day, last month, last day
    **dict.fromkeys(("vårsemesteret", "vårterminen", "vårhalvåret"), (1, 1, 6, 30)),
    **dict.fromkeys(("høstsemesteret", "høstterminen", "haustsemesteret", "höstterminen"),
                    (8, 1, 12, 31)),
    **dict.fromkeys(("høsthalvåret", "hausthalvåret", "hösthalvåret"), (7, 1, 12, 31)),
}
_TERM = re.compile(rf"(?P<name>{alternation(_TERMS)}){_YEAR}")
_SCHOOL_YEAR = re.compile(
    rf"(?:skoleåret|skuleåret|läsåret|verksamhetsåret)\s+(?P<first>[0-9]{{4}}){_DASH}"
    r"(?P<second>[0-9]{2}|[0-9]{4})")
_WINTER = re.compile(
    r"(?P<autumn>(?:høst|höst|haust)/)?(?:vinteren|vinter|vintern)\s+"
    r"(?P<first>[0-9]{4})/(?P<second>[0-9]{2}|[0-9]{4})")


def term(text: str, ref_year: int | None) -> Found | None:
    """ "vårterminen 2024", "skoleåret 2023/24", "vintern 2023/2024", "høst/vinter 2023/24"."""
    match = _TERM.fullmatch(text)
    if match is not None:
        year = int(match["year"]) if match["year"] else ref_year
        if year is None:
            return None
        first_month, first_day, last_month, last_day = _TERMS[match["name"]]
        return _new(Found, (dt.date(year, first_month, first_day),
                            dt.date(year, last_month, last_day), True, "term"))
    match = _SCHOOL_YEAR.fullmatch(text)
    pair = _pair(match["first"], match["second"]) if match else None
    if pair is not None:
        return _new(Found, (dt.date(pair[0], 8, 1), dt.date(pair[1], 6, 30), True, "term"))
    match = _WINTER.fullmatch(text)
    pair = _pair(match["first"], match["second"]) if match else None
    if match is None or pair is None:
        return None
    first_month = 9 if match["autumn"] else 12
    return _new(Found, (dt.date(pair[0], first_month, 1), _month_end(pair[1], 2), True, "term"))


# -- parts of a year, a season or a month ------------------------------------------------------

_PARTS = {
    "begynnelsen av": START, "i begynnelsen av": START, "starten av": START, "tidlig i": START,
    "tidleg i": START, "primo": START, "i början av": START, "början av": START,
    "början på": START, "tidigt i": START, "byrjinga av": START,
    "midten av": MIDDLE, "medio": MIDDLE, "i mitten av": MIDDLE, "mitten av": MIDDLE,
    "slutten av": END, "mot slutten av": END, "i slutten av": END, "sent i": END,
    "seint i": END, "ultimo": END, "i slutet av": END, "slutet av": END, "mot slutet av": END,
}
_PART = re.compile(rf"(?P<part>{alternation(_PARTS)})\s+(?P<rest>.+)")
# Months of a unit (by its length in months) that each part means.
_PART_MONTHS: dict[tuple[str, int], tuple[int, int]] = {
    ("year", START): (1, 3), ("year", MIDDLE): (5, 8), ("year", END): (10, 12),
    ("season", START): (1, 1), ("season", MIDDLE): (2, 2), ("season", END): (3, 3),
    ("quarter", START): (1, 1), ("quarter", MIDDLE): (2, 2), ("quarter", END): (3, 3),
    ("tertial", START): (1, 1), ("tertial", MIDDLE): (2, 3), ("tertial", END): (4, 4),
    ("half", START): (1, 1), ("half", MIDDLE): (3, 4), ("half", END): (6, 6),
    ("winter", START): (1, 1), ("winter", END): (2, 2),
}
_MONTH_DAYS = {START: (1, 10), MIDDLE: (11, 20), END: (21, 31)}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def part_of(text: str, ref_year: int | None) -> Found | None:
    """ "slutten av 2025", "tidlig i mars", "midten av 2. halvår": a part of one unit."""
    match = _PART.fullmatch(text)
    if match is None:
        return None
    whole = read_plain(match["rest"], ref_year)
    if not isinstance(whole, Found) or whole.start is None or whole.due is None:
        return None
    part = _PARTS[match["part"]]
    if whole.unit == "month":
        first, last = _MONTH_DAYS[part]
        end = min(last, whole.due.day)
        return _new(Found, (whole.start.replace(day=first), whole.start.replace(day=end),
                            whole.approximate, "pom"))
    months = _PART_MONTHS.get((whole.unit, part))
    if months is None:  # a week, a day, a range, the middle of a winter: not defined
        return None
    first_month = _add_months(whole.start, months[0] - 1)
    last_month = _add_months(whole.start, months[1] - 1)
    return _new(Found, (first_month, _month_end(last_month.year, last_month.month), True, "part"))


# -- first/last week of a month, month boundaries ----------------------------------------------

_WEEK_OF = re.compile(
    r"(?P<which>første|fyrste|första|siste|sista)\s+(?:uke|uka|uken|veke|veka|vecka|veckan)"
    r"\s+(?:i\s+)?(?P<rest>.+)")


def week_of_month(text: str, ref_year: int | None) -> Found | None:
    """ "første uke i september": the first Monday–Sunday week that starts inside the month;
    "siste uke i X": the last one that ends inside it."""
    match = _WEEK_OF.fullmatch(text)
    if match is None:
        return None
    month = read_plain(match["rest"], ref_year)
    if not isinstance(month, Found) or month.unit != "month" or month.start is None:
        return None
    if match["which"] in ("siste", "sista"):
        assert month.due is not None  # a month has both ends
        sunday = month.due - dt.timedelta(days=(month.due.weekday() + 1) % 7)
        return _new(Found, (sunday - 6 * _DAY, sunday, month.approximate, ""))
    monday = month.start + dt.timedelta(days=-month.start.weekday() % 7)
    return _new(Found, (monday, monday + 6 * _DAY, month.approximate, ""))


_MONTHS = {word: entry.value for word, entry in vocabulary().single.items()
           if entry.category == "month"}  # "jul." keeps its dot: bare "jul" is Christmas
_MONTH = alternation(_MONTHS)
_BOUNDARY = re.compile(
    rf"(?:i\s+)?(?:(?:månedsskiftet|månadsskiftet)\s+(?P<a>{_MONTH})\.?\s*/\s*(?P<b>{_MONTH})\.?"
    rf"|(?:overgangen\s+mellom|övergången\s+mellan)\s+(?P<c>{_MONTH})\.?\s+(?:og|och)\s+"
    rf"(?P<d>{_MONTH}))\.?{_YEAR}")


def month_boundary(text: str, ref_year: int | None) -> Found | None:
    """ "månedsskiftet januar/februar": 25 January .. 5 February, approximate."""
    match = _BOUNDARY.fullmatch(text)
    if match is None:
        return None
    first = _MONTHS[match["a"] or match["c"]]
    second = _MONTHS[match["b"] or match["d"]]
    year = int(match["year"]) if match["year"] else ref_year
    if second != first % 12 + 1 or year is None or (match["year"] and first == 12):
        return None  # not consecutive; "desember/januar 2024" does not say which turn
    return _new(Found, (dt.date(year, first, 25), dt.date(year + (first == 12), second, 5), True,
                        "boundary"))


def _holiday(text: str, ref_year: int | None, after_word: bool) -> Found | None:
    return holiday(text, ref_year, after_word)


def _plain_reader(reader: Callable[[str, int | None], Found | None]) -> PeriodReader:
    return lambda text, ref_year, _after_word: reader(text, ref_year)


PeriodReader = Callable[[str, int | None, bool], Found | None]


def _by_first_word() -> dict[str, tuple[PeriodReader, ...]]:
    """Which readers a text starting with a word may be: "i" starts a part of a unit ("i
    slutten av") and a month boundary ("i månedsskiftet")."""
    table: dict[str, tuple[PeriodReader, ...]] = {}
    for words, reader in (
            ((*_TERMS, "skoleåret", "skuleåret", "läsåret", "verksamhetsåret", "høst", "höst",
              "haust", "vinteren", "vinter", "vintern"), _plain_reader(term)),
            (tuple(phrase.split()[0] for phrase in _PARTS), _plain_reader(part_of)),
            (("første", "fyrste", "första", "siste", "sista"), _plain_reader(week_of_month)),
            (("i", "månedsskiftet", "månadsskiftet", "overgangen", "övergången"),
             _plain_reader(month_boundary)),
            ((*_HOLIDAYS, "jul"), _holiday)):
        for word in dict.fromkeys(words):
            table[word] = (*table.get(word, ()), reader)
    return table


_BY_FIRST_WORD = _by_first_word()
_FIRST_SPLIT = re.compile(r"[\s/]")


def period(text: str, ref_year: int | None, after_word: bool) -> Found | None:
    """Any named period of Part 2 that `text` is exactly; only the readers of periods that
    start with its first word are asked."""
    if not text[:1].isalpha():
        return None  # "19–23 februari": every period starts with a word
    for reader in _BY_FIRST_WORD.get(_FIRST_SPLIT.split(text, 1)[0], ()):
        found = reader(text, ref_year, after_word)
        if found is not None:
            return found
    return None


WORDS = words_of(_HOLIDAY, _NEW_YEAR, _BETWEEN_FEASTS, _TERM, _SCHOOL_YEAR, _WINTER, _PART,
                 _WEEK_OF, _BOUNDARY)
