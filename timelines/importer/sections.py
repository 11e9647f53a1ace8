"""Headings: the short lines above tables and lists that name the section of a plan.

A document that numbers its headings ("1. Attraktiv buregion") is sectioned by those alone,
so sub-headings such as "Delmål" under them do not replace the section.
"""

from __future__ import annotations

import re

from timelines.importer import vocab
from timelines.importer.lines import Line, fold_header

MAX_HEADING_WORDS = 6
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")


def heading(line: Line) -> str | None:
    """The heading text of a line that is a heading, else None."""
    if line.heading:  # the format says so (a Word heading style): no need to guess
        numbered = _NUMBERED.match(line.text)
        return numbered.group(2) if numbered else line.text
    text = _heading_candidate(line)
    if not text or len(text.split()) > MAX_HEADING_WORDS or text[-1] in ".:;,?!":
        return None
    numbered = _NUMBERED.match(text)
    name = numbered.group(2) if numbered else text
    if not name[:1].isupper() or fold_header(name) in vocab.NOT_SECTIONS or ":" in name:
        return None
    return name


def is_numbered(line: Line) -> bool:
    return heading(line) is not None and bool(_NUMBERED.match(line.text))


def _heading_candidate(line: Line) -> str | None:
    if line.bullet or line.remark or line.blank:
        return None
    if line.tabbed:
        # "Interessepolitikk<TAB><TAB>": a table's title row, only the first cell is filled.
        return line.cells[0] if line.cells[0] and len(line.filled) == 1 else None
    return line.text


def numbered_headings(lines: list[Line]) -> bool:
    """True when the document numbers its headings (two or more)."""
    return sum(1 for line in lines if is_numbered(line)) >= 2


def mentions(text: str, words: tuple[str, ...]) -> bool:
    folded = set(re.findall(r"[^\W\d_]+", text.lower()))
    return any(word in folded for word in words)
