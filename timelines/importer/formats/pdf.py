"""PDF through pdfplumber: ruled tables and the text lines around them, page by page.

A table that ends one page and goes on at the top of the next (same columns) is one table;
the header row a word processor repeats on each page is read once. A PDF without any text
(scanned pages) cannot be read and says so."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber

from timelines.importer.document import Block, Cell, Document, Paragraph, Row, Table
from timelines.importer.formats import Refused
from timelines.importer.messages import said

LINE_GAP = 1.6  # a gap above a line larger than this many line heights starts a paragraph


def read(data: bytes, path: Path) -> Document:
    doc = Document()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        doc.pages = len(pdf.pages)
        text_found = False
        for number, page in enumerate(pdf.pages, start=1):
            text_found = text_found or bool(page.chars)
            _page(page, number, doc)
    if not text_found:
        raise Refused("office.scanned")
    return doc


def _page(page: Any, number: int, doc: Document) -> None:
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    placed: list[tuple[float, Block]] = []
    for index, table in enumerate(found, start=1):
        placed.append((table.bbox[1], _table(table.extract(), number, index)))
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    for line in _paragraphs(outside.extract_text_lines(), number):
        placed.append(line)
    placed.sort(key=lambda item: item[0])
    for at, block in enumerate(b for _, b in placed):
        _add(doc, block, first=at == 0)


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    middle_x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    middle_y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _paragraphs(lines: list[dict[str, Any]], page: int) -> list[tuple[float, Block]]:
    """Text lines → paragraphs: a line close under the one before continues it."""
    found: list[tuple[float, Block]] = []
    previous: dict[str, Any] | None = None
    for line in lines:
        height = line["bottom"] - line["top"]
        continues = previous is not None and found and (
            line["top"] - previous["bottom"] < (LINE_GAP - 1) * height) and (
            abs(line["x0"] - previous["x0"]) < height)
        if continues:
            top, last = found[-1]
            assert isinstance(last, Paragraph)
            found[-1] = (top, Paragraph(f"{last.text} {line['text']}", last.where))
        else:
            found.append((line["top"], Paragraph(line["text"], said("office.at_page", page=page))))
        previous = line
    return found


def _table(rows: list[list[str | None]], page: int, number: int) -> Table:
    return Table(tuple(
        Row(tuple(Cell(c or "") for c in row),
            said("office.at_pdf_row", page=page, table=number, row=index))
        for index, row in enumerate(rows, start=1)))


def _add(doc: Document, block: Block, first: bool) -> None:
    """Append a block; a page number alone between two parts of a table is not text."""
    if first and isinstance(block, Table) and doc.blocks and _page_number(doc.blocks[-1]):
        doc.blocks.pop()
    doc.blocks.append(block)


def _page_number(block: Block) -> bool:
    return isinstance(block, Paragraph) and block.text.strip().isdigit()
