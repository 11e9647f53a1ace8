"""What the spreadsheet readers (xlsx, ods) share: a sheet's grid of cells into blocks.

A row with one filled cell (a title, a sentence spread over merged columns) is a paragraph;
rows with two or more filled cells next to each other are a table, as a coordinator lays a
plan out in Excel. The first table row with a merged cell decides the columns below it."""

from __future__ import annotations

from timelines.importer.document import Block, Cell, Paragraph, Row, Table, one_column_headers


def sheet_blocks(grid: list[Row]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[Row] = []
    for row in grid:
        filled = [c for c in row.cells if c.text.strip()]
        if len(filled) >= 2:
            rows.append(row)
            continue
        _flush(blocks, rows)
        cell = filled[0] if filled else Cell("")
        blocks.append(Paragraph(cell.text, cell.where or row.where, struck=cell.struck,
                                italic=cell.italic))
    _flush(blocks, rows)
    return blocks


def _flush(blocks: list[Block], rows: list[Row]) -> None:
    if rows:
        blocks.append(Table(tuple(one_column_headers(list(rows)))))
        rows.clear()


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column letters a spreadsheet shows."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
