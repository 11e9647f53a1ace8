"""Plain text (and text saved from Word/Excel, markdown): a line is a paragraph or a table row.

A row is a line with tab-separated cells (or a markdown `| a | b |` row); rows that follow
each other, blank lines between them included, are one table, as the scan reads them."""

from __future__ import annotations

from pathlib import Path

from timelines.importer.document import Block, Cell, Document, Paragraph, Row, Table
from timelines.importer.lines import decode, split_cells


def read(data: bytes, path: Path) -> Document:
    """Every line of the text, numbered from 1 as an editor shows them."""
    text = decode(data)
    # Only \n and \r end a line: str.splitlines would also split on form feeds and
    # U+2028, and the line numbers would then differ from what an editor shows.
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Document(_blocks(raw_lines), lined=True)


def _blocks(raw_lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[Row] = []
    for raw in raw_lines:
        cells = split_cells(raw.rstrip("\r\n"))
        if len(cells) > 1:
            rows.append(Row(tuple(Cell(c) for c in cells)))
            continue
        if rows:
            blocks.append(Table(tuple(rows)))
            rows = []
        blocks.append(Paragraph(raw))
    if rows:
        blocks.append(Table(tuple(rows)))
    return blocks
