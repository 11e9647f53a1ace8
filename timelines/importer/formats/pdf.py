"""PDF through pdfplumber: ruled tables and the text lines around them, page by page.

A table that ends one page and goes on at the top of the next (same columns) is one table;
the header row a word processor repeats on each page is read once. A PDF without any text
(scanned pages) cannot be read and says so. The characters and the ruling lines of a page
are read by PDFium (see pdfium_page: pdfminer's parse was most of an import's time);
pdfplumber finds the tables in those lines and the text lines in those characters."""

from __future__ import annotations

import bisect
import io
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
from pdfplumber.utils import chars_to_textmap, filter_edges

from timelines.base.i18n import N_, Deferred
from timelines.importer.document import Block, Cell, Document, Paragraph, Row, Table
from timelines.importer.formats import Refused, pdfium_page

FULL_LINE = 1.0  # room left for less than one more character: the line was full
MIN_WORD = 5  # no cell is so narrow that a shorter word had to be broken
Box = tuple[float, float, float, float]
Obj = dict[str, Any]
MIN_EDGE = 1  # pdfplumber's edge_min_length_prefilter: shorter strokes are not rules
LINE_GAP = 1.6  # a gap above a line larger than this many line heights starts a paragraph


def read(data: bytes, path: Path) -> Document:
    doc = Document()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        doc.pages = len(pdf.pages)
        fast = pypdfium2.PdfDocument(data)
        try:
            text_found, fonts = False, pdfium_page.Fonts()
            for number, page in enumerate(pdf.pages, start=1):
                chars, edges = _contents(page, fast[number - 1], fonts)
                text_found = text_found or bool(chars)
                _page(page, chars, edges, number, doc)
        finally:
            fast.close()
    if not text_found:
        raise Refused(N_("{path} has no text, only images (a scanned page?): import the "
                         "original document instead; nothing written"))
    return doc


def _contents(page: Any, fast: pypdfium2.PdfPage, fonts: pdfium_page.Fonts,
              ) -> tuple[list[Obj], list[Obj]]:
    """The page's characters and the edges of its lines and boxes: read by PDFium where it
    sees the page as pdfplumber does (fast), else by pdfplumber itself."""
    if pdfium_page.plain(page, fast):
        return pdfium_page.chars(page, fast, fonts), pdfium_page.edges(page, fast)
    return page.chars, page.edges


def _page(page: Any, chars: list[Obj], edges: list[Obj], number: int, doc: Document) -> None:
    found = tables(page, edges)
    boxes = [t.bbox for t in found]
    placed: list[tuple[float, Block]] = []
    for index, table in enumerate(found, start=1):
        placed.append((table.bbox[1], _table(page, chars, table, index)))
    outside = [char for char in chars if not any(_inside(char, box) for box in boxes)]
    lines = chars_to_textmap(outside, layout_bbox=page.bbox).extract_text_lines()
    for line in _paragraphs(lines, number):
        placed.append(line)
    placed.sort(key=lambda item: item[0])
    for at, block in enumerate(b for _, b in placed):
        _add(doc, block, first=at == 0)


def tables(page: Any, edges: list[Obj]) -> list[Any]:
    """pdfplumber's ruled tables ('lines' strategy) found on edges given, not its own parse."""
    vertical = filter_edges(edges, "v", min_length=MIN_EDGE)
    horizontal = filter_edges(edges, "h", min_length=MIN_EDGE)
    if len(vertical) < 2 or len(horizontal) < 2:  # no cell to close (pdfplumber insists)
        return []
    return list(page.find_tables({
        "vertical_strategy": "explicit", "explicit_vertical_lines": vertical,
        "horizontal_strategy": "explicit", "explicit_horizontal_lines": horizontal}))


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
            found.append((line["top"], Paragraph(line["text"], Deferred(N_("page {page}"),
                                                                        page=page))))
        previous = line
    return found


def _table(page: Any, chars: list[Obj], table: Any, number: int) -> Table:
    """pdfplumber puts all rows on one grid: None is grid space a wider cell covers."""
    boxes = [[box for box in row.cells if box is not None] for row in table.rows]
    lines = _lines_in(chars, boxes)
    right: dict[tuple[float, float], float] = {}
    for box, found in lines.items():  # how far text reaches in the column: a full line
        key = (round(box[0]), round(box[2]))
        right[key] = max([right.get(key, 0.0), *(line["x1"] for line in found)])
    return Table(tuple(
        Row(tuple(Cell(_cell_text(lines[box], right[(round(box[0]), round(box[2]))]))
                  for box in row),
            Deferred(N_("page {page}, table {table}, row {row}"), page=page.page_number,
                     table=number, row=index))
        for index, row in enumerate(boxes, start=1)))


def _lines_in(chars: list[dict[str, Any]], boxes: list[list[Box]]) -> dict[Box, list[Any]]:
    """The text lines of every cell: each character goes to the cell around its middle
    (one pass over the page's characters; cropping the page once per cell is slow)."""
    tops = [row[0][1] if row else 0.0 for row in boxes]
    found: dict[Box, list[dict[str, Any]]] = {box: [] for row in boxes for box in row}
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        at = bisect.bisect_right(tops, y) - 1
        box = next((b for b in boxes[at] if b[0] <= x <= b[2] and y <= b[3]), None) if (
            at >= 0) else None
        if box is not None:
            found[box].append(char)
    return {box: chars_to_textmap(cell).extract_text_lines() if cell else []
            for box, cell in found.items()}


def _cell_text(lines: list[dict[str, Any]], right: float) -> str:
    """A cell's lines as the text was typed: a word broken over two lines joined again."""
    if not lines:
        return ""
    text = lines[0]["text"]
    for before, after in zip(lines, lines[1:], strict=False):
        text += ("" if _broken_word(before, after, right) else "\n") + after["text"]
    return text


def _broken_word(before: dict[str, Any], after: dict[str, Any], right: float) -> bool:
    """Was the line break inside a word? A writer breaks at a space when it can; it breaks a
    word only when the word is wider than the cell, so the line is full to the edge
    ('regionkoordin' / 'ator'). A number range broken after its hyphen ('2018-' / '2020')
    was one word too."""
    line, first = before["text"], after["chars"][0]
    if line.endswith("-"):
        return _number_range(line, after["text"])
    full = right - before["x1"] < (first["x1"] - first["x0"]) * FULL_LINE
    # A word goes on in lower case: 'Våren' / '2022' and 'Styringsgruppa' / 'Sogn' are two.
    return " " not in line and len(line) >= MIN_WORD and full and after["text"][:1].islower()


def _number_range(line: str, rest: str) -> bool:
    return line.endswith("-") and line[-2:-1].isdigit() and rest[:1].isdigit()


def _add(doc: Document, block: Block, first: bool) -> None:
    """Append a block; a table first on its page goes on with the table that ended the last
    (a page number alone between the two parts is not text)."""
    if first and isinstance(block, Table) and doc.blocks and _page_number(doc.blocks[-1]):
        doc.blocks.pop()
    last = doc.blocks[-1] if doc.blocks else None
    if first and isinstance(block, Table) and isinstance(last, Table) and block.rows and (
            last.rows and len(block.rows[0].cells) == len(last.rows[-1].cells)):
        doc.blocks[-1] = Table(tuple(_go_on(list(last.rows), list(block.rows))))
        return
    doc.blocks.append(block)


def _go_on(before: list[Row], after: list[Row]) -> list[Row]:
    """Join the parts of a table broken by a page: the header row repeated on the new page is
    dropped; a row broken in two (the new part starts mid-sentence: empty, lower case or a
    digit) is joined again."""
    if [c.text for c in after[0].cells] == [c.text for c in before[0].cells]:
        after = after[1:]
    if after and _broken(after[0]):
        joined = tuple(Cell(_join(a.text, b.text)) for a, b in zip(
            before[-1].cells, after[0].cells, strict=True))
        before[-1], after = Row(joined, before[-1].where), after[1:]
    return before + after


def _broken(row: Row) -> bool:
    first = row.cells[0].text.strip() if row.cells else ""
    return not first or first[0].islower() or first[0].isdigit()


def _join(top: str, rest: str) -> str:
    if not rest.strip():
        return top
    if not top:
        return rest
    return top + ("" if _number_range(top.split("\n")[-1], rest) else "\n") + rest


def _page_number(block: Block) -> bool:
    return isinstance(block, Paragraph) and block.text.strip().isdigit()
