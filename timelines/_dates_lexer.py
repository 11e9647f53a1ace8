"""Date text -> tokens: numbers, numeric dates, words, dashes, slashes, question marks.

One precompiled pattern does the work; anything it does not know becomes an `other` token,
which no grammar rule accepts, so the text ends up `unparsed` rather than half-read.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, NamedTuple

from timelines._dates_vocab import Entry, vocabulary

TokKind = Literal["num", "date", "monthyear", "word", "dash", "slash", "qmark", "other", "end"]


class Tok(NamedTuple):
    kind: TokKind
    text: str  # lowercased word without its dot, or the digits of a number
    dot: bool = False  # a word or number followed by "." (or a Swedish ":a"/":e" ordinal)
    nums: tuple[int, ...] = ()  # num: (value,); date: (year or 0, month, day); monthyear: (y, m)
    dotted: str = ""  # a word with its dot ("jul."), to match dotted vocabulary; else ""
    entry: tuple[Entry, int] | None = None  # the one-word vocabulary phrase this word is


END = Tok("end", "")  # what the grammar sees past the last token


# [0-9], not \d: other scripts' digits are not dates in a Scandinavian plan.
_TOKEN = re.compile(
    r"""
     (?P<iso>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?![0-9])
    |(?P<dmy>[0-9]{1,2}(?:\.[0-9]{1,2}\.|/[0-9]{1,2}/)(?:[0-9]{4}|[0-9]{2}))(?![0-9])
    |(?P<my>[0-9]{1,2}[./][0-9]{4})(?![0-9])
    |(?P<dm>[0-9]{1,2}(?:/[0-9]{1,2}|\.[0-9]{1,2}\.|\.[0-9]{2}))(?![0-9])
    |(?P<num>[0-9]+)(?P<ord>\.|:[ae](?![^\W\d_]))?
    |(?P<word>c:a|[^\W\d_]+)(?P<wdot>\.)?
    |(?P<dash>[-\u2010-\u2015\u2212])
    |(?P<slash>/)
    |(?P<qmark>\?)
    |(?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
# The same lexemes, found without classifying them (no named groups, so findall gives strings):
# classifying is done once per distinct lexeme.
_LEXEME = re.compile(
    r"\s*(" + re.sub(r"\(\?P<\w+>", "(?:", _TOKEN.pattern) + ")", re.VERBOSE | re.DOTALL)
_KNOWN: dict[str, Tok] = {}  # lexeme -> token; plans reuse a small set of words and numbers
_KNOWN_MAX = 20_000
# Markup that survives copying a table out of Word or HTML: tags, bold, bullet glyphs.
_MARKUP = re.compile(r"<[^<>]*>|\*+|[•❖▪◦●■►]")


_NUMBER_SEPARATOR = re.compile(r"[./-]")


_PLAIN: dict[str, TokKind] = {"dash": "dash", "slash": "slash", "qmark": "qmark"}


def _split_numbers(text: str) -> list[int]:
    return [int(part) for part in _NUMBER_SEPARATOR.split(text) if part]


def _date(kind: str, text: str) -> Tok:
    parts = _split_numbers(text)
    if kind == "iso":
        return Tok("date", text, nums=(parts[0], parts[1], parts[2]))
    if kind == "dmy":
        year = parts[2] + 2000 if parts[2] < 100 else parts[2]  # "31.12.22" is 2022
        return Tok("date", text, nums=(year, parts[1], parts[0]))
    if kind == "my":
        return Tok("monthyear", text, nums=(parts[1], parts[0]))
    return Tok("date", text, nums=(0, parts[1], parts[0]))


def _token(match: re.Match[str]) -> Tok:
    kind = match.lastgroup or "other"
    text = match.group(kind)
    if kind == "num" or kind == "ord":
        return Tok("num", match.group("num"), bool(match.group("ord")), (int(match["num"]),))
    if kind in ("word", "wdot"):
        word, dot = match.group("word"), match.group("wdot")
        dotted = word + "." if dot else ""
        single = vocabulary().single
        entry = single.get(dotted) or single.get(word)
        return Tok("word", word, bool(dot), (), dotted, (entry, 1) if entry else None)
    if kind in ("iso", "dmy", "my", "dm"):
        return _date(kind, text)
    return Tok(_PLAIN.get(kind, "other"), text)


def _classify(lexeme: str) -> Tok:
    match = _TOKEN.match(lexeme)
    token = _token(match) if match else Tok("other", lexeme)
    if len(_KNOWN) < _KNOWN_MAX:
        _KNOWN[lexeme] = token
    return token


def clean(text: str) -> str:
    """Lowercased, NFC-composed text without markup."""
    composed = text if text.isascii() else unicodedata.normalize("NFC", text)
    return _MARKUP.sub(" ", composed).lower()


def tokenize(text: str) -> list[Tok]:
    """Tokens of an already cleaned text."""
    known = _KNOWN
    return [known.get(lexeme) or _classify(lexeme) for lexeme in _LEXEME.findall(text)]
