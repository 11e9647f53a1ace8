"""HTML (a plan saved as a web page) through the standard library's HTML parser.

`<h1>`..`<h6>` are headings, `<p>`, `<li>`, `<div>` paragraphs, `<table>` tables of
`<td>`/`<th>` cells (colspan is kept as the cell's span), `<s>`/`<del>`/`<strike>`
strike through, `<i>`/`<em>` make italics."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from timelines.base.i18n import N_, Deferred
from timelines.importer.document import Block, Cell, Document, Paragraph, Row, Table, title_rows
from timelines.importer.lines import decode

_BLOCKS = {"p", "li", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table"}
_STRIKE = {"s", "del", "strike"}
_ITALIC = {"i", "em"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.marks: dict[str, int] = {"struck": 0, "italic": 0, "plain": 0, "list": 0}
        self.heading = False
        self.rows: list[Row] | None = None
        self.cells: list[Cell] = []
        self.span = 1
        self.tables = self.paragraphs = 0
        self.open = {"s": 0, "i": 0}  # open <s>/<i> elements around the text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and self.rows is None:
            self._end_paragraph()
        self.heading = self.heading or tag in {"h1", "h2", "h3", "h4", "h5", "h6"}
        self.marks["list"] += tag == "li"
        self._mark(tag, 1)
        if tag == "table":
            self.rows, self.tables = [], self.tables + 1
        elif tag == "tr" and self.rows is not None:
            self.cells = []
        elif tag in ("td", "th"):
            self.text, self.span = [], _span(dict(attrs).get("colspan"))
            self._flags()

    def handle_endtag(self, tag: str) -> None:
        self._mark(tag, -1)
        if tag in ("td", "th") and self.rows is not None:
            self.cells.append(self._cell())
        elif tag == "tr" and self.rows is not None:
            where = Deferred(N_("table {table}, row {row}"), table=self.tables,
                             row=len(self.rows) + 1)
            self.rows.append(Row(tuple(self.cells), where))
        elif tag == "table" and self.rows is not None:
            self.blocks.extend(title_rows(Table(tuple(self.rows))))
            self.rows = None
        elif tag in _BLOCKS and self.rows is None:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if data.strip():  # count the pieces of text, and how many are struck or italic
            self.marks["plain"] += 1
            self.marks["struck"] += self.open["s"] > 0
            self.marks["italic"] += self.open["i"] > 0

    def _mark(self, tag: str, step: int) -> None:
        kind = "s" if tag in _STRIKE else "i" if tag in _ITALIC else ""
        if kind:
            self.open[kind] = max(0, self.open[kind] + step)

    def _flags(self) -> tuple[bool, bool]:
        """(struck, italic) of the text since the last cell or paragraph: all of it."""
        plain = self.marks["plain"]
        flags = plain > 0 and self.marks["struck"] == plain, plain > 0 and (
            self.marks["italic"] == plain)
        self.marks.update(plain=0, struck=0, italic=0)
        return flags

    def _cell(self) -> Cell:
        struck, italic = self._flags()
        text, self.text = "".join(self.text), []
        return Cell(text, struck, italic, span=self.span)

    def _end_paragraph(self) -> None:
        text, self.text = " ".join("".join(self.text).split()), []
        struck, italic = self._flags()
        if text:
            self.paragraphs += 1
            bullet = "• " if self.marks["list"] else ""
            self.blocks.append(Paragraph(bullet + text, Deferred(N_("paragraph {n}"),
                                                             n=self.paragraphs),
                                         self.heading, struck, italic))
        self.heading = False
        self.marks["list"] = 0


def _span(colspan: str | None) -> int:
    """colspan="2" → 2; a missing or broken one (browsers read "2px" as 2) → its digits or 1."""
    digits = "".join(c for c in (colspan or "").strip() if c.isdigit())
    return max(1, int(digits[:3])) if digits else 1


def read(data: bytes, path: Path) -> Document:
    reader = _Reader()
    reader.feed(decode(data))
    reader.close()
    reader._end_paragraph()
    return Document(reader.blocks)
