"""The five seed plans as LibreOffice wrote them (.docx, .odt, .pdf, .xlsx, .ods) import to
the same tasks as their text: same ids, titles, `when`, dates, owners and status."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PLANS

from timelines.importer import ImportedTask, import_document
from timelines.importer.summary import year_text

OFFICE = sorted((PLANS / "office").glob("0*.*"))


def essentials(task: ImportedTask) -> tuple[object, ...]:
    return (task.id, task.title, task.section, task.when, task.start, task.due,
            tuple(task.owners), task.status)


@pytest.fixture(scope="module")
def from_text() -> dict[str, list[tuple[object, ...]]]:
    return {path.stem: [essentials(t) for t in import_document(path).timeline.tasks]
            for path in PLANS.glob("*.txt")}


def test_all_25_office_seeds_are_in_the_repository() -> None:
    assert len(OFFICE) == 25
    assert {p.suffix for p in OFFICE} == {".docx", ".odt", ".pdf", ".xlsx", ".ods"}


@pytest.mark.parametrize("path", OFFICE, ids=lambda p: p.name[:3] + p.suffix)
def test_office_seed_gives_the_tasks_of_its_text(
    path: Path, from_text: dict[str, list[tuple[object, ...]]]
) -> None:
    result = import_document(path)
    assert [essentials(t) for t in result.timeline.tasks] == from_text[path.stem]
    assert not result.lined and all(t.where is not None for t in result.timeline.tasks)


def test_locators_name_the_table_row_cell_or_page() -> None:
    docx = import_document(PLANS / "office" / "002_2ac5663333b02752.docx").timeline.tasks[0]
    xlsx = import_document(PLANS / "office" / "002_2ac5663333b02752.xlsx").timeline.tasks[0]
    pdf = import_document(PLANS / "office" / "002_2ac5663333b02752.pdf").timeline.tasks[-1]
    assert docx.place("en") == "table 1, row 2" and docx.place("nb") == "tabell 1, rad 2"
    assert xlsx.place("en") == "Sheet1!A14"
    assert pdf.place("en") == "page 2, table 1, row 8"
    assert pdf.place("sv") == "sida 2, tabell 1, rad 8"


def test_the_year_is_said_to_come_from_a_table_row() -> None:
    result = import_document(PLANS / "office" / "002_2ac5663333b02752.pdf")
    assert year_text(result, "en") == "2020 (from the first full date, page 1, table 1, row 3)"
    assert year_text(result, "nb").endswith("side 1, tabell 1, rad 3)")
