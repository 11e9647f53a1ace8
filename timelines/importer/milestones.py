"""Dates at the start or end of a line: "20. oktober: presentasjon ...", "... vår 2018".

Only timelines.dates.parse_span decides what a date is; this module only chooses which words
to offer it. Yearless texts are probed with a stand-in year: which year they really belong to
is decided later (years.py), once the whole document has been read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timelines.dates import DateSpan, parse_span
from timelines.importer import vocab

PROBE_YEAR = 2000  # a leap year, so "29/2" is probed as a date
MAX_DATE_WORDS = 7
MAX_MILESTONE_WORDS = 14
_SEPARATOR_TOKENS = {"->", "→", "=>", "–", "—", "-", ":", "|"}
_TITLE_TAIL = {"pr", "pr.", "per", "i", "på", "den", "–", "—", "-", ":", ",", "->", "→"}


@dataclass(frozen=True)
class Found:
    when: str
    title: str


def is_date(text: str, lang: str | None, allow_undated: bool = False) -> bool:
    kinds = ("dated", "ongoing", "undated") if allow_undated else ("dated", "ongoing")
    return bool(text.strip()) and probe(text, lang).kind in kinds


def probe(text: str, lang: str | None) -> DateSpan:
    return parse_span(text, lang=lang, ref_year=PROBE_YEAR)


def explicit(text: str, lang: str | None) -> DateSpan | None:
    """The span if the text states its own year (read without any reference year)."""
    span = parse_span(text, lang=lang, ref_year=None)
    return span if span.kind == "dated" else None


def date_at_start(text: str, lang: str | None) -> Found | None:
    """'Mai – 1. september: Innspillsmøter' → when 'Mai – 1. september', the rest the title."""
    text = _unwrap(text)
    tokens = text.split()
    for size in range(min(MAX_DATE_WORDS, len(tokens) - 1), 0, -1):
        head = _drop_separators(tokens[:size])
        separated = size > len(head) or tokens[size - 1].endswith(":") or (
            tokens[size] in _SEPARATOR_TOKENS)
        when = " ".join(head).rstrip(":,")
        # Without ':' or '->' only a short line that is not a sentence: "(25-26/10 samling)".
        short = len(tokens) <= 8 and not text.endswith(".")
        if head and (separated or short) and is_date(when, lang):
            return Found(when, _title(tokens[size:]))
    return None


def date_at_end(text: str, lang: str | None, allow_undated: bool = False) -> Found | None:
    """'Programavslutning (KMD) vår 2018' → when 'vår 2018', title 'Programavslutning (KMD)'."""
    text = _unwrap(text)
    tokens = text.split()
    if len(tokens) > MAX_MILESTONE_WORDS or text.endswith("."):
        return None
    for size in range(min(MAX_DATE_WORDS, len(tokens) - 1), 0, -1):
        when = " ".join(tokens[-size:])
        # "(KMD) vår 2018": a remark in front of the date belongs to the title.
        if not when.startswith("(") and is_date(when, lang, allow_undated):
            title = _title(_drop_tail(tokens[:-size]))
            return Found(when, title) if title else None
    return None


def date_after(words: list[str], lang: str | None) -> str | None:
    """The longest date among the first words of `words` ('høsten 2020 sammen med ...')."""
    for size in range(min(MAX_DATE_WORDS, len(words)), 0, -1):
        when = " ".join(words[:size]).rstrip(".,;:")
        if is_date(when, lang):
            return when
    return None


def revision_dates(sentence: str, lang: str | None) -> str | None:
    """A sentence saying when the plan is revised: 'Handlingsplanen rulleres høsten 2020 ...'."""
    words = sentence.split()
    for index, word in enumerate(words):
        if word.lower().strip(".,;:") in vocab.REVISION_VERBS:
            for start in range(index + 1, min(index + 4, len(words))):
                when = date_after(words[start:], lang)
                if when:
                    return when
    return None


def _unwrap(text: str) -> str:
    text = text.strip()
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        return text[1:-1].strip()
    return text


def _drop_separators(tokens: list[str]) -> list[str]:
    while tokens and tokens[-1] in _SEPARATOR_TOKENS:
        tokens = tokens[:-1]
    return tokens


def _drop_tail(tokens: list[str]) -> list[str]:
    while tokens and tokens[-1].lower() in _TITLE_TAIL:
        tokens = tokens[:-1]
    return tokens


def _title(tokens: list[str]) -> str:
    while tokens and tokens[0] in _SEPARATOR_TOKENS:
        tokens = tokens[1:]
    return re.sub(r"\s+", " ", " ".join(tokens)).strip(" :")
