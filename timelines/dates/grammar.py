"""Tokens -> a reading: prefixes, one part or a range of two parts, suffixes.

    reading := prefix* part (separator part)? suffix*
    prefix  := deadline | open | during | approx | between
    suffix  := "?" | or_before

A part is one unit of time as written (a day, month, quarter, week...), with the fields the text
states; what it leaves out (the year, a range side's month) is filled in by `spans`.
Every token must be used by a rule, else there is no reading.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Literal, NamedTuple, TypeGuard

from timelines.dates.lexer import END as _END
from timelines.dates.lexer import MAX_YEAR, MIN_YEAR, Tok
from timelines.dates.vocab import Entry, Vocabulary

Unit = Literal["day", "month", "pom", "year", "quarter", "tertial", "half", "season", "week",
               "bare"]
Mode = Literal["span", "deadline", "open"]
State = Literal["ongoing", "undated"]

# Units written "2. kvartal", "kvartal 2", "andre kvartal".
_COUNTED: dict[str, Unit] = {"quarter": "quarter", "tertial": "tertial", "half": "half"}
# Units an ordinal may precede: "3:e kvartalet", "1:a veckan 2024", "andre uke".
_ORDINAL_UNITS: dict[str, Unit] = {**_COUNTED, "week": "week"}
_ORDINAL_SET = frozenset(_ORDINAL_UNITS)
_LIMITS: dict[str, tuple[Unit, int]] = {
    "week": ("week", 53), "q": ("quarter", 4), "quarter": ("quarter", 4),
    "tertial": ("tertial", 3), "half": ("half", 2),
}
_NUMERIC = ("num", "date", "monthyear")
_MARKS = ("dash", "qmark")
# Vocabulary categories each rule accepts.
_PART_WORDS = frozenset(
    ("den", "month", "pom", "season", "ordinal", "quarter", "tertial", "half", "week", "q"))
_HISTORY = frozenset(("history",))
_MONTH = frozenset(("month",))
_ONGOING_UNDATED = frozenset(("ongoing", "undated"))
_OR_BEFORE = frozenset(("or_before",))
_APPROX = frozenset(("approx",))
_NO_PREFIX: tuple[frozenset[str], bool] = (frozenset(), False)
_SEP_UNTIL = frozenset(("sep", "until"))
_PREFIXES = frozenset(("deadline", "until", "open", "between", "during", "approx"))


class Part(NamedTuple):
    unit: Unit
    n: int = 0  # day of month; number of the quarter/week/...; season; part of month; bare value
    month: int = 0  # 0: not written
    year: int = 0  # 0: not written
    digits: int = 0  # how many digits a bare number was written with


class Reading(NamedTuple):
    left: Part
    right: Part | None
    mode: Mode
    approximate: bool
    separator: str = ""  # "dash", "slash" or the word ("til", "og"...) between two parts


def is_year(tok: Tok | None) -> TypeGuard[Tok]:
    return tok is not None and tok.kind == "num" and len(tok.text) == 4 and (
        MIN_YEAR <= tok.nums[0] <= MAX_YEAR)


PADDING = [_END] * 6  # more than the longest phrase or lookahead
_NOTHING: list[tuple[Entry, int] | None] = [None] * 6
_ENTRY = itemgetter(Tok._fields.index("entry"))


def phrase_at(toks: list[Tok], pos: int, vocab: Vocabulary) -> tuple[Entry, int] | None:
    """The longest phrase at `pos` of a word that also starts longer phrases ("i", "til"), and
    how many tokens it spans; `toks` go on past the last token with at least six `END`s."""
    first, second = toks[pos], toks[pos + 1]
    seconds = vocab.seconds[first.text]
    if second.text not in seconds and second.dotted not in seconds:
        return first.entry  # most texts go on with another word: "i mars", "fra uke 3"
    for key, entry in vocab.multi[first.text]:
        if (key[1] == second.text or key[1] == second.dotted) and _spelled(key, toks, pos):
            return entry, len(key)
    return first.entry


def _spelled(key: tuple[str, ...], toks: list[Tok], pos: int) -> bool:
    """Whether the words from `pos` on are the phrase `key` (each with or without its dot)."""
    for word in key:
        tok = toks[pos]
        if tok.kind != "word" or (word != tok.text and word != tok.dotted):
            return False
        pos += 1
    return True


class _Parser:
    """Recursive descent over a token list; each rule returns None when it does not apply."""

    def __init__(self, tokens: list[Tok], vocab: Vocabulary, symbols: str | None = None) -> None:
        self.size = len(tokens)
        self.toks = tokens + PADDING  # sentinels: looking ahead never runs off the end
        self.vocab = vocab
        self.pos = 0
        # The phrase starting at each position, found once: rules ask for it again and again.
        # Only a word that starts longer phrases (symbol "#") is more than its own entry.
        found = list(map(_ENTRY, tokens))
        if symbols is None or "#" in symbols:
            for pos, tok in enumerate(tokens):
                if tok.sym == "#":
                    found[pos] = phrase_at(self.toks, pos, vocab)
        self.found = found + _NOTHING

    def peek(self, offset: int = 0) -> Tok | None:
        tok = self.toks[self.pos + offset]
        return None if tok is _END else tok

    def phrase(self) -> tuple[Entry, int] | None:
        """The longest vocabulary phrase starting here, and how many tokens it spans."""
        return self.found[self.pos]

    def take_phrase(self, categories: frozenset[str]) -> Entry | None:
        found = self.found[self.pos]
        if found is None or found[0].category not in categories:
            return None
        self.pos += found[1]
        return found[0]

    def take(self, kind: str) -> Tok | None:
        tok = self.toks[self.pos]
        if tok.kind != kind:
            return None
        self.pos += 1
        return tok

    def year(self) -> int:
        """An optional year after a part: "mars 2023", or "uke 12/2023"; 0 when none."""
        first, second = self.toks[self.pos], self.toks[self.pos + 1]
        if first.kind == "num" and is_year(first):
            self.pos += 1
            return first.nums[0]
        if first.kind == "slash" and is_year(second):
            self.pos += 2
            return second.nums[0]
        return 0

    def number(self, limit: int) -> tuple[int, int] | None:
        """A number 1..limit with its optional year; "12/2023" (lexed as month/year) counts,
        the ISO month "2023-10" does not."""
        tok = self.peek()
        if tok is not None and tok.kind == "monthyear" and "-" not in tok.text and (
                1 <= tok.nums[1] <= limit):
            self.pos += 1
            return tok.nums[1], tok.nums[0]
        if tok is None or tok.kind != "num" or not 1 <= tok.nums[0] <= limit or (
                tok.dotted.startswith(":")):  # "vecka 1:a" is not Swedish
            return None
        self.pos += 1
        return tok.nums[0], self.year()

    # -- parts ---------------------------------------------------------------------------------

    def part(self) -> Part | None:
        tok = self.toks[self.pos]
        if tok.kind == "date":
            return self.numeric_date(tok)
        if tok.kind == "monthyear":
            self.pos += 1
            return Part("month", month=tok.nums[1], year=tok.nums[0])
        if tok.kind == "num":
            return self.from_number(tok)
        if tok.kind == "word":
            return self.from_word()
        return None

    def numeric_date(self, tok: Tok) -> Part:
        self.pos += 1
        year = tok.nums[0] or self.year()
        return Part("day", tok.nums[2], tok.nums[1], year)

    def from_number(self, tok: Tok) -> Part | None:
        if is_year(tok):
            self.pos += 1
            return Part("year", year=tok.nums[0])
        self.pos += 1
        month = self.take_phrase(_MONTH)
        if month is not None:
            return Part("day", tok.nums[0], month.value, self.year()) if tok.nums[0] <= 31 else None
        unit = self.take_phrase(_ORDINAL_SET)
        if unit is not None:
            return Part(_ORDINAL_UNITS[unit.category], tok.nums[0], year=self.year())
        if len(tok.text) > 2:
            return None
        return Part("bare", tok.nums[0], year=self.year(), digits=len(tok.text))

    def from_word(self) -> Part | None:
        entry = self.take_phrase(_PART_WORDS)
        if entry is None:
            return None
        category = entry.category
        if category == "den":
            return self.after_den()
        if category == "month":
            return Part("month", month=entry.value, year=self.year())
        if category == "pom":
            month = self.take_phrase(_MONTH)
            return Part("pom", entry.value, month.value, self.year()) if month else None
        if category == "season":
            return Part("season", entry.value, year=self.year())
        if category == "ordinal":
            unit = self.take_phrase(_ORDINAL_SET)
            if unit is None or (entry.value < 0 and unit.category == "week"):
                return None  # "siste uke" is a week of a month (Part 2), not of the year
            return Part(_ORDINAL_UNITS[unit.category], entry.value, year=self.year())
        return self.unit_then_number(category)

    def after_den(self) -> Part | None:
        """ "den 15 juni", "den 15:e juni", "den 22/5": only a day may follow."""
        tok = self.peek()
        if tok is not None and tok.kind == "date":
            return self.numeric_date(tok)
        if tok is None or tok.kind != "num" or is_year(tok):
            return None
        part = self.from_number(tok)
        return part if part is not None and part.unit == "day" else None

    def unit_then_number(self, category: str) -> Part | None:
        """ "uke 12", "v12", "kvartal 3 2024", "Q2 2025", "Tertial 2 2023"."""
        unit, limit = _LIMITS[category]
        found = self.number(limit)
        return Part(unit, found[0], year=found[1]) if found else None

    # -- the whole text ------------------------------------------------------------------------

    def prefixes(self) -> tuple[frozenset[str], bool] | None:
        """Leading modifiers: which of deadline/open/between/during were said, and "ca."."""
        said: set[str] = set()
        approximate = False
        while entry := self.take_phrase(_PREFIXES):
            if entry.category == "approx":
                approximate = True
                continue
            category = "deadline" if entry.category == "until" else entry.category
            if category in said or (category != "during" and said - {"during"}):
                return None  # "innen fra mars": two modes contradict each other
            said.add(category)
        return frozenset(said), approximate

    def body(self) -> tuple[Part, Part | None, str] | None:
        left = self.part()
        if left is None:
            return None
        separator = self.separator() if self.pos < self.size else None
        if separator is None:
            return left, None, ""
        right = self.part()
        return (left, right, separator) if right is not None else None

    def separator(self) -> str | None:
        tok = self.peek()
        if tok is not None and tok.kind in ("dash", "slash"):
            self.pos += 1
            return tok.kind
        entry = self.take_phrase(_SEP_UNTIL)
        return self.toks[self.pos - 1].text if entry else None

    def state(self) -> State | None:
        """ "ongoing" or "undated" when the whole text says so ("Løpende", "?", "må avklares"),
        else None: then the text is a placeholder with something more, which is not read."""
        if self.toks[0].kind in _MARKS:
            marks_only = all(tok.kind in _MARKS for tok in self.toks[:self.size])
            return "undated" if marks_only else None
        entry = self.take_phrase(_ONGOING_UNDATED)
        if entry is None:
            return None
        while self.take("qmark"):
            pass
        if self.pos != self.size:
            return None
        return "ongoing" if entry.category == "ongoing" else "undated"

    def suffixes(self) -> tuple[bool, bool]:
        """Trailing "?" (approximate) and "eller før" (deadline, approximate)."""
        approximate = or_before = False
        while True:
            if self.take("qmark"):
                approximate = True
            elif self.take_phrase(_OR_BEFORE):
                approximate = or_before = True
            else:
                return approximate, or_before


def _mode(said: frozenset[str], right: Part | None, separator: str, or_before: bool) -> Mode | None:
    if "between" in said and separator not in ("og", "och"):
        return None  # "mellom" needs "og": "mellom mars og mai"
    if or_before:  # "X (eller før)"; "innen X (eller før)" says it twice, "fra X" contradicts
        return None if said - {"during", "deadline"} else "deadline"
    if "deadline" in said:
        return "deadline"
    if "open" in said:
        return "span" if right is not None else "open"  # "fra A til B" is a range
    return "span"


def read(tokens: list[Tok], vocab: Vocabulary, symbols: str | None = None
         ) -> Reading | State | None:
    """The reading of the whole token list: a span, "ongoing", "undated", or None when any
    token is left unexplained. `symbols` are the tokens' (`lex`), when the caller has them."""
    parser = _Parser(tokens, vocab, symbols)
    first = parser.found[0]
    if tokens[0].kind in _MARKS or (first and first[0].category in _ONGOING_UNDATED):
        return parser.state()
    # Most texts have no prefix and no suffix: those rules are only asked when they can apply.
    prefix = parser.prefixes() if first and first[0].category in _PREFIXES else _NO_PREFIX
    body = parser.body() if prefix else None
    if prefix is None or body is None:
        return None
    approximate, or_before = parser.suffixes() if parser.pos < parser.size else (False, False)
    if parser.pos != parser.size:
        return None
    mode = _mode(prefix[0], body[1], body[2], or_before) if prefix[0] or or_before else "span"
    if mode is None:
        return None
    return Reading(body[0], body[1], mode, prefix[1] or approximate or or_before, body[2])


def remark_flags(tokens: list[Tok], vocab: Vocabulary, symbols: str | None = None
                 ) -> tuple[bool, bool] | None:
    """What a parenthetical remark means: (approximate, or_before); None when it holds a date.

    "(eller før)" and "(?)" count; "(justert)" and "(justert fra mars)" are ignored; any other
    remark that mentions a date would change the span, so the text is not read at all.
    """
    if tokens and symbols is not None and symbols[0] not in "~?#":
        # Neither "ca.", "?" nor "eller før" (whose "eller" starts longer phrases) comes first.
        first = tokens[0].entry
        history = first is not None and first[0].category == "history"
        return (False, False) if history or not _dated(tokens, vocab) else None
    parser = _Parser(tokens, vocab, symbols)
    approximate = bool(parser.take_phrase(_APPROX))  # "(ca.)"
    flags = parser.suffixes()
    if parser.pos == len(tokens):
        return approximate or flags[0], flags[1]
    if parser.take_phrase(_HISTORY):
        return False, False
    return None if _dated(tokens, vocab) else (False, False)


def _dated(tokens: list[Tok], vocab: Vocabulary) -> bool:
    """Whether a number, a date or a month or season name is among the tokens."""
    return any(tok.kind in _NUMERIC or tok.text in vocab.calendar_words for tok in tokens)
