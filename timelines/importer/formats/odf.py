"""OpenDocument (.odt, .ods) through odfpy: the same blocks as Word and Excel give.

A text document gives its paragraphs, headings (`text:h`), list items and tables; a
spreadsheet gives each visible sheet as a section. ODF keeps a cell's displayed text next to
its value, so a date cell gives both its exact date and the text shown; spans, covered
cells, hidden (collapsed) rows and columns, struck-through and italic text, and annotations
are read from the file."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from odf import teletype
from odf.namespaces import FONS, OFFICENS, STYLENS, TABLENS, TEXTNS
from odf.opendocument import load

from timelines.base.i18n import N_, Deferred
from timelines.importer.document import Cell, Document, Paragraph, Row, Table, title_rows
from timelines.importer.formats.sheet import column_name, sheet_blocks
from timelines.importer.messages import AT_SHEET

MAX_REPEAT = 200  # "repeated 1 048 000 times": the empty rest of a sheet, not rows of a plan
ROWS_PER_PAGE = 40


class _Styles:
    """Automatic styles by name: which strike through, which are italic, which tables hide."""

    def __init__(self, doc: Any) -> None:
        self.struck: set[str] = set()
        self.italic: set[str] = set()
        self.hidden: set[str] = set()
        for style in doc.automaticstyles.childNodes:
            name = style.getAttrNS(STYLENS, "name")
            for props in style.childNodes:
                self._props(name, props)

    def _props(self, name: str, props: Any) -> None:
        line = props.getAttrNS(STYLENS, "text-line-through-style")
        if line and line != "none":
            self.struck.add(name)
        if props.getAttrNS(FONS, "font-style") == "italic":
            self.italic.add(name)
        if props.getAttrNS(TABLENS, "display") == "false":
            self.hidden.add(name)


def read(data: bytes, path: Path) -> Document:
    doc = load(io.BytesIO(data))
    styles = _Styles(doc)
    content = next(c for c in doc.body.childNodes if _local(c) in ("text", "spreadsheet"))
    if _local(content) == "spreadsheet":
        return _spreadsheet(content, styles)
    result = Document()
    _body(content, styles, result, [0, 0])
    return result


# text documents -------------------------------------------------------------------------
def _body(node: Any, styles: _Styles, doc: Document, counts: list[int]) -> None:
    for child in node.childNodes:
        kind = _local(child)
        if kind in ("p", "h"):
            counts[0] += 1
            doc.blocks.append(_paragraph(child, styles, counts[0], kind == "h"))
        elif kind == "table":
            counts[1] += 1
            doc.blocks.extend(title_rows(_text_table(child, styles, counts[1])))
        elif kind in ("list", "list-item", "section"):
            _body(child, styles, doc, counts)


def _paragraph(node: Any, styles: _Styles, number: int, heading: bool) -> Paragraph:
    text = teletype.extractText(node)
    if _local(node.parentNode) == "list-item":
        text = "• " + text
    struck, italic = _marks(node, styles)
    return Paragraph(text, Deferred(N_("paragraph {n}"), n=number), heading and bool(text.strip()),
                     struck, italic)


def _text_table(node: Any, styles: _Styles, number: int) -> Table:
    grid = [[_cell(c, styles, None) for c in _cells(row)] for row in _rows(node)]
    wheres = [Deferred(N_("table {table}, row {row}"), table=number, row=i)
              for i in range(1, len(grid) + 1)]
    return Table(tuple(_fill_down(grid, wheres)))


# spreadsheets ---------------------------------------------------------------------------
def _spreadsheet(node: Any, styles: _Styles) -> Document:
    doc = Document()
    rows = 0
    sheets = [s for s in node.childNodes if _local(s) == "table"]
    named = sum(s.getAttrNS(TABLENS, "style-name") not in styles.hidden for s in sheets) > 1
    for sheet in sheets:
        name = sheet.getAttrNS(TABLENS, "name")
        if sheet.getAttrNS(TABLENS, "style-name") in styles.hidden:
            doc.skipped.append((Deferred(AT_SHEET, sheet=name),
                                Deferred(N_("hidden sheet '{sheet}' skipped"), sheet=name)))
            continue
        grid, wheres = _sheet_rows(sheet, name, styles, doc)
        rows += len(grid)
        heading = Paragraph(name, Deferred(AT_SHEET, sheet=name), heading=True)
        doc.blocks.extend([heading] if named else [])
        doc.blocks.extend(sheet_blocks(_fill_down(grid, wheres)))
    doc.pages = max(1, rows // ROWS_PER_PAGE)
    return doc


def _sheet_rows(sheet: Any, name: str, styles: _Styles, doc: Document
                ) -> tuple[list[list[tuple[Cell, int]]], list[Deferred]]:
    hidden = _hidden_columns(sheet, name, doc)
    grid: list[list[tuple[Cell, int]]] = []
    wheres: list[Deferred] = []
    for number, row in enumerate(_rows(sheet), start=1):
        if row.getAttrNS(TABLENS, "visibility") in ("collapse", "filter"):
            doc.skipped.append((Deferred(N_("{sheet}!{cell}"), sheet=name, cell=f"A{number}"),
                                Deferred(N_("hidden row {row} skipped"), row=number)))
            continue
        cells = [_cell(c, styles, Deferred(N_("{sheet}!{cell}"), sheet=name,
                                       cell=f"{column_name(i)}{number}"))
                 for i, c in enumerate(_cells(row)) if i not in hidden]
        grid.append(cells)
        wheres.append(Deferred(N_("{sheet}!{cell}"), sheet=name, cell=f"A{number}"))
    return grid, wheres


def _hidden_columns(sheet: Any, name: str, doc: Document) -> set[int]:
    hidden, index = set(), 0
    for column in _descend(sheet, "table-column"):
        repeat = min(int(column.getAttrNS(TABLENS, "number-columns-repeated") or 1), MAX_REPEAT)
        for _ in range(repeat):
            if column.getAttrNS(TABLENS, "visibility") == "collapse":
                hidden.add(index)
                doc.skipped.append((Deferred(N_("{sheet}!{cell}"), sheet=name,
                                         cell=f"{column_name(index)}1"),
                                    Deferred(N_("hidden column {column} skipped"),
                                             column=column_name(index))))
            index += 1
    return hidden


# shared ---------------------------------------------------------------------------------
def _rows(table: Any) -> list[Any]:
    rows = []
    for row in _descend(table, "table-row"):
        repeat = min(int(row.getAttrNS(TABLENS, "number-rows-repeated") or 1), MAX_REPEAT)
        rows.extend([row] * repeat)
    while rows and not teletype.extractText(rows[-1]).strip():
        rows.pop()  # the sheet's empty tail
    return rows


def _descend(node: Any, name: str) -> list[Any]:
    """Children named `name`, also inside header-rows / row-groups / column-groups."""
    found = []
    for child in node.childNodes:
        if _local(child) == name:
            found.append(child)
        elif _local(child).startswith(("table-header", "table-row-group", "table-column-group",
                                       "table-rows", "table-columns")):
            found.extend(_descend(child, name))
    return found


def _cells(row: Any) -> list[Any]:
    cells = []
    for cell in row.childNodes:
        if _local(cell) in ("table-cell", "covered-table-cell"):
            repeat = min(int(cell.getAttrNS(TABLENS, "number-columns-repeated") or 1), MAX_REPEAT)
            cells.extend([cell] * repeat)
    return cells


def _cell(node: Any, styles: _Styles, where: Deferred | None) -> tuple[Cell, int]:
    """The cell and the number of rows it spans."""
    if _local(node) == "covered-table-cell":
        return Cell("", where=where, span=0), 1  # covered: by a merge to its left or above
    notes = [teletype.extractText(a).strip() for a in node.childNodes if _local(a) == "annotation"]
    text = "\n".join(teletype.extractText(p) for p in node.childNodes if _local(p) in ("p", "h"))
    struck, italic = _marks(node, styles)
    span = int(node.getAttrNS(TABLENS, "number-columns-spanned") or 1)
    down = int(node.getAttrNS(TABLENS, "number-rows-spanned") or 1)
    return Cell(text, struck, italic, "\n".join(n for n in notes if n), _date(node), where,
                span), down


def _fill_down(rows: list[list[tuple[Cell, int]]], wheres: list[Deferred]) -> list[Row]:
    """Grid rows (cell, rows it spans) → rows; a cell spanning rows applies to each of them.

    The rows below it hold covered cells at its column: those take its value; other covered
    cells (to the right of a merged cell) are dropped."""
    above: dict[int, tuple[Cell, int]] = {}
    filled: list[Row] = []
    for row, where in zip(rows, wheres, strict=True):
        cells: list[Cell] = []
        for column, (cell, down) in enumerate(row):
            top, left = above.get(column, (cell, 0))
            if cell.span == 0 and left > 0:
                above[column] = (top, left - 1)
                cells.append(top)
            elif cell.span:
                above[column] = (cell, down - 1)
                cells.append(cell)
        filled.append(Row(tuple(cells), where))
    return filled


def _marks(node: Any, styles: _Styles) -> tuple[bool, bool]:
    """(struck, italic): the node's own style, or every text span in it, says so."""
    names = [node.getAttrNS(TABLENS, "style-name") or node.getAttrNS(TEXTNS, "style-name")]
    spans = [s for s in _all(node) if _local(s) == "span" and teletype.extractText(s).strip()]
    inner = [s.getAttrNS(TEXTNS, "style-name") for s in spans]
    own_struck, own_italic = names[0] in styles.struck, names[0] in styles.italic
    struck = own_struck or (bool(inner) and all(n in styles.struck for n in inner))
    italic = own_italic or (bool(inner) and all(n in styles.italic for n in inner))
    return struck, italic


def _all(node: Any) -> list[Any]:
    found = []
    for child in node.childNodes:
        if child.nodeType == child.ELEMENT_NODE:
            found.append(child)
            found.extend(_all(child))
    return found


def _date(node: Any) -> dt.date | None:
    if node.getAttrNS(OFFICENS, "value-type") != "date":
        return None
    try:
        return dt.date.fromisoformat(node.getAttrNS(OFFICENS, "date-value")[:10])
    except (TypeError, ValueError):
        return None


def _local(node: Any) -> str:
    qname = getattr(node, "qname", None)
    return qname[1] if qname else ""
