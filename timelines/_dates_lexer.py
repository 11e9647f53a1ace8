"""Date text -> tokens: numbers, numeric dates, words, dashes, slashes, question marks.

One precompiled pattern does the work; anything it does not know becomes an `other` token,
which no grammar rule accepts, so the text ends up `unparsed` rather than half-read.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, NamedTuple

TokKind = Literal["num", "date", "monthyear", "word", "dash", "slash", "qmark", "other"]


class Tok(NamedTuple):
    kind: TokKind
    text: str  # lowercased word without its dot, or the digits of a number
    dot: bool = False  # a word or number followed by "." (or a Swedish ":a"/":e" ordinal)
    nums: tuple[int, ...] = ()  # num: (value,); date: (year or 0, month, day); monthyear: (y, m)


# [0-9], not \d: other scripts' digits are not dates in a Scandinavian plan.
_TOKEN = re.compile(
    r"""
     (?P<iso>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?![0-9])
    |(?P<dmy>[0-9]{1,2}(?P<sep>[./])[0-9]{1,2}(?P=sep)(?:[0-9]{4}|[0-9]{2}))(?![0-9])
    |(?P<my>[0-9]{1,2}[./][0-9]{4})(?![0-9])
    |(?P<dm>[0-9]{1,2}(?:/[0-9]{1,2}|\.[0-9]{1,2}\.|\.[0-9]{2}))(?![0-9])
    |(?P<num>[0-9]+)(?P<ord>\.|:[ae](?![^\W\d_]))?
    |(?P<word>c:a|[^\W\d_]+)(?P<wdot>\.)?
    |(?P<dash>[-\u2010-\u2015\u2212])
    |(?P<slash>/)
    |(?P<qmark>\?)
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Markup that survives copying a table out of Word or HTML: tags, bold, bullet glyphs.
_MARKUP = re.compile(r"<[^<>]*>|\*+|[•❖▪◦●■►]")


_NUMBER_SEPARATOR = re.compile(r"[./-]")


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


def _token(match: re.Match[str]) -> Tok | None:
    kind = match.lastgroup or "other"
    text = match.group(kind)
    if kind == "num" or kind == "ord":
        return Tok("num", match.group("num"), bool(match.group("ord")), (int(match["num"]),))
    if kind in ("word", "wdot"):
        return Tok("word", match.group("word"), bool(match.group("wdot")))
    if kind in ("iso", "dmy", "my", "dm"):
        return _date(kind, text)
    if kind == "space":
        return None
    return Tok(kind, text)  # type: ignore[arg-type]  # dash, slash, qmark, other


def clean(text: str) -> str:
    """Lowercased, NFC-composed text without markup."""
    return _MARKUP.sub(" ", unicodedata.normalize("NFC", text)).lower()


def tokenize(text: str) -> list[Tok]:
    """Tokens of an already cleaned text."""
    tokens = (_token(match) for match in _TOKEN.finditer(text))
    return [token for token in tokens if token is not None]
