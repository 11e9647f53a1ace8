"""Date text -> tokens: numbers, numeric dates, words, dashes, slashes, question marks.

One precompiled pattern does the work; anything it does not know becomes an `other` token,
which no grammar rule accepts, so the text ends up `unparsed` rather than half-read.
Words carry their one-word vocabulary entry, looked up once per distinct lexeme, and every token
a one-letter symbol of what it may be (`fast` reads the commonest shapes by their symbols).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, NamedTuple

from timelines.dates.vocab import Entry, vocabulary

TokKind = Literal["num", "date", "monthyear", "word", "dash", "slash", "qmark", "other", "end"]


class Tok(NamedTuple):
    kind: TokKind
    text: str  # lowercased word without its dot, or the digits of a number
    dot: bool = False  # a word or number followed by "." (or a Swedish ":a"/":e" ordinal)
    # num: (value,); date: (year or 0, month, day); monthyear: (y, m); a word that is a one-word
    # phrase: (the phrase's value,), a month's number for a month
    nums: tuple[int, ...] = ()
    dotted: str = ""  # a word with its dot ("jul."), or a number's ordinal ending (".", ":a")
    entry: tuple[Entry, int] | None = None  # the one-word vocabulary phrase this word is
    # What the token may be, in one letter (see _SYMBOLS); "-", "/", "?" the marks, "w" a word
    # outside the Part 1 vocabulary, "!" an `other` token, "x" anything else.
    sym: str = "x"


END = Tok("end", "")  # what the grammar sees past the last token

MIN_YEAR, MAX_YEAR = 1900, 2199  # a four-digit number in this range is a year
# A word's symbol by its vocabulary category. "#": the word also starts a longer phrase ("i" in
# "i løpet av"), so what it is depends on the next word.
_SYMBOLS = {
    "month": "M", "season": "S", "week": "W", "quarter": "K", "tertial": "K", "half": "K",
    "q": "q", "ordinal": "O", "pom": "P", "deadline": "<", "until": "u", "open": ">",
    "during": "i", "approx": "~", "between": "b", "sep": "&",
}
# A number's symbol by its ending: "12", "12.", "3:e" (four-digit years aside).
_NUMBER_SYMBOLS = {"": "n", ".": "d"}


# [0-9], not \d: other scripts' digits are not dates in a Scandinavian plan.
_TOKEN = re.compile(
    r"""
     (?P<iso>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?![0-9])
    |(?P<dmy>[0-9]{1,2}(?:\.[0-9]{1,2}\.|/[0-9]{1,2}/)(?:[0-9]{4}|[0-9]{2}))(?![0-9])
    |(?P<my>[0-9]{1,2}[./][0-9]{4})(?![0-9])
    |(?P<ym>[0-9]{4}-(?:0[1-9]|1[0-2]))(?![0-9])
    |(?P<dm>[0-9]{1,2}(?:/[0-9]{1,2}|\.[0-9]{1,2}\.|\.[0-9]{2}))(?![0-9])
    |(?P<num>[0-9]+)(?P<ord>\.|:(?:dje|[ae])(?![^\W\d_]))?
    |(?P<word>c:a|[^\W\d_]+)(?P<wdot>\.)?
    |(?P<dash>[-\u2010-\u2015\u2212])
    |(?P<slash>/)
    |(?P<qmark>\?)
    |(?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
# Markup that survives copying a table out of Word or HTML (tags, bold, bullet glyphs) is
# skipped like white space.
_SKIP = r"(?:\s+|<[^<>]*>|\*+|[•❖▪◦●■►])*"
# The same lexemes as _TOKEN, found without classifying them (no named groups, so findall
# gives plain strings); each distinct lexeme is classified by _TOKEN once and remembered.
_LEXEME = re.compile(
    _SKIP + "(" + re.sub(r"\(\?P<\w+>", "(?:", _TOKEN.pattern) + ")?", re.VERBOSE | re.DOTALL)
_NUMBER_SEPARATOR = re.compile(r"[./-]")
_PLAIN: dict[str, TokKind] = {"dash": "dash", "slash": "slash", "qmark": "qmark"}
_MARK_SYMBOLS = {"dash": "-", "slash": "/", "qmark": "?"}

_KNOWN: dict[str, Tok] = {}  # lexeme -> token; plans reuse a small set of words and numbers
_CHUNKS: dict[str, tuple[tuple[Tok, ...], str]] = {}  # chunk -> its tokens and their symbols
_KNOWN_MAX = 20_000  # bounds both caches, whatever text is thrown at them


def _split_numbers(text: str) -> list[int]:
    return [int(part) for part in _NUMBER_SEPARATOR.split(text) if part]


def _date(kind: str, text: str) -> Tok:
    parts = _split_numbers(text)
    if kind == "iso":
        return Tok("date", text, nums=(parts[0], parts[1], parts[2]), sym="D")
    if kind == "dmy":
        year = parts[2] + 2000 if parts[2] < 100 else parts[2]  # "31.12.22" is 2022
        return Tok("date", text, nums=(year, parts[1], parts[0]), sym="D")
    if kind == "my":
        return Tok("monthyear", text, nums=(parts[1], parts[0]), sym="m")
    if kind == "ym":  # ISO "2023-10"; "2010-11" might be the years 2010-2011, so it is not read
        if parts[1] > parts[0] % 100:
            return Tok("other", text)
        return Tok("monthyear", text, nums=(parts[0], parts[1]), sym="m")
    return Tok("date", text, nums=(0, parts[1], parts[0]), sym="E")  # no year: "22/5"


def _number_symbol(digits: str, value: int, suffix: str) -> str:
    """ "Y" a year, "n" a small number, "d" one with a dot ("15."), "o" a Swedish ordinal."""
    if len(digits) == 4 and MIN_YEAR <= value <= MAX_YEAR:
        return "Y"
    return _NUMBER_SYMBOLS.get(suffix, "o") if len(digits) <= 2 else "x"


def entry_symbol(entry: Entry | None) -> str:
    """The symbol of a word that is this one-word phrase (None: no phrase)."""
    return _SYMBOLS.get(entry.category, "x") if entry else "x"


def _word_symbol(word: str, entry: Entry | None) -> str:
    """ "w" for a word outside the Part 1 vocabulary, "#" for one that starts longer phrases."""
    vocab = vocabulary()
    if word not in vocab.words:
        return "w"
    return "#" if word in vocab.multi else entry_symbol(entry)


def _token(match: re.Match[str]) -> Tok:
    kind = match.lastgroup or "other"
    text = match.group(kind)
    if kind == "num" or kind == "ord":
        suffix, digits = match.group("ord") or "", match.group("num")
        value = int(digits)
        return Tok("num", digits, bool(suffix), (value,), suffix,
                   sym=_number_symbol(digits, value, suffix))
    if kind in ("word", "wdot"):
        word, dot = match.group("word"), match.group("wdot")
        dotted = word + "." if dot else ""
        single = vocabulary().single
        entry = single.get(dotted) or single.get(word)
        return Tok("word", word, bool(dot), (entry.value,) if entry else (), dotted,
                   (entry, 1) if entry else None, _word_symbol(word, entry))
    if kind in ("iso", "dmy", "my", "ym", "dm"):
        return _date(kind, text)
    return Tok(_PLAIN.get(kind, "other"), text, sym=_MARK_SYMBOLS.get(kind, "x"))


def _classify(lexeme: str) -> Tok:
    match = _TOKEN.match(lexeme)
    token = _token(match) if match else Tok("other", lexeme)
    if token.kind == "other":
        token = token._replace(sym="!")
    if len(_KNOWN) < _KNOWN_MAX:
        _KNOWN[lexeme] = token
    return token


def forget() -> None:
    """Empties the chunk and lexeme caches (the benchmark's cold pass)."""
    _CHUNKS.clear()
    _KNOWN.clear()


def clean(text: str) -> str:
    """Lowercased, NFC-composed text (a Word copy may spell "å" as "a" + a combining ring)."""
    return (text if text.isascii() else unicodedata.normalize("NFC", text)).lower()


def _scan(text: str) -> list[Tok]:
    known = _KNOWN
    lexemes = _LEXEME.findall(text)  # "" for markup or space at the end
    return [known.get(lexeme) or _classify(lexeme) for lexeme in lexemes if lexeme]


def tokenize(text: str) -> list[Tok]:
    """Tokens of an already cleaned text."""
    return lex(text)[0]


def _chunk(chunk: str) -> tuple[tuple[Tok, ...], str]:
    tokens = tuple(_scan(chunk))
    found = tokens, "".join([tok.sym for tok in tokens])
    if len(_CHUNKS) < _KNOWN_MAX:
        _CHUNKS[chunk] = found
    return found


def lex(text: str) -> tuple[list[Tok], str]:
    """Tokens of an already cleaned text, and their symbols as one string ("MY": a month, a year).

    No token spans white space, so the text is split first and each chunk ("mars", "2023",
    "25-26/10") is scanned once and remembered: plans repeat a small set of chunks. A text
    with "<" may hold a tag with spaces inside (`<p class="x">`), so it is scanned whole.
    """
    if "<" in text:
        scanned = _scan(text)
        return scanned, "".join([tok.sym for tok in scanned])
    chunks = _CHUNKS
    tokens: list[Tok] = []
    symbols = ""
    for chunk in text.split():
        found = chunks.get(chunk) or _chunk(chunk)
        tokens += found[0]
        symbols += found[1]
    return tokens, symbols
