"""Word (.docx) through python-docx: body paragraphs and tables, in document order.

Heading styles mark headings; a row that is one merged cell across the table is a title;
a vertically merged cell repeats in every row it spans (python-docx gives it to each);
struck-through and italic runs, and comments anchored in a cell, ride along on the cells."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from timelines.base.i18n import N_, Deferred
from timelines.importer.document import Block, Cell, Document, Paragraph, Row, Table, title_rows

HEADING_STYLES = ("heading", "title", "overskrift", "rubrik", "tittel", "titel")
LIST_BULLET = "• "


def read(data: bytes, path: Path) -> Document:
    word = docx.Document(io.BytesIO(data))
    notes = _comments(word)
    blocks: list[Block] = []
    tables = paragraphs = 0
    for item in word.iter_inner_content():
        if isinstance(item, DocxTable):
            tables += 1
            blocks.extend(title_rows(_table(item, tables, notes)))
        else:
            paragraphs += 1
            blocks.append(_paragraph(item, Deferred(N_("paragraph {n}"), n=paragraphs)))
    return Document(blocks)


def _comments(word: Any) -> dict[str, str]:
    """Comment id → its text (a document without comments has no comments part)."""
    try:
        return {str(c.comment_id): c.text.strip() for c in word.comments}
    except (AttributeError, KeyError, ValueError):
        return {}


def _paragraph(item: DocxParagraph, where: Any) -> Paragraph:
    runs = [r for r in item.runs if r.text.strip()]
    text = item.text
    if item._p.pPr is not None and item._p.pPr.numPr is not None and text.strip():
        text = LIST_BULLET + text  # a Word list item: the bullet is in the numbering, not text
    return Paragraph(text, where, heading=_is_heading(item) and bool(text.strip()),
                     struck=bool(runs) and all(r.font.strike for r in runs),
                     italic=bool(runs) and all(r.font.italic for r in runs))


def _is_heading(item: DocxParagraph) -> bool:
    style = item.style
    while style is not None:
        if (style.name or "").lower().startswith(HEADING_STYLES):
            return True
        style = style.base_style
    return False


def _table(table: DocxTable, number: int, notes: dict[str, str]) -> Table:
    rows = []
    for index, row in enumerate(table.rows, start=1):
        where = Deferred(N_("table {table}, row {row}"), table=number, row=index)
        rows.append(Row(tuple(_cells(list(row.cells), notes)), where))
    return Table(tuple(rows))


def _cells(cells: list[_Cell], notes: dict[str, str]) -> list[Cell]:
    """Grid cells → one Cell per merged cell, with the number of grid columns it covers."""
    merged: list[Cell] = []
    previous = None
    for cell in cells:
        if previous is not None and cell._tc is previous._tc:
            last = merged[-1]
            merged[-1] = Cell(last.text, last.struck, last.italic, last.note, span=last.span + 1)
            continue
        previous = cell
        merged.append(_cell(cell, notes))
    return merged


def _cell(cell: _Cell, notes: dict[str, str]) -> Cell:
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    refs = cell._tc.iter(qn("w:commentReference"))
    note = "\n".join(notes.get(ref.get(qn("w:id")) or "", "") for ref in refs).strip()
    text = "\n".join(p.text for p in cell.paragraphs)
    return Cell(text, struck=bool(runs) and all(r.font.strike for r in runs),
                italic=bool(runs) and all(r.font.italic for r in runs), note=note)
