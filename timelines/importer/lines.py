"""A document's blocks to clean lines: stray HTML, markdown emphasis, bullet glyphs, cells.

Every format is first read into a `Document` (headings, paragraphs, tables); here it becomes
the numbered lines the scan walks: a paragraph is a line, a table row a line of cells. Text
extracted from Word/Excel keeps its markup, so cleaning keeps the meaning and drops it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from timelines.base.i18n import Deferred
from timelines.importer.document import Cell, Document, Paragraph, Row

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
    where: Deferred | None = None  # a locator where the format has no lines
    heading: bool = False  # the format marks it as a heading
    table: int | None = None  # which table of the document the row is in (None: text)
    marks: tuple[Cell, ...] = ()  # the source cells: strikethrough, notes, date cells

    def mark(self, index: int | None) -> Cell | None:
        """The source cell behind cell `index`, when the format told more than text."""
        if index is None or index >= len(self.marks):
            return None
        return self.marks[index]

    @property
    def struck(self) -> bool:
        filled = [m for m in self.marks if m.text.strip()]
        return bool(filled) and all(m.struck for m in filled)

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
    """Decode line by line: UTF-8 where it is valid, else cp1252/latin-1 (mixed files exist).

    UTF-16 (what Notepad and Excel call 'Unicode text') is read by its byte-order mark, or
    without one when every other byte is zero."""
    utf16 = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace").replace("\ufffd", " ")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "\n".join(_decode_line(raw) for raw in data.split(b"\n"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of Latin text: the high byte of nearly every character is zero (the odd bytes
    in little-endian order, the even ones in big-endian)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0) / (len(data) / 2), data[1::2].count(0) / (len(data) / 2)
    if odd >= 0.9 and even <= 0.1:
        return "utf-16-le"
    return "utf-16-be" if even >= 0.9 and odd <= 0.1 else None


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


def split_cells(raw: str) -> list[str]:
    """Tab-separated cells; a markdown table row ('| a | b |') is split on its pipes."""
    stripped = raw.strip()
    if "\t" not in raw and stripped.startswith("|") and stripped.endswith("|") and (
            stripped.count("|") >= 3):
        if _PIPE_RULE.match(stripped):
            return [""]  # the |---|---| line under a markdown header
        return [cell.strip() for cell in stripped[1:-1].split("|")]
    return raw.split("\t")


def make_line(number: int, raw: str) -> Line:
    raw_cells = split_cells(raw.rstrip("\r\n"))
    cells = [clean(c) for c in raw_cells]
    first, bullet = _strip_bullet(cells[0])
    cells[0] = clean(first)
    text = " ".join(c for c in cells if c)
    return Line(number, text, tuple(cells), bullet, _is_remark(raw_cells))


def document_lines(doc: Document) -> list[Line]:
    """The blocks of a document as numbered lines (a text document: its own line numbers)."""
    lines: list[Line] = []
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            lines.append(_paragraph_line(len(lines) + 1, block))
            continue
        table = None if doc.lined else index
        lines.extend(_row_line(len(lines) + 1, row, table) for row in block.rows)
    return lines


def _paragraph_line(number: int, block: Paragraph) -> Line:
    line = make_line(number, block.text)
    mark = Cell(block.text, block.struck, block.italic)
    return Line(number, line.text, line.cells, line.bullet, line.remark or (
        block.italic and not line.blank), block.where, block.heading, None, (mark,))


def _row_line(number: int, row: Row, table: int | None) -> Line:
    raw = [c.text.replace("\t", " ") for c in row.cells]
    cells = [clean(c) for c in raw]
    first, bullet = _strip_bullet(cells[0] if cells else "")
    cells[:1] = [clean(first)]
    text = " ".join(c for c in cells if c)
    italic = [c.italic for c, shown in zip(row.cells, cells, strict=False) if shown]
    remark = _is_remark(raw) or (bool(italic) and all(italic))
    return Line(number, text, tuple(cells), bullet, remark, row.where, False, table, row.cells)


def fold_header(cell: str) -> str:
    """A header cell in the form vocab.py uses: lower case, one space, none around '/'."""
    text = _SPACES.sub(" ", cell.lower()).strip()
    return re.sub(r"\s*/\s*", "/", text).rstrip(":")
