"""CSV (comma, semicolon or tab, as Excel writes it in each locale): one table."""

from __future__ import annotations

import csv
from pathlib import Path

from timelines.base.i18n import N_, Deferred
from timelines.importer.document import Cell, Document, Paragraph, Row, Table
from timelines.importer.lines import decode


def read(data: bytes, path: Path) -> Document:
    """Rows are numbered as the file's lines; a row with one filled cell is a paragraph."""
    text = decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ";,\t")
    except csv.Error:
        dialect = csv.excel
    blocks: list[Paragraph | Table] = []
    for number, cells in enumerate(csv.reader(text.splitlines(), dialect), start=1):
        where = Deferred(N_("row {row}"), row=number)
        filled = [c for c in cells if c.strip()]
        if len(filled) <= 1:
            blocks.append(Paragraph(filled[0] if filled else "", where))
        else:
            blocks.append(Table((Row(tuple(Cell(c) for c in cells), where),)))
    return Document(_join_tables(blocks))


def _join_tables(blocks: list[Paragraph | Table]) -> list[Paragraph | Table]:
    """Rows next to each other are one table."""
    joined: list[Paragraph | Table] = []
    for block in blocks:
        if isinstance(block, Table) and joined and isinstance(joined[-1], Table):
            joined[-1] = Table(joined[-1].rows + block.rows)
        else:
            joined.append(block)
    return joined
