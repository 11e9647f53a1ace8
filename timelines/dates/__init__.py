"""Date spans in Scandinavian planning language: `parse_span` (rules: DATES.md, docs/dates.md).

The work is split in small steps, each a module: `lexer` (text -> tokens), `vocab` (the
nb/nn/sv words, as data), `grammar` (tokens -> a Part 1 reading), `spans` (a reading -> days),
`shortcut` (the commonest Part 1 texts read from their tokens' symbols, the grammar for the
rest), `periods` (Part 2's named periods: holidays, terms, parts of a unit...), `phrases` (Part
2 around Part 1: brackets, weekdays, until/before/after) and `recurrence` (frequency words ->
an RFC 5545 RRULE). A text is only `dated` when every word in it is explained by a rule;
otherwise it is `unparsed`, because reminders are sent on the dates and a wrong date is worse
than none.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from timelines.dates import periods, phrases, recurrence
from timelines.dates.grammar import State
from timelines.dates.lexer import Tok, clean, lex
from timelines.dates.recurrence import due_days, occurrence, recurring
from timelines.dates.shortcut import fast
from timelines.dates.spans import Found, read_grammar
from timelines.dates.vocab import vocabulary

__all__ = ["DateSpan", "SpanKind", "parse_span", "recurs_until"]

SpanKind = Literal["dated", "ongoing", "undated", "unparsed", "recurring"]

_MAX_LENGTH = 300  # a date text is a table cell; anything longer is prose, not a date
# Builds a named tuple from all its fields without the Python-level __new__ that NamedTuple
# generates, whose call costs as much as a short reading's other steps (bench/dates.py).
_new = tuple.__new__


class DateSpan(NamedTuple):
    """What a date text means: a span of days, both ends inclusive, either may be open.

    A recurring span also has `recurrence`, an RFC 5545 RRULE (no DTSTART) whose occurrences
    are the due days; `start`/`due` are then those of its first occurrence in the plan year.
    Immutable (a named tuple: cheaper to build than a frozen dataclass, and parse_span builds
    one per call).
    """

    text: str
    kind: SpanKind
    start: dt.date | None = None
    due: dt.date | None = None
    approximate: bool = False
    recurrence: str | None = None

    def as_json(self) -> dict[str, object]:
        """kind, start, due, approximate; and recurrence, for a recurring span only."""
        shown: dict[str, object] = {
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "approximate": self.approximate,
        }
        if self.recurrence is not None:
            shown["recurrence"] = self.recurrence
        return shown

    def occurrences(self, first: dt.date, last: dt.date) -> list[DateSpan]:
        """Every occurrence whose due day lies in `first` .. `last` (both included), each a
        `dated` span; a span that does not recur is its own only occurrence."""
        if self.recurrence is None or self.due is None:
            inside = self.kind == "dated" and self.due is not None and first <= self.due <= last
            return [self] if inside else []
        one = Found(self.start, self.due, self.approximate)
        return [DateSpan(self.text, "dated", span.start, span.due, self.approximate)
                for span in (occurrence(one, due) for due in due_days(self.recurrence, first,
                                                                        last))]


def recurs_until(until: dt.date | None, period: str | None, ref_year: int) -> dt.date:
    """The last day a recurring task recurs: its own `until`, else the end of the timeline's
    `period` ("2022-2024"), else 31 December two years after the plan year (DATES.md)."""
    if until is not None:
        return until
    span = parse_span(period, ref_year=ref_year) if period else None
    if span is not None and span.kind == "dated" and span.due is not None:
        return span.due
    return dt.date(ref_year + 2, 12, 31)


def _recurring(text: str, frequency: tuple[str, str], lang: str | None, ref_year: int | None
               ) -> DateSpan:
    unit, anchor = frequency
    if ref_year is None:
        return DateSpan(text, "unparsed")  # the first occurrence is in the plan year

    lexed = lex(anchor)  # the anchor is read for two years: lexed once

    def read(anchor_text: str, year: int) -> Found | str | None:
        return phrases.read(anchor_text, lang, year, lexed if anchor_text is anchor else None)

    series = recurring(unit, anchor, ref_year, read)
    if series is None:
        return DateSpan(text, "unparsed")
    first = series.first
    return _new(DateSpan, (text, "recurring", first.start, first.due, first.approximate,
                           series.rule))


_PART1_WORDS = vocabulary().words
_WORDS = _PART1_WORDS | phrases.WORDS | periods.WORDS | recurrence.WORDS


_FREQUENCY_WORDS = recurrence.FIRST_WORDS
# Part 1 words that, first in a text, start a Part 2 phrase ("før jul", "til uke 34", "mot
# slutten av 2025", "første uke i mars"): the Part 1 grammar alone would fail, or read what Part
# 2 reads the same way (Part 2 asks it last).
_PART2_STARTS = frozenset(("før", "före", "til", "till", "mot", "tidlig", "tidleg", "tidigt",
                           "sent", "seint", "første", "fyrste", "första", "siste", "sista"))


def _strangers(tokens: list[Tok], symbols: str) -> tuple[bool, bool, bool]:
    """Whether a token is outside Part 1's words (then its grammar is not asked), whether a
    word is outside every rule's words (then nothing can read the text), and whether a word
    may start a frequency ("årlig", "hvert år")."""
    if "w" not in symbols:  # the lexer found every word in the Part 1 vocabulary
        return "!" in symbols, False, False  # "!": a token no rule of Part 1 reads
    unknown = recurring = False
    for tok in tokens:
        if tok.sym == "w":
            if tok.text not in _WORDS:
                unknown = True
            elif tok.text in _FREQUENCY_WORDS:
                recurring = True
    return True, unknown, recurring


def _part1(cleaned: str, lexed: tuple[list[Tok], str], ref_year: int | None
           ) -> Found | State | None:
    """The Part 1 reading of a text of Part 1 words, unless Part 2 is sure to read it better or
    the same way (then None without asking the grammar)."""
    if "eller" in cleaned and phrases.either(cleaned):
        return None  # "mars eller april": the grammar knows "eller" only in "eller før"
    tokens, symbols = lexed
    found = fast(tokens, symbols, ref_year)  # read_plain, whose steps are inlined here
    if found is not None or tokens[0].text in _PART2_STARTS:
        return found or None  # a Part 2 starter: when the shortcut cannot tell, Part 2 will
    return read_grammar(tokens, ref_year, symbols)


def _span(text: str, cleaned: str, lang: str | None, ref_year: int | None) -> DateSpan:
    lexed = lex(cleaned)
    tokens = lexed[0]
    part2, unknown, recurring = _strangers(tokens, lexed[1])
    found = None
    if not part2 and tokens and "innan" not in cleaned:  # phrases.plain: a bracket is a "!"
        found = _part1(cleaned, lexed, ref_year)
    if found is None:  # no frequency word is a Part 1 word: the common case is done above
        if unknown and "(" not in cleaned:
            return _new(DateSpan, (text, "unparsed", None, None, False, None))  # "Drift", "mill"
        frequency = recurrence.frequency(cleaned) if recurring else None
        if frequency is not None:
            return _recurring(text, frequency, lang, ref_year)
        found = phrases.read_part2(cleaned, lang, ref_year, lexed)
    if found is None:
        return _new(DateSpan, (text, "unparsed", None, None, False, None))
    if isinstance(found, str):
        return _new(DateSpan, (text, found, None, None, False, None))  # "ongoing", "undated"
    return _new(DateSpan, (text, "dated", found.start, found.due, found.approximate, None))


def parse_span(text: str, *, lang: str | None = None, ref_year: int | None = None) -> DateSpan:
    """Read `text` as a span (DATES.md); never raises, `unparsed` when in doubt.

    `lang` ("nb", "nn", "sv") names the text's language; the words of all three are read in any
    case, since they never contradict each other, except `innan` (docs/dates.md).
    """
    if len(text) > _MAX_LENGTH:
        return DateSpan(text, "unparsed")
    try:
        return _span(text, clean(text), lang, ref_year)
    except (ValueError, OverflowError):  # a calendar edge: year 1 or 9999, 31 April...
        return DateSpan(text, "unparsed")
