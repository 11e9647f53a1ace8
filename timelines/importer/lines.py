"""Bytes to clean lines: decoding, stray HTML, markdown emphasis, bullet glyphs, table cells.

Documents are text extracted from Word/Excel, so a line may be a table row (cells separated
by tabs), a bullet, a heading or prose. Cleaning keeps the meaning and drops the markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

BULLETS = "❖•▪◦●‣∙·◆◇■□►▶➢➤✓✔✗*-–—"
_TAG = re.compile(r"<[^<>]{0,200}>")
_BREAK_TAG = re.compile(r"<\s*(br|/p|/li|li|/div|/tr)\b[^<>]{0,200}>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC_CELL = re.compile(
    r"^\s*(<(i|em)>.*</(i|em)>|\*[^*].*\*|_[^_].*_)\s*$", re.IGNORECASE | re.S)
_BULLET = re.compile(r"^\s*([" + re.escape(BULLETS) + r"])\s+")
_SPACES = re.compile(r"\s+")
_PIPE_RULE = re.compile(r"^[|:\-\s]+$")
_CONTROL = {c: " " for c in range(32) if c != 9}


@dataclass(frozen=True)
class Line:
    """One source line: its number, cleaned text, cleaned cells (one if not a table row)."""

    number: int
    text: str
    cells: tuple[str, ...]
    bullet: bool = False
    remark: bool = False  # every filled cell was italic: a remark, never a task

    @property
    def tabbed(self) -> bool:
        return len(self.cells) > 1

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]

    @property
    def blank(self) -> bool:
        return not self.text


def decode(data: bytes) -> str:
    """Decode line by line: UTF-8 where it is valid, else cp1252/latin-1 (mixed files exist)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "\n".join(_decode_line(raw) for raw in data.split(b"\n"))


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace").replace("\ufffd", " ")


def clean(fragment: str) -> str:
    """Text a person would read: no tags, entities, emphasis marks or repeated spaces."""
    text = html.unescape(_BREAK_TAG.sub(" ", fragment))
    text = _TAG.sub("", text).translate(_CONTROL)
    text = _EMPHASIS.sub(r"\2", text).replace("**", "")
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


def _strip_bullet(text: str) -> tuple[str, bool]:
    match = _BULLET.match(text)
    if not match:
        return text, False
    return text[match.end():], True


def _is_remark(raw_cells: list[str]) -> bool:
    filled = [c for c in raw_cells if clean(c)]
    return bool(filled) and all(_ITALIC_CELL.match(c) for c in filled)


def _split_cells(raw: str) -> list[str]:
    """Tab-separated cells; a markdown table row ('| a | b |') is split on its pipes."""
    stripped = raw.strip()
    if "\t" not in raw and stripped.startswith("|") and stripped.endswith("|") and (
            stripped.count("|") >= 3):
        if _PIPE_RULE.match(stripped):
            return [""]  # the |---|---| line under a markdown header
        return [cell.strip() for cell in stripped[1:-1].split("|")]
    return raw.split("\t")


def make_line(number: int, raw: str) -> Line:
    raw_cells = _split_cells(raw.rstrip("\r\n"))
    cells = [clean(c) for c in raw_cells]
    first, bullet = _strip_bullet(cells[0])
    cells[0] = clean(first)
    text = " ".join(c for c in cells if c)
    return Line(number, text, tuple(cells), bullet, _is_remark(raw_cells))


def read_lines(text: str) -> list[Line]:
    """Every line of a document, numbered from 1 as an editor shows them."""
    # Only \n and \r end a line: str.splitlines would also split on form feeds and
    # U+2028, and the line numbers would then differ from what an editor shows.
    rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [make_line(n, raw) for n, raw in enumerate(rows, start=1)]


def fold_header(cell: str) -> str:
    """A header cell in the form vocab.py uses: lower case, one space, none around '/'."""
    text = _SPACES.sub(" ", cell.lower()).strip()
    return re.sub(r"\s*/\s*", "/", text).rstrip(":")
