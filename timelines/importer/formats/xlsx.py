"""Excel (.xlsx) through openpyxl: each visible sheet a section, cached values of formulas.

A date cell is an exact date (the text Excel shows is kept as `when`); a merged range is its
top-left cell, repeated down the rows it spans; hidden rows, columns and sheets are skipped
and reported; struck-through cells and comments ride along on the cells."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from timelines.base.i18n import N_, Deferred
from timelines.importer.document import Block, Cell, Document, Paragraph, Row
from timelines.importer.formats.sheet import column_name, sheet_blocks
from timelines.importer.formats.shown import shown_date, shown_number
from timelines.importer.messages import AT_SHEET

ROWS_PER_PAGE = 40  # a printed page of a plan, for the benchmark's ms per page


def read(data: bytes, path: Path) -> Document:
    # data_only: the values Excel cached for formulas, not the formulas themselves.
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    doc = Document()
    rows = 0
    named = sum(sheet.sheet_state == "visible" for sheet in book.worksheets) > 1
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            doc.skipped.append((Deferred(AT_SHEET, sheet=sheet.title),
                                Deferred(N_("hidden sheet '{sheet}' skipped"), sheet=sheet.title)))
            continue
        doc.blocks.extend(_sheet(sheet, doc)[0 if named else 1:])
        rows += sheet.max_row
    doc.pages = max(1, rows // ROWS_PER_PAGE)
    return doc


def _sheet(sheet: Worksheet, doc: Document) -> list[Block]:
    """The sheet's name as a heading (dropped when it is the only sheet), then its blocks."""
    heading = Paragraph(sheet.title, Deferred(AT_SHEET, sheet=sheet.title), heading=True)
    hidden_cols = _hidden_columns(sheet, doc)
    merged = _merged(sheet)
    grid: list[Row] = []
    for row in sheet.iter_rows():
        number = (row[0].row or 0) if row else 0  # a sheet's cells always have one
        if sheet.row_dimensions[number].hidden:
            doc.skipped.append((Deferred(N_("{sheet}!{cell}"), sheet=sheet.title,
                                         cell=f"A{number}"),
                                Deferred(N_("hidden row {row} skipped"), row=number)))
            continue
        cells = [_cell(sheet, c, merged) for c in row if (c.column or 0) - 1 not in hidden_cols]
        cells = [c for c in cells if c.span]
        grid.append(Row(tuple(cells), Deferred(N_("{sheet}!{cell}"), sheet=sheet.title,
                                           cell=f"A{number}")))
    return [heading, *sheet_blocks(grid)]


def _hidden_columns(sheet: Worksheet, doc: Document) -> set[int]:
    hidden = set()
    for index in range(sheet.max_column):
        letter = column_name(index)
        if sheet.column_dimensions[letter].hidden:
            hidden.add(index)
            doc.skipped.append((Deferred(N_("{sheet}!{cell}"), sheet=sheet.title,
                                         cell=f"{letter}1"),
                                Deferred(N_("hidden column {column} skipped"), column=letter)))
    return hidden


def _merged(sheet: Worksheet) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(row, col) of every cell inside a merged range → (top row, left col, width)."""
    inside: dict[tuple[int, int], tuple[int, int, int]] = {}
    for rng in sheet.merged_cells.ranges:
        width = rng.max_col - rng.min_col + 1
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                inside[(row, col)] = (rng.min_row, rng.min_col, width)
    return inside


def _cell(sheet: Worksheet, cell: Any, merged: dict[tuple[int, int], tuple[int, int, int]]
          ) -> Cell:
    name = f"{column_name(cell.column - 1)}{cell.row}"
    where = Deferred(N_("{sheet}!{cell}"), sheet=sheet.title, cell=name)
    top = merged.get((cell.row, cell.column))
    if top is not None and (top[0], top[1]) != (cell.row, cell.column):
        if top[1] != cell.column:
            return Cell("", where=where, span=0)  # covered by the merged cell to its left
        cell = sheet.cell(top[0], top[1])  # below the top: the merged value applies here too
    value, span = cell.value, top[2] if top else 1
    date = value.date() if isinstance(value, dt.datetime) else value if isinstance(
        value, dt.date) else None
    font = cell.font
    note = cell.comment.text.strip() if cell.comment else ""
    return Cell(_text(value, cell.number_format), bool(font and font.strike),
                bool(font and font.i), note, date, where, span)


def _text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime):
        return shown_date(value, number_format)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return shown_number(value)
    return str(value)
