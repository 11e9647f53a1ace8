"""The one shape every plan document is read into: headings, paragraphs and tables of cells.

Each reader in `timelines/importer/formats/` turns its format into a `Document`; the rest of
the importer (`scan`, `tables`, `build`) reads only this model, so a rule about rows is
written once, whatever the file was. What a format knows better than text (a struck-through
cell, a comment, an exact date cell, where a cell is) rides along on the cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from timelines.base.i18n import Deferred


@dataclass(frozen=True)
class Cell:
    """One table cell as the reader found it (text not cleaned yet)."""

    text: str
    struck: bool = False  # every character struck through: the row is cancelled
    italic: bool = False  # every character italic: a remark, never a task
    note: str = ""  # a comment or note attached to the cell
    date: dt.date | None = None  # a spreadsheet date cell: the exact date
    where: Deferred | None = None  # the cell's own locator ('Ark1!B7'), where the format has one
    span: int = 1  # grid columns the cell covers (horizontally merged)


@dataclass(frozen=True)
class Paragraph:
    text: str
    where: Deferred | None = None
    heading: bool = False  # the format says so (a Word heading style, an <h2>)
    struck: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    where: Deferred | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]


Block = Paragraph | Table


@dataclass
class Document:
    """A plan as a sequence of blocks; `lined` when its places are line numbers (text)."""

    blocks: list[Block] = field(default_factory=list)
    lined: bool = False
    skipped: list[tuple[Deferred, Deferred]] = field(default_factory=list)  # (where, why) not read
    pages: int = 1


def join_tables(blocks: list[Block]) -> list[Block]:
    """Tables next to each other with the same columns are one table split by a page break
    (Word and PDF both split them); the header row repeated on the new page is read once."""
    joined: list[Block] = []
    for block in blocks:
        last = joined[-1] if joined else None
        if isinstance(block, Table) and isinstance(last, Table) and _same_columns(last, block):
            rows = block.rows[1:] if _texts(block.rows[0]) == _texts(last.rows[0]) else block.rows
            joined[-1] = Table(last.rows + rows)
        else:
            joined.append(block)
    return joined


def _same_columns(a: Table, b: Table) -> bool:
    return bool(a.rows and b.rows) and len(a.rows[0].cells) == len(b.rows[0].cells)


def _texts(row: Row) -> list[str]:
    return [" ".join(c.text.split()) for c in row.cells]


def one_column_headers(rows: list[Row]) -> list[Row]:
    """A header cell merged over several grid columns is one column: join what lies below it.

    Readers give cells on the grid (a merged cell once, with its `span`); the first row that
    spans decides the columns of the rows after it."""
    header = next((i for i, row in enumerate(rows) if any(c.span > 1 for c in row.cells)), None)
    if header is None:
        return rows
    widths = [cell.span for cell in rows[header].cells]
    merged = rows[: header + 1]
    for row in rows[header + 1:]:
        merged.append(Row(_group(row.cells, widths), row.where))
    return merged


def _group(cells: tuple[Cell, ...], widths: list[int]) -> tuple[Cell, ...]:
    grid = [c for cell in cells for c in [cell] + [Cell("")] * (cell.span - 1)]
    grouped, at = [], 0
    for width in widths:
        part = [c for c in grid[at: at + width] if c.text.strip()]
        first = part[0] if part else Cell("")
        text = " / ".join(c.text for c in part)  # "AU / Rådmann": one value per grid column
        grouped.append(Cell(text, first.struck, first.italic, first.note, first.date, first.where))
        at += width
    grouped.extend(grid[at:])
    return tuple(grouped)


def title_rows(table: Table) -> list[Block]:
    """A row that is one cell across the whole table is a title: a heading, not a row."""
    width = max((sum(c.span for c in row.cells) for row in table.rows), default=0)
    blocks: list[Block] = []
    rows: list[Row] = []
    for row in table.rows:
        if width > 1 and len(row.cells) == 1 and row.cells[0].span == width:
            _flush(blocks, rows)
            cell = row.cells[0]
            blocks.append(Paragraph(cell.text, row.where, heading=True, struck=cell.struck))
        else:
            rows.append(row)
    _flush(blocks, rows)
    return blocks


def _flush(blocks: list[Block], rows: list[Row]) -> None:
    if rows:
        blocks.append(Table(tuple(one_column_headers(list(rows)))))
        rows.clear()
