"""Date spans in Scandinavian planning language: `parse_span` (rules: DATES.md, docs/dates.md).

The work is split in four private steps, each a small module:
`lexer` (text -> tokens), `vocab` (the nb/nn/sv words, as data),
`grammar` (tokens -> a reading) and `spans` (a reading -> days).
A text is only `dated` when every token in it is explained by a rule; otherwise it is
`unparsed`, because reminders are sent on the dates and a wrong date is worse than none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

from timelines.dates.grammar import Reading, read, remark_flags
from timelines.dates.lexer import clean, tokenize
from timelines.dates.spans import bounds, range_span
from timelines.dates.vocab import Vocabulary, vocabulary

__all__ = ["DateSpan", "Kind", "parse_span"]

Kind = Literal["dated", "ongoing", "undated", "unparsed"]

_MAX_LENGTH = 300  # a date text is a table cell; anything longer is prose, not a date
_REMARK = re.compile(r"\(([^()]*)\)")
_VOCABULARY = vocabulary()


@dataclass(frozen=True)
class DateSpan:
    """What a date text means: a span of days, both ends inclusive, either may be open."""

    text: str
    kind: Kind
    start: dt.date | None = None
    due: dt.date | None = None
    approximate: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "approximate": self.approximate,
        }


class _Remarks(NamedTuple):
    approximate: bool  # "(?)", "(ca.)"
    or_before: bool  # "(eller før)"


_NO_REMARKS = _Remarks(False, False)


def _remarks(text: str, vocab: Vocabulary) -> tuple[str, _Remarks] | None:
    """The text without its "(...)" remarks, and what they said; None when one is unbalanced
    or carries a date.

    "(eller før)" and "(?)" qualify what precedes them, so they must end the text.
    """
    approximate = or_before = False
    for match in _REMARK.finditer(text):
        flags = remark_flags(tokenize(match.group(1)), vocab)
        if flags is None or (any(flags) and text[match.end():].strip()):
            return None
        approximate, or_before = approximate or flags[0], or_before or flags[1]
    rest = _REMARK.sub(" ", text)
    if "(" in rest or ")" in rest:
        return None
    return rest, _Remarks(approximate, or_before)


def _days(reading: Reading, ref_year: int | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of the reading; None when the calendar has no such days."""
    try:
        if reading.right is not None:
            return range_span(reading.left, reading.right, ref_year)
        if reading.left.year or ref_year is not None:
            return bounds(reading.left, reading.left.year or ref_year or 0)
        return None  # no year, and no ref_year: never guessed from today
    except (ValueError, OverflowError):  # impossible dates: 31 April, week 53 of 2021...
        return None


def _dated(text: str, reading: Reading, remarks: _Remarks, ref_year: int | None) -> DateSpan:
    days = _days(reading, ref_year)
    if days is None or (remarks.or_before and reading.mode == "open"):
        return DateSpan(text, "unparsed")  # "fra mars (eller før)" contradicts itself
    mode = "deadline" if remarks.or_before else reading.mode
    approximate = reading.approximate or remarks.approximate or remarks.or_before
    start = None if mode == "deadline" else days[0]
    due = None if mode == "open" else days[1]
    return DateSpan(text, "dated", start, due, approximate)


def parse_span(text: str, *, lang: str | None = None, ref_year: int | None = None) -> DateSpan:
    """Read `text` as a span (DATES.md); never raises, `unparsed` when in doubt.

    `lang` ("nb", "nn", "sv") names the text's language; the words of all three are read in any
    case, since they never contradict each other (docs/dates.md).
    """
    vocab = _VOCABULARY
    if len(text) > _MAX_LENGTH:
        return DateSpan(text, "unparsed")
    cleaned = clean(text)
    rest, remarks = cleaned, _NO_REMARKS
    if "(" in cleaned or ")" in cleaned:
        found = _remarks(cleaned, vocab)
        if found is None:
            return DateSpan(text, "unparsed")
        rest, remarks = found
    tokens = tokenize(rest)
    if not tokens:  # empty, blank or markup only: undated; a remark alone: unparsed
        return DateSpan(text, "undated" if rest == cleaned else "unparsed")
    reading = read(tokens, vocab)
    if reading is None:
        return DateSpan(text, "unparsed")
    if isinstance(reading, str):
        return DateSpan(text, reading)  # "ongoing" or "undated"
    return _dated(text, reading, remarks, ref_year)
