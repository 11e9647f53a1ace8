"""The commonest texts read from their tokens' symbols instead of rule by rule: `read_plain`,
the Part 1 reading of a text, asks `fast` first and the grammar only for what it leaves.

A text of one part or a range of two ("mars 2023", "15. mars", "uke 12", "mars – mai 2023",
"uke 3–14") with at most one prefix ("innen", "fra", "i løpet av", "ca.", "mellom") is read from
its tokens' symbols (lexer.py): each side's symbols name the part it is, built with the fields
the grammar gives it, and spans.py turns the parts into days. Anything unusual is left to the
grammar; tests/test_dates_fast.py compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from timelines.dates.grammar import (
    _LIMITS,
    _ORDINAL_UNITS,
    PADDING,
    Part,
    State,
    phrase_at,
)
from timelines.dates.lexer import END, Tok, entry_symbol, lex
from timelines.dates.spans import YEAR_TABLES, Found, bounds, range_span, read_grammar
from timelines.dates.vocab import WINTER, Entry, vocabulary

# Builds a named tuple from all its fields without the Python-level __new__ that NamedTuple
# generates, whose call costs as much as a short reading's other steps (bench/dates.py).
_new = tuple.__new__
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
    table = YEAR_TABLES.get(year)  # bounds() without its call, for the commonest case
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
