"""DATES.md Part 2 around the Part 1 grammar: remarks in brackets, weekdays, times of day,
words that change nothing, years relative to the plan, and until/before/after.

A text the Part 1 grammar reads whole is taken as it reads it (the fast path: most cells).
Otherwise the text is normalised, its operator ("før", "etter", "frem til"...) is taken off the
front, the rest is read as one period (a Part 2 name, or anything Part 1 reads) and the operator
is applied. Every check that fails gives None: `unparsed`, never a near date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

from timelines.dates.grammar import State, remark_flags
from timelines.dates.lexer import Tok, lex
from timelines.dates.periods import (
    AHEAD,
    BACK,
    ON,
    alternation,
    between_feasts,
    new_year,
    period,
    words_of,
)
from timelines.dates.shortcut import fast, read_plain
from timelines.dates.spans import Found, approximately
from timelines.dates.vocab import vocabulary

Result = Found | State | None
_DAY = dt.timedelta(days=1)
# Builds a named tuple from all its fields without the Python-level __new__ that NamedTuple
# generates, whose call costs as much as a short reading's other steps (bench/dates.py).
_new = tuple.__new__


# -- remarks in brackets -----------------------------------------------------------------------

_VOCABULARY = vocabulary()
_REMARK = re.compile(r"\(([^()]*)\)")
_REFERENCE = re.compile(r"\s*(?:jf|jfr|se|sak|ref|dnr)(?:\.|\s|$)")


class Remarks(NamedTuple):
    approximate: bool  # "(?)", "(ca.)"
    or_before: bool  # "(eller før)"
    dated: tuple[str, ...]  # remarks that hold a date, to be compared with the text


def remarks(text: str) -> tuple[str, Remarks] | None:
    """The text without its "(...)" remarks, and what they said; None when one is unbalanced.

    References ("(jf. sak 12/23)") and history ("(justert fra mars)") are ignored; "(eller
    før)" and "(?)" qualify what precedes them, so they must end the text.
    """
    approximate = or_before = False
    dated: list[str] = []
    for match in _REMARK.finditer(text):
        inner = match.group(1)
        if _REFERENCE.match(inner):
            continue
        tokens, symbols = lex(inner)
        flags = remark_flags(tokens, _VOCABULARY, symbols)
        if flags is None:
            dated.append(inner)
            continue
        if any(flags) and text[match.end():].strip():
            return None
        approximate, or_before = approximate or flags[0], or_before or flags[1]
    rest = _REMARK.sub(" ", text)
    if "(" in rest or ")" in rest:
        return None
    return rest, _new(Remarks, (approximate, or_before, tuple(dated)))


_NO_REMARKS = Remarks(False, False, ())


# -- times of day, fillers, relative years -----------------------------------------------------

_CLOCK = r"[0-9]{1,2}(?:[.:][0-9]{2})?"
# A day as written before a time: "15. mars 2023", "6 september", "15.03", "22/5", ISO.
_DAY_BEFORE_TIME = (
    r"(?<![0-9])(?:[0-9]{1,2}\.?\s*[^\W\d_]+\.?(?:\s+[0-9]{4})?"
    r"|[0-9]{1,2}[./][0-9]{1,2}\.?(?:[./]?[0-9]{2,4})?|[0-9]{4}-[0-9]{2}-[0-9]{2})")
_TIME = re.compile(
    rf"(?P<day>{_DAY_BEFORE_TIME})\s+(?:kl\.?\s*{_CLOCK}|[0-9]{{1,2}}:[0-9]{{2}})"
    rf"(?:\s*[-\u2010-\u2015\u2212]\s*(?:kl\.?\s*)?{_CLOCK})?(?=\s|$|[-\u2010-\u2015\u2212,])")
_ORDINAL_WORDS = "första|andra|tredje|fjärde|sista"
# (pattern, replacement, the words one of which the text must have for the pattern to apply).
# A replacement that refers to groups is a function: re's template strings are parsed again on
# every call, which costs more than the match.
_WEEK_WORDS = frozenset(("uke", "uka", "veke", "vecka", "v"))
_WEEK_SLASH = re.compile(r"((?:uke|uka|veke|vecka|v\.?)\s*[0-9]{1,2})/([0-9]{1,2})(?![0-9])")
_FILLERS = (
    (re.compile(rf"(?:(?<=\s)|^)(?:det|den)\s+(?=(?:{_ORDINAL_WORDS})\s)"), "",
     frozenset(("det", "den"))),
    (re.compile(r"(?:(?<=\s)|^)det\s+(?=[0-9]+:[a-z]+\s)"), "", frozenset(("det",))),
    (re.compile(r"(?<=[a-zåäö.])\s+månad(?=\s|$)"), "", frozenset(("månad",))),
    (_WEEK_SLASH, lambda match: f"{match[1]}-{match[2]}", _WEEK_WORDS),
)
_YEAR_WORDS = frozenset(("år", "året"))
_NORMALISED_WORDS = frozenset().union(*(needed for _, _, needed in _FILLERS), _YEAR_WORDS)
_THIS_YEAR = re.compile(r"(?:(?<=\s)|^)i år(?=\s|$)")
_NEXT_YEAR = re.compile(
    r"(?:(?<=\s)|^)(?:neste år|nästa år|påfølgende år|påföljande år|följande år|året etter"
    r"|året efter)(?=\s|$)")


def _day_of(match: re.Match[str]) -> str:
    return match["day"]


def drop_time(text: str) -> tuple[str, bool]:
    """ "15. mars kl. 12" -> "15. mars": deadlines are days. Whether a time was dropped."""
    if "kl" not in text and ":" not in text:
        return text, False
    dropped = _TIME.sub(_day_of, text)
    return dropped, dropped != text


def normalise(text: str, words: frozenset[str], ref_year: int | None) -> str:
    """Words that change nothing taken out; "i år", "neste år" written as the year. `words`
    are the text's words, which say cheaply which patterns could apply."""
    if _NORMALISED_WORDS.isdisjoint(words):
        return text  # most texts: no pattern below can apply
    for pattern, replacement, needed in _FILLERS:
        if not needed.isdisjoint(words) and (pattern is not _WEEK_SLASH or "/" in text):
            text = pattern.sub(replacement, text)
    if ref_year is not None and not _YEAR_WORDS.isdisjoint(words):
        text = _THIS_YEAR.sub(f"i {ref_year}", text)
        text = _NEXT_YEAR.sub(str(ref_year + 1), text)
    return text


# -- weekdays ----------------------------------------------------------------------------------

_WEEKDAYS = {
    **dict.fromkeys(("mandag", "måndag", "måndagen", "man", "mån"), 0),
    **dict.fromkeys(("tirsdag", "tysdag", "tisdag", "tisdagen", "tir", "tirs", "tis"), 1),
    **dict.fromkeys(("onsdag", "onsdagen", "ons"), 2),
    **dict.fromkeys(("torsdag", "torsdagen", "tor", "tors"), 3),
    **dict.fromkeys(("fredag", "fredagen", "fre"), 4),
    **dict.fromkeys(("lørdag", "laurdag", "lördag", "lördagen", "lør", "lör"), 5),
    **dict.fromkeys(("søndag", "sundag", "söndag", "söndagen", "søn", "sön"), 6),
}
_WEEKDAY = re.compile(
    rf"(?:(?<=[\s\-\u2010-\u2015\u2212])|^)(?P<name>{alternation(_WEEKDAYS)})\.?,?\s+"
    r"(?=den\s|[0-9])")


class WeekdayCheck(NamedTuple):
    weekday: int  # Monday 0
    last: bool  # checks the span's due (the right side of a range), else its first day


_WEEKDAY_WORDS = frozenset(_WEEKDAYS)


def weekdays(text: str, words: frozenset[str]) -> tuple[str, tuple[WeekdayCheck, ...]]:
    """The text without weekday names before a day, and the checks they ask for."""
    if not words & _WEEKDAY_WORDS:
        return text, ()
    checks = []
    for match in _WEEKDAY.finditer(text):
        last = any(char.isdigit() for char in text[:match.start()])
        checks.append(WeekdayCheck(_WEEKDAYS[match["name"]], last))
    return _WEEKDAY.sub("", text), tuple(checks)


def weekdays_hold(found: Found, checks: tuple[WeekdayCheck, ...]) -> bool:
    for check in checks:
        day = found.due if check.last or found.start is None else found.start
        if day is None or day.weekday() != check.weekday:
            return False
    return True


# -- until, before, after ----------------------------------------------------------------------

BY, DURING, FROM = "by", "during", "from"  # Part 1's modes, which its grammar also reads
BEFORE, UNTIL, AROUND, AFTER, OVER, ON_WORD = "before", "until", "around", "after", "over", "on"
_OPERATORS = {
    **dict.fromkeys(
        ("innen", "senest", "seinast", "senast", "innen utgangen av", "innan utgangen av",
         "ved utgangen av", "senest innen", "seinast innan", "innen fristen",
         "senast vid utgången av", "vid utgången av", "innan utgången av", "til og med",
         "t.o.m.", "tom.", "till och med"), BY),
    **dict.fromkeys(
        ("fra", "frå", "från", "fra og med", "frå og med", "f.o.m.", "fom.", "fom",
         "från och med", "fr.o.m.", "sedan"), FROM),
    **dict.fromkeys(("i løpet av", "ila", "i.l.a.", "i", "under", "hele", "heile", "hela"),
                    DURING),
    **dict.fromkeys(("før", "före", "inför"), BEFORE),
    **dict.fromkeys(("frem til", "fram til", "inntil", "fram till", "fram tills"), UNTIL),
    **dict.fromkeys(("til", "till"), AROUND),
    **dict.fromkeys(("etter", "efter"), AFTER),
    "over": OVER, "på": ON_WORD, "innan": "innan",
}
_OPERATOR = re.compile(rf"(?P<op>{alternation(_OPERATORS)})\s+(?P<rest>.+)", re.DOTALL)
_APPROX = re.compile(r"(?:ca\.?|c:a|cirka|circa)\s+(?P<rest>.+)", re.DOTALL)
_LOOK = {BY: AHEAD, BEFORE: AHEAD, UNTIL: AHEAD, AROUND: AHEAD, AFTER: BACK, OVER: BACK,
         ON_WORD: ON}
_OR = re.compile(r"\s+eller\s+(?!før|före|tidligere|tidlegare|tidigare)")


def _innan(lang: str | None) -> tuple[str, bool]:
    """ "innan" is "by" in Norwegian and "before" in Swedish; unknown: the earlier, approximate."""
    if lang in ("nb", "nn"):
        return BY, False
    return BEFORE, lang != "sv"


def _apply(operator: str, x: Found) -> Found | None:
    """What an operator makes of a period X with both ends."""
    start, due, approximate, _ = x
    if start is None or due is None:
        return None
    if operator == BY:
        return _new(Found, (None, due, approximate, ""))
    if operator == FROM:
        return _new(Found, (start, None, approximate, ""))
    if operator == BEFORE:
        return _new(Found, (None, start - _DAY, approximate, ""))
    if operator == UNTIL:
        return _new(Found, (None, due, approximate, "") if start == due else (
            None, start - _DAY, True, ""))
    if operator == AROUND:
        return _new(Found, (start, due, True, ""))
    if operator == AFTER:
        return _new(Found, (due + _DAY, None, approximate, ""))
    return x if operator == DURING else None


def either(cleaned: str) -> bool:
    """Whether the text says "A eller B" (not "A eller før")."""
    return _OR.search(cleaned) is not None


def _either(text: str, ref_year: int | None) -> Found | None:
    """ "februar eller mars 2022": one of them, so the span of both, approximate."""
    both = read_plain(_OR.sub(" og ", text), ref_year)
    if not isinstance(both, Found) or both.start is None or both.due is None:
        return None
    return approximately(both)


def _new_year_word(text: str) -> bool:
    return "år" in text and ("nyttår" in text or "nyår" in text or "årsskiftet" in text)


def _operated(operator: str, rest: str, text: str, ref_year: int | None) -> Result:
    look = _LOOK.get(operator)
    if _new_year_word(rest):
        return new_year(rest, look, ref_year)
    x = period(rest, ref_year, True)
    if x is None and operator in (BY, FROM, DURING):
        return read_plain(text, ref_year)  # the Part 1 grammar reads its own prefixes
    if x is None and operator not in (OVER, ON_WORD):
        plain = read_plain(rest, ref_year)
        x = plain if isinstance(plain, Found) else None
    return _apply(operator, x) if x is not None else None


def body(text: str, lang: str | None, ref_year: int | None,
         lexed: tuple[list[Tok], str] | None = None) -> Result:
    """An operator (or none) and one period, or anything the Part 1 grammar reads; `lexed`
    are the text's tokens and symbols, when the caller has them."""
    text = text.strip()
    approximate = _APPROX.fullmatch(text) if text[:1] == "c" else None  # "ca.", "cirka"...
    if approximate is not None:
        found = body(approximate["rest"], lang, ref_year)
        return approximately(found) if isinstance(found, Found) else None
    if text.startswith("mell") and (feasts := between_feasts(text, ref_year)):
        return feasts
    match = _OPERATOR.fullmatch(text) if text[:1].isalpha() else None  # operators are words
    if match is None:
        if "eller" in text and _OR.search(text):
            return _either(text, ref_year)
        if _new_year_word(text):
            return new_year(text, None, ref_year)
        return period(text, ref_year, False) or read_plain(text, ref_year, lexed)
    operator, sure = _OPERATORS[match["op"]], True
    if operator == "innan":
        operator, approximate_innan = _innan(lang)
        sure = not approximate_innan
    found = _operated(operator, match["rest"], text, ref_year)
    if not sure and isinstance(found, Found):
        return approximately(found)
    return found


# -- the whole text ----------------------------------------------------------------------------

def _confirmed(found: Found, dated: tuple[str, ...], lang: str | None,
               ref_year: int | None) -> bool:
    """Each dated remark must contain the span ("19–23 februari (vecka 8)")."""
    if not dated:
        return True
    if found.start is None or found.due is None:
        return False
    for inner in dated:
        bracket = read(inner, lang, found.start.year)
        if not isinstance(bracket, Found) or bracket.start is None or bracket.due is None:
            return False
        if not (bracket.start <= found.start and found.due <= bracket.due):
            return False
    return True


def _qualified(found: Found, said: Remarks) -> Found | None:
    if said.or_before:  # "X (eller før)": a deadline; "fra X (eller før)" contradicts itself
        return None if found.due is None else _new(Found, (None, found.due, True, ""))
    return approximately(found) if said.approximate else found


def plain(cleaned: str) -> bool:
    """Whether the Part 1 grammar may read the text as it stands: no remark in brackets, and
    not "innan", whose reading depends on the language."""
    return "(" not in cleaned and ")" not in cleaned and "innan" not in cleaned


def read(cleaned: str, lang: str | None, ref_year: int | None,
         lexed: tuple[list[Tok], str] | None = None) -> Result:
    """A cleaned text (and its tokens and symbols, when the caller has them) read by Part 1 and
    Part 2 (recurrence aside)."""
    lexed = lex(cleaned) if lexed is None else lexed
    if plain(cleaned) and (found := read_plain(cleaned, ref_year, lexed)) is not None:
        return found
    return read_part2(cleaned, lang, ref_year, lexed)


def read_part2(cleaned: str, lang: str | None, ref_year: int | None,
               lexed: tuple[list[Tok], str] | None = None) -> Result:
    """A text the Part 1 grammar does not read whole: its Part 2 reading, or None. `lexed`
    are the text's tokens and symbols, when the caller has them already."""
    if "(" in cleaned or ")" in cleaned:
        found = remarks(cleaned)
        if found is None:
            return None
        rest, said = found
        lexed = lex(rest)
        tokens = lexed[0]
    else:
        rest, said = cleaned, _NO_REMARKS
        lexed = lex(rest) if lexed is None else lexed
        tokens = lexed[0]
        shortcut = operated_shape(rest, lexed, ref_year) if tokens else None
        if shortcut is not None:
            return shortcut
    if not tokens:  # empty or markup only: undated; a remark alone: unparsed
        return "undated" if rest == cleaned else None
    return _checked(rest, lexed, said, lang, ref_year)


# Operators that start no longer one (the regex tries the longest first), with their words.
_SHORT_OPERATORS = {
    **dict.fromkeys(("før", "före", "inför"), BEFORE), **dict.fromkeys(("etter", "efter"), AFTER),
    **dict.fromkeys(("inntil", "frem til", "fram til", "fram till", "fram tills"), UNTIL),
}


def operated_shape(cleaned: str, lexed: tuple[list[Tok], str], ref_year: int | None
                   ) -> Found | None:
    """ "før 1. mars", "frem til uke 25": one of _SHORT_OPERATORS, then a text the Part 1
    shortcut reads, read as `_checked` reads it without its steps that cannot apply (no time,
    filler, weekday, remark or named period is in such a text); None for any other text."""
    tokens, symbols = lexed
    words, size = tokens[0].text, 1
    if words in ("frem", "fram") and len(tokens) > 2:
        words, size = f"{words} {tokens[1].text}", 2
    operator = _SHORT_OPERATORS.get(words)
    if operator is None or len(tokens) <= size:
        return None
    x = fast(tokens[size:], symbols[size:], ref_year)
    if not x or not _written_as(cleaned, words) or _rewritten(cleaned, [t.text for t in tokens]):
        return None
    return _apply(operator, x)


def _written_as(cleaned: str, words: str) -> bool:
    """Whether the text starts with exactly these words and a space, as _OPERATOR wants."""
    text = cleaned.lstrip()
    return text.startswith(words) and text[len(words):len(words) + 1].isspace()


def _checked(rest: str, lexed: tuple[list[Tok], str], said: Remarks, lang: str | None,
             ref_year: int | None) -> Result:
    checks: tuple[WeekdayCheck, ...] = ()
    words = frozenset([tok.text for tok in lexed[0]])
    if not _rewritten(rest, words):  # most texts: no time, filler or weekday
        timed, found = False, body(rest, lang, ref_year, lexed)
    else:
        text, timed = drop_time(rest)
        text, checks = weekdays(normalise(text, words, ref_year), words)
        found = body(text, lang, ref_year)
    if not isinstance(found, Found):
        return None if (timed or checks or said.dated) else found
    if timed and (found.due is None or found.start not in (None, found.due)):
        return None  # a time of day belongs to a day
    if checks and not weekdays_hold(found, checks):
        return None
    if said is _NO_REMARKS:  # the common case: nothing in brackets to compare or apply
        return found
    if not _confirmed(found, said.dated, lang, ref_year):
        return None
    return _qualified(found, said)


# The words of a text that drop_time, normalise or weekdays may rewrite (besides "kl" and ":"),
# with a slash in the text ("uke 3/4") and without one.
_REWRITTEN_WORDS = _NORMALISED_WORDS | _WEEKDAY_WORDS
_REWRITTEN_UNLESS_SLASH = _REWRITTEN_WORDS - _WEEK_WORDS


def _rewritten(text: str, words: Iterable[str]) -> bool:
    """Whether drop_time, normalise or weekdays may change the text (whose words are `words`)."""
    if "kl" in text or ":" in text:
        return True
    return not (_REWRITTEN_WORDS if "/" in text else _REWRITTEN_UNLESS_SLASH).isdisjoint(words)

WORDS = words_of(_TIME, *(pattern for pattern, _, _ in _FILLERS), _THIS_YEAR, _NEXT_YEAR,
                 _WEEKDAY, _OPERATOR, _APPROX, _OR)
